"""The Ray executor: flows explored by async Ray actors, each owning one Chromium and up to K contexts.

The driver (this process) keeps everything else: it sends an actor a flow spec and the vocabulary, the actor
explores the flow with the local executor in a scratch folder and sends back plain data (the graph as a dict,
the evidence files as bytes); the driver writes the files under --out and evaluates and reports exactly as a
local run does. Playwright objects never leave the actor's process. Each worker needs Chromium (see
docs/guide/commands.md, "On a Ray cluster": AUDITOR_CHROMIUM or /usr/bin/chromium) and a /dev/shm big enough for it.

`--jobs N` is the number of flows explored at once; they are spread over ceil(N / K) actors of K contexts.
With no `--ray-address`, a local Ray cluster is started for the run and stopped after it.
"""

from __future__ import annotations

import asyncio
import logging
import math
import tempfile
from pathlib import Path
from typing import Any

from auditor.classify import Vocabulary
from auditor.errors import InputError
from auditor.files import write_atomic
from auditor.graph import FlowGraph
from auditor.spec import FlowSpec

CONTEXTS_PER_ACTOR = 2


class BrowserActor:
    """Runs in a Ray worker: one Chromium, launched on first use, shared by the flows it is given."""

    def __init__(self) -> None:
        self._executor: Any = None
        self._lock = asyncio.Lock()

    async def _local(self) -> Any:
        from auditor.executors.local import LocalExecutor

        async with self._lock:
            if self._executor is None:
                self._executor = await LocalExecutor().__aenter__()
        return self._executor

    async def browser(self) -> dict[str, Any]:
        return dict((await self._local()).browser)

    async def explore(self, spec: FlowSpec, vocab: Vocabulary, folder: str) -> tuple[dict[str, Any], dict[str, bytes]]:
        """The flow's graph (as a dict) and its evidence files (path relative to the output folder -> bytes)."""
        local = await self._local()
        with tempfile.TemporaryDirectory(prefix="auditor-ray-") as scratch:
            out = Path(scratch)
            graph = await local.explore(spec, vocab, out, out / folder, None)
            files = {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / folder).rglob("*") if p.is_file()}
        return graph.to_dict(), files

    async def close(self) -> None:
        if self._executor is not None:
            await self._executor.__aexit__(None, None, None)
            self._executor = None


class RayExecutor:
    def __init__(self, *, jobs: int, address: str | None = None) -> None:
        self.jobs, self.address = max(1, jobs), address
        self.browser: dict[str, Any] = {"name": "chromium", "executor": "ray"}
        self._actors: list[Any] = []
        self._busy: list[int] = []
        self._started_ray = False

    async def __aenter__(self) -> RayExecutor:
        try:
            import ray  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            raise InputError("--executor ray needs Ray: pip install 'retention-auditor[ray]'") from None
        if not ray.is_initialized():
            try:
                quiet: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
                ray.init(address=self.address, logging_level=logging.ERROR, **quiet)
            except (ConnectionError, ValueError, RuntimeError) as exc:
                raise InputError(f"cannot reach the Ray cluster at {self.address or 'local'}: {exc}") from None
            self._started_ray = True
        count = math.ceil(self.jobs / CONTEXTS_PER_ACTOR)
        remote: Any = ray.remote(num_cpus=1, max_concurrency=CONTEXTS_PER_ACTOR)(BrowserActor)  # type: ignore[call-overload]
        self._actors = [remote.remote() for _ in range(count)]
        self._busy = [0] * count
        self.browser.update(await self._actors[0].browser.remote(), actors=count)
        return self

    async def __aexit__(self, *exc: object) -> None:
        import ray

        try:
            await asyncio.gather(*(a.close.remote() for a in self._actors), return_exceptions=True)
        finally:
            for actor in self._actors:
                ray.kill(actor)
            if self._started_ray:
                ray.shutdown()

    async def explore(self, spec: FlowSpec, vocab: Vocabulary, out_dir: Path, folder: Path, progress: Any) -> FlowGraph:
        index = min(range(len(self._actors)), key=lambda i: (self._busy[i], i))
        self._busy[index] += 1
        try:
            data, files = await self._actors[index].explore.remote(spec, vocab, folder.relative_to(out_dir).as_posix())
        finally:
            self._busy[index] -= 1
        for relative, content in files.items():
            target = out_dir / relative
            if not target.resolve().is_relative_to(out_dir.resolve()):  # a worker never writes outside --out
                raise InputError(f"a Ray worker sent an evidence path outside the output folder: {relative!r}")
            write_atomic(target, content)
        return FlowGraph.from_dict(data)

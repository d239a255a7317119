"""Where flows are explored: `local` (this process: one Chromium, a context per flow) or `ray` (async Ray
actors on a cluster, each owning one Chromium). Both give the driver the same thing back for a flow: its
FlowGraph, with its evidence files written under the run's output folder, so evaluating and reporting do not
depend on where a flow ran."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from auditor.classify import Vocabulary
from auditor.graph import FlowGraph
from auditor.spec import FlowSpec

Progress = Any  # Callable[[dict[str, Any]], None] | None


class Executor(Protocol):
    """An async context manager that explores flows; `browser` describes the Chromium used."""

    browser: dict[str, Any]

    async def __aenter__(self) -> Executor: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def explore(
        self, spec: FlowSpec, vocab: Vocabulary, out_dir: Path, folder: Path, progress: Progress
    ) -> FlowGraph:
        """Explore one flow; screenshots go under `folder` (inside `out_dir`), paths in the graph relative to
        `out_dir`."""
        ...


def make_executor(name: str, *, jobs: int, ray_address: str | None = None) -> Executor:
    if name == "ray":
        from auditor.executors.ray_actors import RayExecutor

        return RayExecutor(jobs=jobs, address=ray_address)
    from auditor.executors.local import LocalExecutor

    return LocalExecutor()

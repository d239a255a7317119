"""The local executor: one Chromium in this process, one fresh context per flow attempt."""

from __future__ import annotations

import asyncio
from importlib import metadata
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Playwright, async_playwright

from auditor.browser import find_chromium, launch
from auditor.classify import Vocabulary
from auditor.errors import BrowserNotFound, first_line
from auditor.explore.explorer import Explorer
from auditor.graph import FlowGraph
from auditor.spec import FlowSpec


class LocalExecutor:
    def __init__(self) -> None:
        self.browser: dict[str, Any] = {"name": "chromium"}
        self._manager: Any = None
        self._playwright: Playwright | None = None
        self._chromium: Browser | None = None

    async def __aenter__(self) -> LocalExecutor:
        self._manager = async_playwright()
        try:
            self._playwright = await self._manager.__aenter__()
        except Exception as exc:  # its Node.js driver missing or broken: a set-up problem, said as Chromium's is
            _unlogged(exc)
            hint = "it comes with the playwright package: install the auditor again (./install.sh)"
            raise BrowserNotFound(f"could not start Playwright's driver: {first_line(exc)}; {hint}") from None
        try:
            self.browser["executable"] = find_chromium(self._playwright)
            self._chromium = await launch(self._playwright)
        except BaseException:
            await self._manager.__aexit__(None, None, None)
            raise
        self.browser["version"] = self._chromium.version
        self.browser["playwright"] = metadata.version("playwright")  # the driver, for a replay of the trace
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self._chromium is not None:
                await self._chromium.close()
        finally:
            await self._manager.__aexit__(None, None, None)

    async def explore(self, spec: FlowSpec, vocab: Vocabulary, out_dir: Path, folder: Path, progress: Any) -> FlowGraph:
        assert self._playwright is not None and self._chromium is not None, "use `async with`"
        explorer = Explorer(self._playwright, self._chromium, spec, vocab, out_dir, folder / "screens", progress)
        return await explorer.run()


def _unlogged(error: BaseException) -> None:
    """Playwright also leaves a failed driver start in a future nobody reads, which asyncio would print with a
    traceback ("Future exception was never retrieved") after our one-line message: not that error again."""
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("exception") is error:
            return
        if previous is not None:
            previous(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)

"""Orchestration: specs -> explore (one browser, a context per flow, `jobs` flows at once) -> report.

Each flow's graph is saved under OUT/flows/<name>/ with its screenshots as soon as that flow ends, and
report.json is rewritten atomically after every flow, so an interrupted run still leaves a valid report.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from auditor.browser import find_chromium, launch
from auditor.explore import Explorer
from auditor.files import safe_name
from auditor.graph import FlowGraph
from auditor.report.json_report import write_json
from auditor.report.model import report_from_graphs
from auditor.rules.pack import RuleSet, load_rules
from auditor.spec import FlowSpec

Progress = Callable[[dict[str, Any]], None]


@dataclass
class RunResult:
    report: dict[str, Any]
    graphs: list[FlowGraph] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.report["status"] == "complete"


def flow_dirs(specs: Sequence[FlowSpec], out_dir: Path) -> dict[str, Path]:
    """One folder per flow under OUT/flows/, names made safe and unique."""
    dirs: dict[str, Path] = {}
    used: set[str] = set()
    for spec in specs:
        base = safe_name(spec.name)
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        dirs[spec.name] = out_dir / "flows" / name
    return dirs


async def explore_all(
    specs: Sequence[FlowSpec],
    out_dir: Path,
    *,
    rules: RuleSet | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    write_report: bool = True,
) -> RunResult:
    """Explore every flow, evaluate the rules, write report.json (always, also when flows fail)."""
    rules = rules or load_rules()
    dirs = flow_dirs(specs, out_dir)
    started = time.time()
    graphs: dict[str, FlowGraph] = {}
    browser_info: dict[str, Any] = {"name": "chromium"}

    def snapshot() -> dict[str, Any]:
        finished = {s.name: graphs[s.name] for s in specs if s.name in graphs}
        files = {name: str((dirs[name] / "graph.json").relative_to(out_dir)) for name in finished}
        pending = [s for s in specs if s.name not in graphs]
        return report_from_graphs(
            finished, files, rules, pending=pending, browser=browser_info, started=started, finished=time.time()
        )

    async with async_playwright() as playwright:
        browser_info["executable"] = find_chromium(playwright)
        browser = await launch(playwright)
        browser_info["version"] = browser.version
        semaphore = asyncio.Semaphore(max(1, jobs))

        async def one(spec: FlowSpec) -> None:
            async with semaphore:
                folder = dirs[spec.name]
                explorer = Explorer(playwright, browser, spec, rules.vocabulary, out_dir, folder / "screens", progress)
                graph = await explorer.run()
                graph.save(folder / "graph.json")
                graphs[spec.name] = graph
                if progress:
                    progress({"flow": spec.name, "done": True, "graph": graph})
                if write_report:
                    write_json(snapshot(), out_dir / "report.json")

        try:
            await asyncio.gather(*(one(spec) for spec in specs))
        finally:
            await browser.close()
            if write_report:
                write_json(snapshot(), out_dir / "report.json")
    return RunResult(snapshot(), [graphs[s.name] for s in specs if s.name in graphs])


def run(specs: Sequence[FlowSpec], out_dir: Path, **kwargs: Any) -> RunResult:
    return asyncio.run(explore_all(specs, out_dir, **kwargs))

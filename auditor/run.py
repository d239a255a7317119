"""Orchestration: specs -> explore (one browser, a context per flow, `jobs` flows at once) -> report.

Each flow's graph is saved under OUT/flows/<name>/ with its screenshots as soon as that flow ends, and
report.json is rewritten atomically after every flow, so an interrupted run still leaves a valid report;
on Ctrl-C or SIGTERM the unfinished flows are reported `incomplete` and every format is still written.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.assess import Assessment
from auditor.errors import Interrupted
from auditor.executors import make_executor
from auditor.files import safe_name
from auditor.graph import FlowGraph
from auditor.redaction import Redactor
from auditor.report.formats import ReportWriter
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
    writer: ReportWriter | None = None,
    executor: str = "local",
    ray_address: str | None = None,
) -> RunResult:
    """Explore every flow, evaluate the rules and, with a writer, write the reports: report.json after each
    flow, every format at the end, also when flows fail or the run is interrupted (SIGINT/SIGTERM)."""
    rules = rules or load_rules()
    dirs = flow_dirs(specs, out_dir)
    started = time.time()
    graphs: dict[str, FlowGraph] = {}
    assessment = Assessment(rules, order=[s.name for s in specs])
    browser_info: dict[str, Any] = {"name": "chromium"}
    unfinished = "not finished"

    def snapshot() -> dict[str, Any]:
        pending = [s for s in specs if s.name not in graphs]
        report = assessment.report(pending=pending, browser=browser_info, started=started, finished=time.time())
        for flow in report["flows"]:
            if flow["name"] not in graphs:
                flow["error"] = unfinished
        return writer.prepare(report) if writer else report

    async with make_executor(executor, jobs=jobs, ray_address=ray_address) as explorers:
        browser_info.update(explorers.browser)
        semaphore = asyncio.Semaphore(max(1, jobs))

        async def one(spec: FlowSpec) -> None:
            async with semaphore:
                folder = dirs[spec.name]
                graph = await explorers.explore(spec, rules.vocabulary, out_dir, folder, progress)
                graph = graph.scrubbed(Redactor.for_spec(spec))
                graphs[spec.name] = graph
                assessment.add(spec.name, graph, str((folder / "graph.json").relative_to(out_dir)))
                if spec.trace == "retain-on-finding" and not assessment.findings(spec.name):
                    _drop_traces(graph, out_dir)
                graph.save(folder / "graph.json")
                report = snapshot()
                if writer:
                    writer.interim(report)
                if progress:
                    done = {"metrics": assessment.flows[spec.name].metrics(), "exploration": graph.exploration}
                    progress({"flow": spec.name, "done": True, **done, "findings": len(assessment.findings(spec.name))})

        try:
            with _cancel_on_sigterm():
                await asyncio.gather(*(one(spec) for spec in specs))
        except asyncio.CancelledError:
            unfinished = "interrupted before this flow finished"
            raise
        finally:
            report = snapshot()
            if writer:
                writer.final(report)
    return RunResult(report, [graphs[s.name] for s in specs if s.name in graphs])


def _drop_traces(graph: FlowGraph, out_dir: Path) -> None:
    """`--trace retain-on-finding`: a flow with no finding keeps no trace."""
    for trace in graph.exploration.get("traces") or []:
        (out_dir / trace).unlink(missing_ok=True)
    graph.exploration["traces"] = []


@contextlib.contextmanager
def _cancel_on_sigterm() -> Iterator[None]:
    """SIGTERM cancels the run like Ctrl-C does, so the `finally` above still writes the partial report."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    try:
        loop.add_signal_handler(signal.SIGTERM, _terminate, task)
    except (NotImplementedError, RuntimeError):  # not the main thread, or no signals on this platform
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


def _terminate(task: asyncio.Task[Any] | None) -> None:
    _signals.append(signal.SIGTERM)
    if task:
        task.cancel()


_signals: list[int] = []  # signals that stopped the current run (SIGINT shows as KeyboardInterrupt)


def run(specs: Sequence[FlowSpec], out_dir: Path, **kwargs: Any) -> RunResult:
    """Explore and report (see explore_all); an interrupted run raises Interrupted after writing its reports."""
    _signals.clear()
    try:
        return asyncio.run(explore_all(specs, out_dir, **kwargs))
    except (asyncio.CancelledError, KeyboardInterrupt):
        signum = _signals[0] if _signals else signal.SIGINT
        raise Interrupted(signum, out_dir / "report.json") from None

"""Benchmark: auditing the demo flows vs a bare Playwright script that clicks their known shortest paths.

The scripted walk is the floor: exploration has to *find* the path the script already knows. It runs in the
same guarded context the audit uses (the auditor never runs unguarded), so what the guard costs, both pay.
One run measures two conditions side by side: the demo sites on 127.0.0.1 as they are, and as real products
weigh (60 ms per response, a cacheable 1.5 MB script on every page: DemoServer's Weight); then both again for
the sparring sites of real-product size (issue 24: the outfitter's ~220 pages with 60 chrome links each, the
papeterie's German checkout; their paths in tests/sites/realsize_paths.yaml). For each it prints,
per flow, the audit's exploration time against the floor's, the fresh contexts it opened and the requests
the guard let through (Chromium's own cache may have answered some); then the targets of issue 15 beside their
measured values: the whole audit (explore, evaluate, every report format, `--jobs auto`) against the floor,
how often the cacheable script was fetched against the pages served, and on 127.0.0.1 `--jobs auto` against
`--jobs 1` and the peak memory (PSS of the process tree: Python, Playwright's driver, Chromium) of a 4-flow
audit against the floor's.
Run: `.venv/bin/python -m bench.explore [--skip-jobs1] [--only local|realistic] [--corpus demo|real-size]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Frame, Page, async_playwright

from auditor.browser import launch, new_context
from auditor.demo import demo_specs
from auditor.demo.paths import PATHS_FILE, known_paths
from auditor.demo.server import FRAMEWORK_PATH, DemoServer, Weight
from auditor.explore.setup import run_setup
from auditor.jobs import auto_jobs
from auditor.report.formats import FORMATS, ReportWriter
from auditor.run import run
from auditor.spec import FlowSpec, load_specs
from bench.memory import PeakMemory
from tests.conftest import SITES, SITES_ROUTES

Floor = dict[str, list[tuple[str, ...]]]


def floor_steps(paths: Path) -> Floor:
    """The known shortest paths (a paths.yaml) as a script types and clicks them: ("click", label) or
    ("fill", field label, value)."""
    return {
        name: [step for click in clicks for step in (*(("fill", *i) for i in click.inputs), ("click", click.label))]
        for name, clicks in known_paths(paths).items()
        if clicks is not None
    }


@dataclass(frozen=True)
class Corpus:
    """Sites to measure: how to serve them, their specs, their known paths (the floor)."""

    name: str
    server: Callable[[Weight | None], DemoServer]
    specs: Callable[[], list[Path]]
    paths: Path
    url_variable: str


CORPORA = {
    "demo": Corpus("demo", lambda w: DemoServer(weight=w), demo_specs, PATHS_FILE, "DEMO_URL"),
    "real-size": Corpus(
        "real-size",
        lambda w: DemoServer(sites_dir=SITES, routes=SITES_ROUTES, weight=w),
        lambda: [SITES / "outfitter" / "flow.yaml", SITES / "papeterie" / "flow.yaml"],
        SITES / "realsize_paths.yaml",
        "SITES_URL",
    ),
}


async def _find(page: Page, label: str, field: bool, wait_s: float = 10.0):  # noqa: ANN202 - a Locator
    """The first visible match in any frame, polled as a hand-written script's auto-wait would."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        frames: list[Frame] = [page.main_frame, *page.main_frame.child_frames]
        for frame in frames:
            roles = ("button", "link", "radio", "checkbox")
            options = (
                [frame.get_by_label(label, exact=True)]
                if field
                else [frame.get_by_role(r, name=label, exact=True) for r in roles]
                + [frame.get_by_text(label, exact=True)]
            )
            for locator in options:
                visible = locator.locator("visible=true")
                if await visible.count():
                    return visible.first
        await asyncio.sleep(0.02)
    raise RuntimeError(f"floor script: {label!r} not found on {page.url}")


async def scripted_walk(specs: list[FlowSpec], steps: Floor) -> dict[str, float]:
    """The floor: one browser, a fresh context per flow, click the known path, wait for the goal text."""
    times: dict[str, float] = {}
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        for spec in specs:
            if spec.name not in steps:
                continue
            started = time.monotonic()
            context, _ = await new_context(browser, spec, playwright)
            page = await context.new_page()
            await run_setup(page, spec)
            await page.goto(spec.start)
            for step in steps[spec.name]:
                target = await _find(page, step[1], field=step[0] == "fill")
                await (target.fill(step[2]) if step[0] == "fill" else target.click())
            if spec.goal.text:
                await page.get_by_text(spec.goal.text[0]).first.wait_for()
            else:  # a request goal (fittrack): the walk ends when the page has settled after it
                await page.wait_for_load_state("networkidle")
            await context.close()
            times[spec.name] = time.monotonic() - started
        await browser.close()
    return times


def audit(specs: list[FlowSpec], jobs: int) -> tuple[dict, float, PeakMemory]:
    """One whole audit as `auditor audit --format all` runs it: explore, evaluate, write every report."""
    with tempfile.TemporaryDirectory() as out, PeakMemory() as memory:
        started = time.monotonic()
        result = run(specs, Path(out), jobs=jobs, writer=ReportWriter(Path(out), list(FORMATS)))
        seconds = time.monotonic() - started
    return result.report, seconds, memory


def per_flow_table(report: dict, floor: dict[str, float]) -> None:
    print(
        f"{'flow':18} {'audit s':>8} {'floor s':>8} {'ratio':>6} {'states':>6} {'actions':>7} {'steps':>5} "
        f"{'contexts':>8} {'sent':>5}"
    )
    for flow in report["flows"]:
        x = flow["exploration"]
        f = floor.get(flow["name"])
        ratio = f"{x['seconds'] / f:6.1f}" if f else "     -"
        requests = x.get("requests", {})
        print(
            f"{flow['name']:18} {x['seconds']:8.2f} {f or 0:8.2f} {ratio} {x['states']:6} {x['actions']:7} "
            f"{flow['metrics'].get('steps_to_goal') or '-':>5} {x.get('contexts', 0):8} "
            f"{requests.get('network', 0):5}"
        )


def fetches(server: DemoServer) -> tuple[int, int]:
    """How often the framework script was fetched, and how many pages were served, since the last clear: the
    script once per context when a cache works, once per page when none does."""
    pages = sum(1 for h in server.hits if not Path(h.path).suffix or h.path.endswith(".html"))
    script = server.count(FRAMEWORK_PATH)
    server.clear_hits()
    return script, pages


def measure(corpus: Corpus, realistic: bool, jobs1: bool) -> list[tuple[str, str, str]]:
    """One condition: the floor, the whole audit with --jobs auto, and for the demo on 127.0.0.1 the --jobs 1
    run and the 4-flow memory; the per-flow table is printed, the summary rows returned."""
    mode = ("realistic" if realistic else "127.0.0.1") + ("" if corpus.name == "demo" else f", {corpus.name}")
    extras = corpus.name == "demo" and not realistic
    with corpus.server(Weight() if realistic else None) as server:
        os.environ[corpus.url_variable] = server.url
        specs = load_specs(corpus.specs())
        jobs = auto_jobs(len(specs))
        server.clear_hits()
        with PeakMemory() as floor_mem:
            started = time.monotonic()
            floor = asyncio.run(scripted_walk(specs, floor_steps(corpus.paths)))
            floor_total = time.monotonic() - started
        floor_script, floor_pages = fetches(server)
        report, seconds, _ = audit(specs, jobs)
        script, pages = fetches(server)
        contexts = sum(f["exploration"].get("contexts", 0) for f in report["flows"])
        one = audit(specs, 1)[1] if jobs1 and extras else None
        four = [s for s in specs if s.name in ("fair-cancel", "fair-signup", "iliad-cancel", "iliad-signup")]
        _, _, four_mem = audit(four, auto_jobs(len(four))) if extras else (None, None, None)
    print(f"\n== {mode} ==")
    per_flow_table(report, floor)
    rows = [
        (
            f"{mode}: whole audit (--jobs auto = {jobs}) / floor",
            f"{seconds:.1f}s / {floor_total:.1f}s = {seconds / floor_total:.2f}x",
            "<= 2.5x" if realistic else "<= 3x",
        ),
        (f"{mode}: script fetched (audit)", f"{script}x for {pages} pages, {contexts} contexts", "once per context"),
        (f"{mode}: script fetched (floor)", f"{floor_script}x for {floor_pages} pages", ""),
    ]
    if one is not None:
        rows.append(
            (
                f"{mode}: --jobs 1 / --jobs auto ({jobs})",
                f"{one:.1f}s / {seconds:.1f}s = {one / seconds:.2f}x",
                "speed-up stated",
            )
        )
    if four_mem is not None:
        rows.append(
            (
                f"{mode}: memory, 4 flows / floor (peak PSS)",
                f"{four_mem.pss_kb / 1024:.0f} MB / "
                f"{floor_mem.pss_kb / 1024:.0f} MB = {four_mem.pss_kb / floor_mem.pss_kb:.2f}x",
                "<= 1.2x",
            )
        )
    return rows  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-jobs1", action="store_true", help="skip the --jobs 1 run (no speed-up figure)")
    parser.add_argument("--only", choices=("local", "realistic"), help="measure one condition only")
    parser.add_argument("--corpus", choices=tuple(CORPORA), help="measure one set of sites only")
    args = parser.parse_args()
    rows = []
    for corpus in CORPORA.values():
        for realistic in (False, True):
            if args.only and args.only != ("realistic" if realistic else "local"):
                continue
            if args.corpus and args.corpus != corpus.name:
                continue
            rows += measure(corpus, realistic, jobs1=not args.skip_jobs1)
    print(f"\n{'target':62} {'measured':40} goal")
    for name, value, goal in rows:
        print(f"{name:62} {value:40} {goal}")
    print(f"machine: {os.cpu_count()} cores; realistic: 60 ms per response, a 1.5 MB cacheable script per page")


if __name__ == "__main__":
    main()

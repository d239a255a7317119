"""Benchmark: auditing the demo flows vs a bare Playwright script that clicks their known shortest paths.

The scripted walk is the floor: exploration has to *find* the path the script already knows. Prints, per
flow, the audit's exploration time, the floor's and their ratio; then the targets of issue 8 side by side with
their measured values: the whole audit (explore, evaluate, every report format) against the floor, --jobs 1
against --jobs 2, and the peak memory of the whole process tree (Python + Playwright driver + Chromium) for a
4-flow --jobs 2 audit; and how often a cacheable script was fetched against the pages served. With
`--realistic` the demo sites weigh what real products weigh (60 ms per response, a cacheable 1.5 MB script on
every page: DemoServer's Weight), for the audit and the floor alike.
Run: `.venv/bin/python -m bench.explore [--skip-jobs1] [--realistic]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from playwright.async_api import Frame, Page, async_playwright

from auditor.browser import launch, new_context
from auditor.demo import demo_specs
from auditor.demo.paths import known_paths
from auditor.demo.server import FRAMEWORK_PATH, DemoServer, Weight
from auditor.explore.setup import run_setup
from auditor.report.formats import FORMATS, ReportWriter
from auditor.run import run
from auditor.spec import FlowSpec, load_specs
from bench.memory import PeakMemory

# The known shortest paths (auditor/demo/paths.yaml) as a script types and clicks them:
# ("click", label) or ("fill", field label, value).
FLOOR: dict[str, list[tuple[str, ...]]] = {
    name: [step for click in clicks for step in (*(("fill", *i) for i in click.inputs), ("click", click.label))]
    for name, clicks in known_paths().items()
    if clicks is not None
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


async def scripted_walk(specs: list[FlowSpec]) -> dict[str, float]:
    """The floor: one browser, a fresh context per flow, click the known path, wait for the goal text."""
    times: dict[str, float] = {}
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        for spec in specs:
            if spec.name not in FLOOR:
                continue
            started = time.monotonic()
            context, _ = await new_context(browser, spec, playwright)
            page = await context.new_page()
            await run_setup(page, spec)
            await page.goto(spec.start)
            for step in FLOOR[spec.name]:
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
    print(f"{'flow':18} {'audit s':>8} {'floor s':>8} {'ratio':>6} {'states':>6} {'actions':>7} {'steps':>5}")
    for flow in report["flows"]:
        x = flow["exploration"]
        f = floor.get(flow["name"])
        ratio = f"{x['seconds'] / f:6.1f}" if f else "     -"
        print(
            f"{flow['name']:18} {x['seconds']:8.2f} {f or 0:8.2f} {ratio} {x['states']:6} {x['actions']:7} "
            f"{flow['metrics'].get('steps_to_goal') or '-':>5}"
        )


def fetches(server: DemoServer) -> str:
    """How often the framework script was fetched against how many pages were served, since the last clear:
    once per context when the browser cache works, once per page when it does not."""
    pages = sum(1 for h in server.hits if not Path(h.path).suffix or h.path.endswith(".html"))
    script = server.count(FRAMEWORK_PATH)
    server.clear_hits()
    return f"script {script}x for {pages} pages"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-jobs1", action="store_true", help="skip the --jobs 1 run (no speed-up figure)")
    parser.add_argument(
        "--realistic",
        action="store_true",
        help="serve the sites as real sites weigh: 60 ms per response, a cacheable 1.5 MB script on every page",
    )
    args = parser.parse_args()
    with DemoServer(weight=Weight() if args.realistic else None) as server:
        os.environ["DEMO_URL"] = server.url
        specs = load_specs(demo_specs())
        server.clear_hits()
        with PeakMemory() as floor_mem:
            started = time.monotonic()
            floor = asyncio.run(scripted_walk(specs))
            floor_total = time.monotonic() - started
        floor_fetches = fetches(server)
        report2, jobs2, mem2 = audit(specs, 2)
        audit_fetches = fetches(server)
        jobs1 = None if args.skip_jobs1 else audit(specs, 1)[1]
        four = [s for s in specs if s.name in ("fair-cancel", "fair-signup", "iliad-cancel", "iliad-signup")]
        _, four_s, four_mem = audit(four, 2)
    per_flow_table(report2, floor)
    walked = sum(f["exploration"]["seconds"] for f in report2["flows"] if f["name"] in floor)
    print(f"\nper flow, flows with a known path: audit {walked:.1f}s vs floor {sum(floor.values()):.1f}s "
          f"= {walked / sum(floor.values()):.1f}x (sum of per-flow exploration times, --jobs 2)")
    rows = [
        ("speed: whole demo audit (--jobs 2) / scripted floor", f"{jobs2:.1f}s / {floor_total:.1f}s = "
         f"{jobs2 / floor_total:.1f}x", "<= 3x"),
        ("scaling: --jobs 1 / --jobs 2", f"{jobs1:.1f}s / {jobs2:.1f}s = {jobs1 / jobs2:.2f}x" if jobs1 else "skipped",
         ">= 1.6x"),
        ("memory: 4 flows --jobs 2, peak RSS summed", f"{four_mem.rss_kb / 1024:.0f} MB ({four_s:.1f}s)", "< 700 MB"),
        ("memory: 4 flows --jobs 2, peak PSS", f"{four_mem.pss_kb / 1024:.0f} MB", "(real footprint)"),
        ("memory: whole demo --jobs 2", str(mem2), ""),
        ("memory: scripted floor", str(floor_mem), ""),
        ("requests: audit (--jobs 2), 17 flows", audit_fetches, "script once per context"),
        ("requests: scripted floor, 16 walks", floor_fetches, ""),
    ]  # fmt: skip
    print(f"\n{'target':52} {'measured':34} goal")
    for name, value, goal in rows:
        print(f"{name:52} {value:34} {goal}")
    mode = "realistic: 60 ms per response, 1.5 MB script per page" if args.realistic else "127.0.0.1 as is"
    print(f"machine: {os.cpu_count()} cores; chromium {report2['browser'].get('version')}; {mode}")


if __name__ == "__main__":
    main()

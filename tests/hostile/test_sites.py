"""e2e: sites that misbehave on purpose (tests/hostile/server.py), audited in real Chromium on 127.0.0.1.

For each hostile behaviour the audit must end within a bound, write a valid report.json, say in plain words
what happened, report `incomplete` where the goal verdict cannot be trusted, leave a healthy flow in the same
run untouched, and leave no Chromium process behind. The flows share three runs (jobs=2) to keep the file
to a few minutes on two cores: the start pages that fail, the pages that fight the explorer, the 20 MB page.
"""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from auditor.report.formats import ReportWriter
from auditor.run import run
from auditor.spec import ExploreOptions, FlowSpec, Goal, SourceRef, Timeouts
from tests.hostile.procs import ChromiumWatch
from tests.hostile.server import DONE_TEXT, DOWNLOAD_BYTES, OFFSITE_URL, HostileServer

pytestmark = pytest.mark.e2e

QUICK = Timeouts(navigation=4, action=2, settle=2, flow=30)
FROZEN = Timeouts(navigation=2, action=1, settle=1, flow=10)  # hard stop: 10 + 2 + 3 * 1 + 1 + 10 = 26 s
HUGE = Timeouts(navigation=60, action=20, settle=3, flow=150)  # measured: ~10-20 s to parse 20 MB on 2 cores
JOBS = 2
MAX_CHROMIUM_MB = 3000  # peak PSS of the tree's Chromium: 1.6 GB holding the 20 MB page, 2.0 GB auditing it


@pytest.fixture(scope="module")
def hostile():
    with HostileServer() as server:
        yield server


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flow(name: str, start: str, timeouts: Timeouts = QUICK, **explore: Any) -> FlowSpec:
    return FlowSpec(
        name=name,
        kind="cancellation",
        start=start,
        goal=Goal(text=(DONE_TEXT,)),
        source=SourceRef("hostile.yaml", 1),
        explore=ExploreOptions(timeouts=timeouts, **explore),
    )


@dataclass
class Audit:
    """One run's outcome as the tests read it: report.json from disk, the graphs, times, processes."""

    specs: list[FlowSpec]
    out: Path
    seconds: float
    watch: ChromiumWatch
    report: dict[str, Any] = field(default_factory=dict)

    def flow(self, name: str) -> dict[str, Any]:
        return next(f for f in self.report["flows"] if f["name"] == name)

    def graph(self, name: str) -> dict[str, Any]:
        return json.loads((self.out / self.flow(name)["graph"]).read_text())

    def timeouts(self, name: str) -> Timeouts:
        return next(s.explore.timeouts for s in self.specs if s.name == name)


def audit(specs: list[FlowSpec], out: Path) -> Audit:
    started = time.monotonic()
    with ChromiumWatch() as watch:
        run(specs, out, jobs=JOBS, writer=ReportWriter(out, ["json"]))
    result = Audit(specs, out, time.monotonic() - started, watch)
    result.report = json.loads((out / "report.json").read_text())  # what a user gets, not the in-memory copy
    times = ", ".join(f"{f['name']} {f['exploration'].get('seconds')}s" for f in result.report["flows"])
    print(f"\n{out.name}: {len(specs)} flows in {result.seconds:.1f}s ({times}); peak {watch.peak_pss_mb:.0f} MB")
    return result


@pytest.fixture(scope="module")
def broken(hostile, tmp_path_factory) -> Audit:
    """Start pages that cannot be audited, next to one that can."""
    specs = [
        flow("refused", f"http://127.0.0.1:{_closed_port()}/account"),
        flow("error500", f"{hostile.url}/error500/"),
        flow("hang", f"{hostile.url}/hang/"),
        flow("loop", f"{hostile.url}/loop/"),
        flow("pingpong", f"{hostile.url}/ping/"),
        flow("good-a", f"{hostile.url}/good/"),
    ]
    return audit(specs, tmp_path_factory.mktemp("broken"))


@pytest.fixture(scope="module")
def fighting(hostile, tmp_path_factory) -> Audit:
    """Pages that fight the explorer, with a way to cancel behind each (but the trap), next to a healthy one."""
    specs = [
        flow("frozen", f"{hostile.url}/frozen/", FROZEN),  # first: it holds a slot (and a core) the longest
        flow("hangsub", f"{hostile.url}/hangsub/"),
        flow("dialogs", f"{hostile.url}/dialogs/"),
        flow("popup", f"{hostile.url}/popup/"),
        flow("churn", f"{hostile.url}/churn/"),
        flow("download", f"{hostile.url}/download/", exhaustive=True),  # every control, the download too
        flow("offsite", f"{hostile.url}/offsite/"),
        flow("metaoff", f"{hostile.url}/metaoff/"),
        flow("trap", f"{hostile.url}/trap/", max_states=4),
        flow("good-b", f"{hostile.url}/good/"),
    ]
    return audit(specs, tmp_path_factory.mktemp("fighting"))


@pytest.fixture(scope="module")
def giant(hostile, tmp_path_factory) -> Audit:
    specs = [flow("huge", f"{hostile.url}/huge/", HUGE), flow("good-c", f"{hostile.url}/good/")]
    return audit(specs, tmp_path_factory.mktemp("giant"))


# ---------------------------------------------------------------- checks every run must pass


def assert_run_is_sound(result: Audit) -> None:
    """Valid report.json naming every flow, each flow within 3x its flow timeout, the run within the time its
    flows could take at JOBS at once, and no Chromium left alive."""
    report = result.report
    assert report["schema"] == "retention-auditor/report/v1"
    assert [f["name"] for f in report["flows"]] == [s.name for s in result.specs]
    longest = 0.0
    for spec in result.specs:
        seconds = result.flow(spec.name)["exploration"]["seconds"]
        assert seconds < 3 * spec.explore.timeouts.flow, spec.name
        longest = max(longest, 3 * spec.explore.timeouts.flow)
    assert result.seconds < longest * math.ceil(len(result.specs) / JOBS)
    watch = result.watch
    assert watch.seen, "the watch saw no Chromium: it measures nothing"
    assert not watch.leftovers, f"Chromium processes outlived the run: {sorted(watch.leftovers)}"
    assert len(watch.after) == len(watch.before)


def assert_healthy(result: Audit, name: str) -> None:
    entry = result.flow(name)
    assert entry["status"] == "complete" and entry["error"] is None
    assert entry["goal_reached"] and entry["metrics"]["steps_to_goal"] == 1
    assert [s["label"] for s in entry["path"]] == ["Cancel subscription"]
    exploration = entry["exploration"]
    assert exploration["notes"] == [] and exploration["dialogs"] == [] and exploration["blocked_navigations"] == []


def assert_incomplete(result: Audit, name: str, *words: str) -> dict[str, Any]:
    entry = result.flow(name)
    assert entry["status"] == "incomplete" and not entry["goal_reached"]
    assert entry["exploration"]["stop_reason"] == "error"
    for word in words:
        assert word in entry["error"], entry["error"]
    assert "Traceback" not in entry["error"] and "Call log" not in entry["error"]
    assert result.report["status"] == "incomplete"
    return entry


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


# ---------------------------------------------------------------- start pages that fail


def test_refused_connection_is_given_up_at_once(broken):
    entry = assert_incomplete(broken, "refused", "could not load the start URL", "the connection was refused")
    assert "ERR_CONNECTION_REFUSED" in entry["error"]
    assert entry["exploration"]["seconds"] < broken.timeouts("refused").navigation  # no waiting on a dead port


def test_http_500_start_page(broken, hostile):
    entry = assert_incomplete(broken, "error500", "the start page answered HTTP 500", "/error500/")
    assert entry["states"] == [] and entry["path"] == []


def test_page_that_never_finishes_loading(broken):
    entry = assert_incomplete(broken, "hang", "did not finish loading within 4s", "/hang/")
    seconds, nav = entry["exploration"]["seconds"], broken.timeouts("hang").navigation
    assert nav <= seconds < nav + 10  # given up at the navigation timeout, not the flow timeout


def test_redirect_to_itself(broken):
    assert_incomplete(broken, "loop", "redirect loop at", "/loop/", "ERR_TOO_MANY_REDIRECTS")


def test_redirect_loop_between_two_pages(broken):
    entry = assert_incomplete(broken, "pingpong", "redirect loop at", "/ping/")
    assert "/pong/" in entry["error"]  # both ends of the loop are named


def test_failing_start_pages_leave_a_sound_run_and_a_healthy_neighbour(broken):
    assert_run_is_sound(broken)
    assert_healthy(broken, "good-a")


# ---------------------------------------------------------------- pages that fight the explorer


def test_subresource_that_never_finishes(fighting):
    entry = fighting.flow("hangsub")
    assert entry["status"] == "complete" and entry["goal_reached"]  # the page is usable; its pixel is not needed
    assert any("never settled" in n and "/never/data.json" in n for n in entry["exploration"]["notes"])


def test_dialogs_are_answered_and_recorded(fighting):
    entry = fighting.flow("dialogs")
    assert entry["status"] == "complete" and entry["goal_reached"], entry["exploration"]
    assert [s["label"] for s in entry["path"]] == ["Cancel subscription", "Confirm cancellation"]
    dialogs = entry["exploration"]["dialogs"]
    assert {"alert", "confirm", "prompt", "beforeunload"} <= {d["type"] for d in dialogs}
    assert any(d["type"] == "beforeunload" and d["answer"] == "leave" for d in dialogs)
    edges = fighting.graph("dialogs")["actions"]
    confirm = next(e for e in edges if e["label"] == "Confirm cancellation" and e["target"] == entry["path"][-1]["to"])
    assert [(d["type"], d["answer"]) for d in confirm["dialogs"]] == [("confirm", "ok")]
    assert "Are you sure you want to cancel" in confirm["dialogs"][0]["message"]


def test_next_step_in_a_new_tab_and_a_popup(fighting):
    entry = fighting.flow("popup")
    assert entry["status"] == "complete" and entry["goal_reached"], entry["exploration"]
    assert [s["label"] for s in entry["path"]] == ["Manage subscription", "Cancel subscription"]
    assert entry["path"][-1]["result_url"].endswith("/popup/done")
    assert sum("new tab or window" in n for n in entry["exploration"]["notes"]) == 2


def test_crawler_trap_ends_at_its_budget(fighting):
    entry = fighting.flow("trap")
    exploration = entry["exploration"]
    assert exploration["stop_reason"] == "max_states" and exploration["states"] <= 4
    assert exploration["unexplored"] > 0 and not entry["goal_reached"]
    assert entry["status"] == "incomplete"  # so the CLI exits 3: "not found" is no verdict on a budget
    assert entry["error"] == (
        "exploration stopped at max_states (4) before the goal was found; raise explore.max_states to look further"
    )
    verdict = entry["rules"]["cancel.no-online-path"]  # "no way to cancel online" is not claimed on a budget
    assert verdict["outcome"] == "incomplete" and "max_states" in verdict["reason"]


def test_dom_replaced_every_100ms(fighting):
    entry = fighting.flow("churn")
    assert entry["status"] == "complete" and entry["goal_reached"], entry["exploration"]["failed_actions"]
    assert [s["label"] for s in entry["path"]] == ["Cancel subscription"]
    assert any("never settled" in n and "kept changing" in n for n in entry["exploration"]["notes"])


def test_download_is_refused_and_nothing_saved(fighting, hostile):
    entry = fighting.flow("download")
    assert entry["status"] == "complete" and entry["goal_reached"]
    assert hostile.count("/download/my-data.zip") >= 1  # the link was really clicked
    assert [d["file"] for d in entry["exploration"]["downloads"]] == ["my-data.zip"]
    assert not entry["exploration"]["downloads"][0]["saved"]
    folder = fighting.out / "flows" / "download"
    files = [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]
    assert all(f == "graph.json" or (f.startswith("screens/") and f.endswith(".png")) for f in files), files
    assert sum(p.stat().st_size for p in fighting.out.rglob("*") if p.is_file()) < DOWNLOAD_BYTES


def test_script_navigating_off_site_is_blocked(fighting):
    entry = fighting.flow("offsite")
    assert entry["status"] == "complete" and entry["goal_reached"]
    blocked = entry["exploration"]["blocked_navigations"]
    assert [b["url"] for b in blocked] == [OFFSITE_URL]
    assert any("blocked off-site navigation to example.invalid" in n for n in entry["exploration"]["notes"])
    assert all(s["url"].startswith("http://127.0.0.1:") for s in entry["states"])  # no error page as a screen


def test_meta_refresh_to_another_host_is_blocked_and_never_sent(fighting, hostile):
    entry = fighting.flow("metaoff")
    assert entry["status"] == "complete" and entry["goal_reached"]
    assert [b["host"] for b in entry["exploration"]["blocked_navigations"]] == ["localhost"]
    assert hostile.count("/metaoff/visited") == 0  # the request never left the browser
    assert all(s["url"].startswith("http://127.0.0.1:") for s in entry["states"])


def test_page_that_stops_responding_is_abandoned(fighting):
    """A script that never yields holds every evaluation forever; the flow is stopped, not the run."""
    entry = fighting.flow("frozen")
    assert entry["status"] == "incomplete" and entry["exploration"]["stop_reason"] == "timeout"
    assert "a step never returned (the page stopped responding)" in entry["error"]
    assert any("never returned" in n for n in entry["exploration"]["notes"])
    assert entry["exploration"]["seconds"] < 26 + 5


def test_fighting_pages_leave_a_sound_run_and_a_healthy_neighbour(fighting):
    assert_run_is_sound(fighting)
    assert_healthy(fighting, "good-b")


# ---------------------------------------------------------------- a 20 MB page


def test_twenty_megabyte_page(giant):
    entry = giant.flow("huge")
    assert entry["status"] == "complete" and entry["goal_reached"], entry["exploration"]
    assert [s["label"] for s in entry["path"]] == ["Cancel subscription"]
    start = next(s for s in entry["states"] if s["kind"] == "start")
    width, height = png_size(giant.out / start["screenshot"])
    assert height == 10_000 and width >= 1280  # clipped, and the clip is recorded
    assert any("first 10000px only" in n for n in entry["exploration"]["notes"])
    assert (giant.out / "report.json").stat().st_size < 2_000_000  # the page's text is not copied wholesale
    assert giant.watch.peak_pss_mb < MAX_CHROMIUM_MB
    assert_run_is_sound(giant)
    assert_healthy(giant, "good-c")


# ---------------------------------------------------------------- the CLI's exit code


CLI_CASES = {
    "error500": ("/error500/", "the start page answered HTTP 500"),
    "pingpong": ("/ping/", "redirect loop at"),
    "hang": ("/hang/", "did not finish loading"),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_exits_3_when_a_site_cannot_be_audited(case, hostile, tmp_path):
    path, words = CLI_CASES[case]
    spec = tmp_path / "flows.yaml"
    timeouts = "{navigation: 4, action: 2, settle: 2, flow: 30}"
    spec.write_text(
        "flows:\n"
        f"  - name: {case}\n    kind: cancellation\n    start: {hostile.url}{path}\n"
        f"    goal: {{text: {DONE_TEXT}}}\n    explore: {{timeouts: {timeouts}}}\n"
        f"  - name: good\n    kind: cancellation\n    start: {hostile.url}/good/\n"
        f"    goal: {{text: {DONE_TEXT}}}\n    explore: {{timeouts: {timeouts}}}\n"
    )
    with ChromiumWatch() as watch:
        proc = subprocess.run(
            [sys.executable, "-m", "auditor", "audit", str(spec), "--out", str(tmp_path / "out"), "--jobs", "2"],
            capture_output=True,
            text=True,
            timeout=240,
            env={**os.environ},
        )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert f"incomplete: {case}: " in proc.stderr and words in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    flows = {f["name"]: f for f in report["flows"]}
    assert flows[case]["status"] == "incomplete" and flows["good"]["status"] == "complete"
    assert watch.seen and not watch.leftovers and len(watch.after) == len(watch.before)


def test_the_watch_sees_an_orphan():
    """The process checks can fail: a 'chromium' left running by a parent that exited is a leftover."""
    with ChromiumWatch(grace=0.5) as watch:
        subprocess.run(["bash", "-c", "exec -a chromium-orphan sleep 30 & sleep 1"], check=True)  # parent exits
    try:
        assert len(watch.leftovers) == 1
    finally:
        for pid, _ in watch.leftovers:
            os.kill(pid, signal.SIGTERM)

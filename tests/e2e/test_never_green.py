"""e2e: never green by mistake. Real Chromium and the real `auditor` command against small sites served here
on 127.0.0.1, each broken the way a site breaks an audit: a cancel link removed since the baseline, a
session the server drops mid-flow, a popup storm whose window replaces the tab that reached the goal. None
may exit 0, and SARIF, JUnit and HTML must say what happened.
"""

from __future__ import annotations

import html as html_module
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from junitparser import JUnitXml

from tests.e2e.test_cli import auditor
from tests.hostile.server import page

pytestmark = pytest.mark.e2e

DONE = "Your subscription has been cancelled"


def _page(title: str, body: str, head: str = "") -> bytes:
    return page(title, f"<h1>{title}</h1>{body}", head)


ACCOUNT = '<p>Plan: Premium, $12.99 a month.</p><p><a href="help">Help</a></p>'
CANCEL_LINK = '<p><a href="confirm">Cancel subscription</a></p>'
CONFIRM = '<form action="done" method="get"><button>Confirm cancellation</button></form>'
LOGIN = (
    '<form action="login" method="post"><label>Password <input type="password" name="pw"></label>'
    "<button>Sign in</button></form>"
)
STORM = "<script>for (let i = 0; i < 3; i++) window.open('ad?n=' + i, '_blank');</script>"


class Sites(ThreadingHTTPServer):
    """/cancel/ (its cancel link can be removed), /session/ (drops the session cookie on the way),
    /storm/ (the goal page opens three ad windows as it loads), /basic/ (the cancel link is inside a same-host
    iframe that answers 401 with a Basic challenge)."""

    daemon_threads = True
    cancel_link = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Sites

    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        site, _, rest = self.path.lstrip("/").partition("/")
        page, headers, status = rest.split("?")[0], [], 200
        if page == "" and site == "basic":
            body = _page("Your account", ACCOUNT + '<iframe src="billing" title="Billing"></iframe>')
        elif page == "billing" and site == "basic":  # the billing widget asks for a password the user never gave
            status, body = 401, _page("Billing", CANCEL_LINK)
            headers.append(("WWW-Authenticate", 'Basic realm="billing"'))
        elif page == "":
            body = _page("Your account", ACCOUNT + (CANCEL_LINK if site != "cancel" or self.server.cancel_link else ""))
            if site == "session":
                headers.append(("Set-Cookie", "sid=s3cr3t; Path=/; HttpOnly"))
        elif page == "help":
            body = _page("Help", '<p>Questions? Read our FAQ.</p><p><a href="./">Your account</a></p>')
        elif page == "confirm" and site == "session" and "sid=" in (self.headers.get("Cookie") or ""):
            status, body = 302, b""
            headers += [("Set-Cookie", "sid=; Path=/; Max-Age=0"), ("Location", "login")]
        elif page == "confirm":
            body = _page("Are you sure?", CONFIRM)
        elif page == "login":
            body = _page("Sign in", LOGIN)
        elif page == "done":
            body = _page("Cancelled", f"<p>{DONE}.</p>", STORM if site == "storm" else "")
        elif page == "ad":
            body = _page("You won a prize", "<p>Claim it now.</p>")
        else:
            status, body = 404, _page("Not found", "")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def sites() -> Iterator[Sites]:
    server = Sites(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _spec(tmp_path: Path, sites: Sites, site: str) -> Path:
    spec = tmp_path / f"{site}.yaml"
    spec.write_text(
        f"name: {site}-cancel\nkind: cancellation\nstart: {sites.url}/{site}/\ngoal:\n  text: {DONE}\n"
        "explore:\n  max_states: 20\n"
    )
    return spec


def _run(spec: Path, out: Path, *args: str):
    proc = auditor("audit", str(spec), "--out", str(out), "--jobs", "1", "--quiet", "--format", "all", *args)
    report = json.loads((out / "report.json").read_text())
    return proc, report


def _sarif_run(out: Path) -> dict:
    return json.loads((out / "report.sarif").read_text())["runs"][0]


def _junit_errors(out: Path) -> list[str]:
    suites = JUnitXml.fromfile(str(out / "junit.xml"))
    return [case.name for suite in suites for case in suite if any(r._tag == "error" for r in case.result)]


def _assert_incomplete_everywhere(proc, report: dict, out: Path, words: str) -> None:
    assert proc.returncode == 3, proc.stdout + proc.stderr
    flow = report["flows"][0]
    assert report["status"] == flow["status"] == "incomplete"
    assert words in flow["error"]
    assert "AUDIT INCOMPLETE" in proc.stderr
    invocation = _sarif_run(out)["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert any(words in n["message"]["text"] for n in invocation["toolExecutionNotifications"])
    assert _junit_errors(out) == ["exploration"]
    html = (out / "report.html").read_text()
    assert "audit incomplete" in html and "Not seen through:" in html
    assert "AUDIT INCOMPLETE" in (out / "report.md").read_text()


def test_a_removed_cancel_link_fails_and_is_a_regression_never_fixed(sites, tmp_path):
    spec = _spec(tmp_path, sites, "cancel")
    sites.cancel_link = True
    first, baseline = _run(spec, tmp_path / "before")
    assert first.returncode == 0, first.stdout + first.stderr
    assert baseline["flows"][0]["goal_reached"] is True

    sites.cancel_link = False
    try:
        proc, report = _run(
            spec, tmp_path / "after", "--baseline", str(tmp_path / "before" / "report.json"), "--fail-on", "warning"
        )
    finally:
        sites.cancel_link = True
    assert proc.returncode == 1, proc.stdout + proc.stderr
    flow = report["flows"][0]
    assert flow["goal_reached"] is False and flow["exploration"]["stop_reason"] == "frontier_exhausted"
    finding = next(f for f in report["findings"] if f["rule"] == "cancel.no-online-path")
    assert (finding["severity"], finding["baseline"]) == ("error", "new")
    assert "check the spec's goal" in finding["message"]
    assert report["baseline"]["fixed"] == []
    assert [r["flow"] for r in report["baseline"]["regressions"]] == ["cancel-cancel"]
    assert "REGRESSION" in proc.stdout and "0 fixed" in proc.stdout

    out = tmp_path / "after"
    results = _sarif_run(out)["results"]
    assert [(r["ruleId"], r["level"], r["baselineState"]) for r in results] == [
        ("cancel.no-online-path", "error", "new")
    ]
    suites = JUnitXml.fromfile(str(out / "junit.xml"))
    failed = [case.name for suite in suites for case in suite if any(r._tag == "failure" for r in case.result)]
    assert failed == ["cancel.no-online-path", "baseline"]  # the goal lost since the baseline fails the run too
    html = html_module.unescape((out / "report.html").read_text())
    assert "audit complete" in html and "check the spec's goal (it may be wrong)" in html


def test_a_session_dropped_mid_flow_is_incomplete_not_a_verdict(sites, tmp_path):
    proc, report = _run(_spec(tmp_path, sites, "session"), tmp_path / "out")
    _assert_incomplete_everywhere(proc, report, tmp_path / "out", "the session was lost after 'Cancel subscription'")
    flow = report["flows"][0]
    lost = flow["exploration"]["lost_sessions"][0]
    assert lost["cookies"] == ["sid"] and lost["url"].endswith("/session/login")
    assert "s3cr3t" not in json.dumps(report)  # the cookie's name is named, never its value
    assert flow["rules"]["cancel.no-online-path"]["outcome"] == "incomplete"
    assert not report["findings"]


def test_a_popup_storm_that_replaces_the_goal_tab_is_incomplete(sites, tmp_path):
    proc, report = _run(_spec(tmp_path, sites, "storm"), tmp_path / "out")
    _assert_incomplete_everywhere(proc, report, tmp_path / "out", "replaced the tab at")
    replaced = report["flows"][0]["exploration"]["replaced_tabs"][0]
    assert "/storm/done" in replaced["replaced"] and "/storm/ad" in replaced["url"]


def test_a_basic_challenge_in_a_same_host_iframe_never_exits_0(sites, tmp_path):
    """The only way out sits in a frame behind a 401 Basic challenge: the audit never sees it, so it may end
    incomplete (the frame's navigation left pending) or fail no-online-path, but never pass."""
    proc, report = _run(_spec(tmp_path, sites, "basic"), tmp_path / "out")
    assert proc.returncode in (1, 3), proc.stdout + proc.stderr
    flow = report["flows"][0]
    assert flow["goal_reached"] is False
    if proc.returncode == 1:
        finding = next(f for f in report["findings"] if f["rule"] == "cancel.no-online-path")
        assert finding["severity"] == "error"
    else:
        assert flow["status"] == "incomplete"
        assert _sarif_run(tmp_path / "out")["invocations"][0]["executionSuccessful"] is False


@pytest.mark.parametrize(("kind", "code"), [("cancellation", 1), ("purchase", 3)])
def test_an_unedited_init_spec_never_exits_0(sites, tmp_path, kind, code):
    """`auditor init` guesses a goal; left as it is on a site that never shows it, the audit cannot pass."""
    spec = tmp_path / "flow.yaml"
    assert auditor("init", f"{sites.url}/cancel/", "--kind", kind, "--write", str(spec)).returncode == 0
    sites.cancel_link = False
    try:
        proc, report = _run(spec, tmp_path / "out")
    finally:
        sites.cancel_link = True
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert "check the spec's goal" in json.dumps(report)

"""Issue 16 on real Chromium: a flow behind a login audited from a saved session (and the session expired),
a flow seen from Germany and from the US, and bot walls reported, never solved nor retried."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests import site_routes
from tests.conftest import SITES
from tests.e2e.test_cli import auditor

pytestmark = pytest.mark.e2e

EMAIL = "member.sam@example.test"
PASSWORD = site_routes.MEMBERS_PASSWORD




def every_file_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def members(sites_server, tmp_path: Path) -> dict[str, str]:
    return {
        "MEMBERS_EMAIL": EMAIL,
        "MEMBERS_PASSWORD": PASSWORD,
        "MEMBERS_STATE": str(tmp_path / "members-state.json"),
    }


def test_login_saves_a_session_and_the_audit_starts_signed_in(sites_server, members, tmp_path: Path) -> None:
    spec = str(SITES / "members" / "flow.yaml")
    sites_server.clear_hits()
    login = auditor("login", spec, "--save", members["MEMBERS_STATE"], env=members)
    assert login.returncode == 0, login.stderr
    assert "saved the session of members-cancel" in login.stdout
    state_file = Path(members["MEMBERS_STATE"])
    assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
    state = json.loads(state_file.read_text())
    assert [c["name"] for c in state["cookies"]] == ["members_sid"]
    assert PASSWORD not in state_file.read_text()
    assert sites_server.count("/members/login", method="POST") == 1

    out = tmp_path / "out"
    audit = auditor("audit", spec, "--out", str(out), "--format", "json,html", "--fail-on", "never", env=members)
    assert audit.returncode == 0, audit.stderr
    (flow,) = json.loads((out / "report.json").read_text())["flows"]
    assert flow["status"] == "complete" and flow["goal_reached"], flow.get("error")
    assert [s["label"] for s in flow["path"]] == ["Cancel membership", "Cancel membership"]
    assert flow["context"]["storage_state"] == members["MEMBERS_STATE"]
    assert sites_server.count("/members/login", method="POST") == 1  # the audit never signed in again
    for text in (login.stdout, login.stderr, audit.stdout, audit.stderr, every_file_text(out)):
        assert PASSWORD not in text


def test_a_refused_login_says_what_the_page_said_and_the_steps_number(sites_server, members, tmp_path: Path) -> None:
    spec = tmp_path / "flow.yaml"  # the members flow, waiting 3 s for a step instead of 15
    spec.write_text((SITES / "members" / "flow.yaml").read_text() + "explore: {timeouts: {navigation: 3}}\n")
    wrong = {**members, "MEMBERS_PASSWORD": "wrong-horse"}
    login = auditor("login", str(spec), "--save", members["MEMBERS_STATE"], env=wrong)
    assert login.returncode == 3, login.stderr
    # step 4 of the spec's list (the fill of two fields is one step), with its line; the page's alert, quoted
    assert (
        f"setup step 4 (wait_for) failed at {spec}:15: 'Your account' did not appear within 3s; "
        "the page said: 'Wrong e-mail or password.'"
    ) in login.stderr
    for internal in ("Locator.", "Call log", "waiting for", "Traceback"):
        assert internal not in login.stderr
    assert not Path(members["MEMBERS_STATE"]).exists()


def test_an_expired_session_is_incomplete_exit_3_with_the_screenshot(
    sites_server, members, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = str(SITES / "members" / "flow.yaml")
    assert auditor("login", spec, "--save", members["MEMBERS_STATE"], env=members).returncode == 0
    monkeypatch.setitem(site_routes.MEMBERS_SESSION, "seconds", 0.0)  # every session has expired
    out = tmp_path / "out"
    audit = auditor("audit", spec, "--out", str(out), env=members)
    assert audit.returncode == 3, audit.stderr
    assert "the saved session no longer signs in" in audit.stderr
    assert "Traceback" not in audit.stderr
    (flow,) = json.loads((out / "report.json").read_text())["flows"]
    assert flow["status"] == "incomplete"
    assert "login screen (it asks for a password)" in flow["error"]
    assert f"auditor login {spec} --save" in flow["error"]
    shot = flow["states"][0]["screenshot"]
    assert shot and (out / shot).is_file() and shot in flow["error"]
    assert PASSWORD not in every_file_text(out) + audit.stderr + audit.stdout


def test_a_german_visitor_sees_the_german_flow(sites_server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    audit = auditor("audit", str(SITES / "intl" / "flow.yaml"), "--out", str(out), "--format", "json,html")
    assert audit.returncode in (0, 1), audit.stderr
    flows = {f["name"]: f for f in json.loads((out / "report.json").read_text())["flows"]}
    de, us = flows["intl-de-cancel"], flows["intl-us-cancel"]
    assert de["goal_reached"] and us["goal_reached"]
    assert [s["label"] for s in de["path"]] == ["Verträge hier kündigen", "jetzt kündigen"]
    assert [s["label"] for s in us["path"]] == ["Manage subscription", "Cancel subscription"]
    assert not any("kündigen" in s["label"] for s in us["path"])
    assert de["context"]["locale"] == "de-DE" and de["context"]["timezone"] == "Europe/Berlin"
    assert us["context"]["locale"] is None
    html = (out / "report.html").read_text()
    assert "de-DE, Europe/Berlin, at 52.52, 13.405" in html


def test_bot_walls_are_reported_never_solved_nor_retried(sites_server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sites_server.clear_hits()
    audit = auditor("audit", str(SITES / "walled" / "flow.yaml"), "--out", str(out))
    assert audit.returncode == 3, audit.stderr
    flows = {f["name"]: f for f in json.loads((out / "report.json").read_text())["flows"]}
    assert {f["status"] for f in flows.values()} == {"incomplete"}
    headless = flows["walled-headless"]["error"]
    assert "HTTP 403" in headless and "bot wall" in headless and 'it says "' in headless
    assert "challenges.cloudflare.com" in headless and "never solves" in headless
    assert "challenge widget (www.google.com)" in flows["walled-recaptcha"]["error"]
    busy = flows["walled-ratelimit"]["error"]
    assert "HTTP 429" in busy and "Retry-After: 120" in busy and "never solves a challenge nor retries" in busy
    for flow in flows.values():
        shot = flow["states"][0]["screenshot"]
        assert shot and (out / shot).is_file()
    assert sites_server.count("/walled/home") == 1 and sites_server.count("/walled/busy") == 1
    assert sites_server.count("/walled/account") == 0


def test_a_trace_per_flow_opens_in_the_trace_viewer(sites_server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = str(SITES / "tiny" / "flow.yaml")
    audit = auditor("audit", spec, "--out", str(out), "--format", "json,html", "--trace", "on", "--fail-on", "never")
    assert audit.returncode == 0, audit.stderr
    (flow,) = json.loads((out / "report.json").read_text())["flows"]
    assert flow["trace"] == "flows/tiny-cancel/trace.zip"
    with zipfile.ZipFile(out / flow["trace"]) as trace:
        names = trace.namelist()
    assert {"trace.trace", "trace.network"} <= set(names) and any(n.startswith("resources/") for n in names)
    assert 'href="flows/tiny-cancel/trace.zip"' in (out / "report.html").read_text()
    viewer = subprocess.run(
        [str(Path(sys.executable).parent / "playwright"), "show-trace", "--help"], capture_output=True
    )
    assert viewer.returncode == 0
    # retain-on-finding: a flow with no finding keeps none
    quiet = tmp_path / "quiet"
    audit = auditor("audit", spec, "--out", str(quiet), "--trace", "retain-on-finding", "--fail-on", "never")
    (flow,) = json.loads((quiet / "report.json").read_text())["flows"]
    assert flow["trace"] is None and not list(quiet.rglob("trace*.zip"))


def test_one_flow_from_the_command_line(sites_server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    url = f"{sites_server.url}/intl/account"
    args = ["--kind", "cancellation", "--goal-text", "Ihre Kündigung ist eingegangen", "--locale", "de-DE"]
    audit = auditor("audit", "--url", url, *args, "--out", str(out))
    assert audit.returncode == 0, audit.stderr
    (flow,) = json.loads((out / "report.json").read_text())["flows"]
    assert flow["name"] == "127.0.0.1-cancellation" and flow["goal_reached"]
    assert [s["label"] for s in flow["path"]] == ["Verträge hier kündigen", "jetzt kündigen"]
    assert flow["spec"]["file"] == "(command line)"
    bad = auditor("audit", "--url", "shop", "--kind", "cancellation", "--goal-text", "x", "--out", str(out))
    assert bad.returncode == 2 and "(command line):1: start: 'shop' is not an absolute" in bad.stderr

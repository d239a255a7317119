"""Baselines, re-rendering and interruption through the real `auditor` command and real Chromium.

The FitTrack demo site is copied so one of its flaws (the small grey "Cancel membership" link) can be
fixed between runs; every run gets its own server, so ports differ between runs as they do in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from junitparser import JUnitXml

from auditor.demo import FLOWS_DIR
from auditor.demo.server import SITES_DIR, DemoServer
from tests.e2e.test_cli import auditor

pytestmark = pytest.mark.e2e

SPEC = FLOWS_DIR / "fittrack.yaml"


def _audit(sites: Path, out: Path, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    with DemoServer(sites_dir=sites) as server:
        proc = auditor("audit", str(SPEC), "--out", str(out), "--jobs", "2", *args, env={"DEMO_URL": server.url})
    assert proc.returncode in (0, 1), proc.stderr
    return proc, server.url


def _fingerprints(out: Path) -> dict[str, str]:
    report = json.loads((out / "report.json").read_text())
    return {f["fingerprint"]: f["rule"] for f in report["findings"]}


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("sites") / "sites"
    shutil.copytree(SITES_DIR, copy)
    return copy


def test_same_site_twice_same_fingerprints_then_a_fix_shows_as_fixed(sites, tmp_path):
    first, url1 = _audit(sites, tmp_path / "run1", "--format", "all")
    second, url2 = _audit(sites, tmp_path / "run2")
    assert url1 != url2  # another port, another session: the fingerprints must not care
    before = _fingerprints(tmp_path / "run1")
    assert len(before) >= 5 and before == _fingerprints(tmp_path / "run2")

    account = sites / "fittrack" / "account.html"
    account.write_text(account.read_text().replace('class="fine" href', 'class="btn btn-ghost" href'))
    third, _ = _audit(sites, tmp_path / "run3", "--baseline", str(tmp_path / "run1" / "report.json"), "--fail-on",
                      "info", "--format", "md,junit")
    assert third.returncode == 0, third.stdout + third.stderr  # nothing new, one fixed
    report = json.loads((tmp_path / "run3" / "report.json").read_text())
    fixed = report["baseline"]["fixed"]
    assert [(f["rule"], f["evidence"]["label"]) for f in fixed] == [("cancel.hidden-exit", "Cancel membership")]
    assert report["baseline"]["new"] == 0
    assert {f["fingerprint"] for f in report["findings"]} == set(before) - {fixed[0]["fingerprint"]}
    assert "1 fixed" in third.stdout
    assert "Cancel membership" in (tmp_path / "run3" / "report.md").read_text()

    # the same comparison without a baseline fails on the known findings: the gate only forgives old ones
    rerender = auditor("report", str(tmp_path / "run3" / "report.json"), "--format", "json", "--fail-on", "warning")
    assert rerender.returncode == 1, rerender.stderr


def test_report_rerenders_every_format_without_a_browser(sites, tmp_path):
    _audit(sites, tmp_path / "run", "--format", "json")
    elsewhere = tmp_path / "rendered"
    proc = auditor("report", str(tmp_path / "run" / "report.json"), "--out", str(elsewhere), "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == sorted(
        ["report.json", "report.html", "report.sarif", "junit.xml", "report.md"]
    )
    report = json.loads((elsewhere / "report.json").read_text())
    suites = JUnitXml.fromfile(str(elsewhere / "junit.xml"))
    # --fail-on never: nothing fails the run, so nothing is a JUnit failure; each failing rule is skipped instead
    assert sum(s.failures for s in suites) == 0
    assert sum(s.skipped for s in suites) >= len({(f["flow"], f["rule"]) for f in report["findings"]}) > 0
    html = (elsewhere / "report.html").read_text()
    shot = report["findings"][0]["evidence"]["screenshot"]
    assert f"../run/{shot}" in html  # evidence stays in the audit's folder, linked from --out


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_audit_leaves_a_valid_partial_report(sites, tmp_path, signum):
    out = tmp_path / "out"
    with DemoServer(sites_dir=sites) as server:
        proc = subprocess.Popen(
            [sys.executable, "-m", "auditor", "audit", str(FLOWS_DIR / "iliad.yaml"), str(SPEC), "--out", str(out),
             "--format", "all", "--quiet"],
            env={**os.environ, "DEMO_URL": server.url},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # as in a terminal: a background shell (CI) starts children with SIGINT ignored
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 120
        while not (out / "report.json").exists() and time.monotonic() < deadline:  # a first flow has finished
            time.sleep(0.2)
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, stderr
    assert "partial report written" in stderr and "Traceback" not in stderr
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "incomplete"
    flows = {f["name"]: f for f in report["flows"]}
    assert len(flows) == 4
    unfinished = [f for f in flows.values() if f["error"] == "interrupted before this flow finished"]
    assert unfinished and all(f["status"] == "incomplete" for f in unfinished)
    assert any(f["status"] == "complete" for f in flows.values())
    for name in ("report.html", "report.sarif", "junit.xml", "report.md"):
        assert (out / name).stat().st_size > 0
    assert not list(out.glob(".*.tmp"))  # no half-written file left behind

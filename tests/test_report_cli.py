"""`auditor check` and `auditor report` as a user runs them (a real process, saved graphs, no browser)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "auditor" / "rules" / "packs" / "fixtures"
GRAPHS = [str(FIXTURES / f"{n}.graph.json") for n in ("iliad-cancel", "iliad-signup", "fair-cancel")]
US = ("--rules", "us-ftc")  # cancelling harder than signing up is an error under ROSCA
ALL_FILES = ["junit.xml", "report.html", "report.json", "report.md", "report.sarif"]


def auditor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args], capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )


def test_check_writes_every_format_and_lists_them(tmp_path):
    proc = auditor("check", *GRAPHS, *US, "--out", str(tmp_path), "--format", "all")
    assert proc.returncode == 1, proc.stderr  # iliad has error findings
    assert sorted(p.name for p in tmp_path.iterdir()) == ALL_FILES
    for name in ALL_FILES:
        assert str(tmp_path / name) in proc.stdout
    assert not list(tmp_path.glob(".*"))


def test_json_prints_only_the_report_on_stdout(tmp_path):
    proc = auditor("check", *GRAPHS, "--out", str(tmp_path), "--json", "--fail-on", "never")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report == json.loads((tmp_path / "report.json").read_text())


def test_unknown_format_is_exit_2(tmp_path):
    proc = auditor("check", *GRAPHS, "--out", str(tmp_path), "--format", "json,pdf")
    assert proc.returncode == 2
    assert "unknown format: pdf" in proc.stderr and "Traceback" not in proc.stderr


def test_report_rerender_and_triage_by_suppressions(tmp_path):
    first = tmp_path / "audit"
    auditor("check", *GRAPHS, *US, "--out", str(first))
    report = json.loads((first / "report.json").read_text())
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors
    sup = tmp_path / "accepted.yaml"
    sup.write_text(
        "suppressions:\n"
        + "".join(f"  - fingerprint: {f['fingerprint']}\n    reason: accepted, LEGAL-7\n" for f in errors)
    )
    proc = auditor("report", str(first / "report.json"), "--suppressions", str(sup), "--out", str(tmp_path / "r"))
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the errors are accepted; warnings don't fail
    rendered = json.loads((tmp_path / "r" / "report.json").read_text())
    assert len(rendered["suppressed"]) == len(errors)
    assert "suppressed: " in proc.stdout
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ALL_FILES


def test_report_of_a_broken_file_is_exit_2(tmp_path):
    bad = tmp_path / "report.json"
    bad.write_text("{not json")
    proc = auditor("report", str(bad))
    assert proc.returncode == 2 and f"{bad}:1: not JSON" in proc.stderr
    proc = auditor("report", str(tmp_path / "missing.json"))
    assert proc.returncode == 2 and "report not found" in proc.stderr


def test_broken_suppressions_file_stops_before_anything_runs(tmp_path):
    sup = tmp_path / "s.yaml"
    sup.write_text("suppressions:\n  - rule: cancel.too-many-steps\n    flow: iliad-cancel\n")
    proc = auditor("check", *GRAPHS, "--out", str(tmp_path / "out"), "--suppressions", str(sup))
    assert proc.returncode == 2 and f"{sup}:2: " in proc.stderr and "reason" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_findings_table_cuts_messages_only_for_a_terminal():
    from auditor.report.terminal import findings_table

    message = "m" * 150
    report = {"findings": [{"severity": "error", "rule": "r", "flow": "f", "message": message}]}
    assert message in findings_table(report, None)  # a log or a file: the whole message
    cut = findings_table(report, 100)
    assert message not in cut and ("m" * 99 + "…") in cut

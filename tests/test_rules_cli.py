"""`auditor rules list|validate|test` and `auditor check`, on the shipped fixtures (no browser)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from auditor.rules.pack import shipped_dir
from auditor.rules.testing import test_pack as run_pack_tests

FIXTURES = shipped_dir() / "fixtures"
NEW_RULES = (
    "us-mn.no-offer-during-cancel",
    "cancel.same-medium",
    "purchase.terms-at-enrolment",
    "purchase.decline-shaming",
    "de.order-button-label",
    "de.single-confirmation-page",
    "eu.withdrawal-data-minimal",
)


def auditor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args], capture_output=True, text=True, timeout=120, env=os.environ
    )


def test_shipped_packs_prove_every_rule():
    proc = auditor("rules", "test")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all rules proved" in proc.stdout
    assert "ok   us-ca.click-to-cancel-on-offers: fires on 1, quiet on 3" in proc.stdout
    for rule in NEW_RULES:  # issue 17: each proved by a fixture where it fires and one where it stays quiet
        assert re.search(rf"ok   {re.escape(rule)}: fires on [1-9]\d*, quiet on [1-9]", proc.stdout), rule


def _team(tmp_path: Path, tests: str) -> Path:
    (tmp_path / "fixtures").symlink_to(FIXTURES)
    pack = tmp_path / "team.yaml"
    pack.write_text(f"""\
pack: team
version: '1'
extends: [core]
rules:
  - id: team.steps
    title: Three steps at most
    severity: warning
    applies_to: [cancellation]
    check: steps
    options: {{max_steps: 3}}
    message: "{{steps}} steps"
tests:
{tests}""")
    return pack


def test_missed_and_unexpected_are_reported(tmp_path):
    pack = _team(
        tmp_path,
        """\
  - graph: fixtures/fair-cancel.graph.json
    fires: [team.steps]
  - graph: fixtures/fittrack-cancel.graph.json
    fires: []
""",
    )
    report = run_pack_tests(str(pack))
    problems = report.rules["team.steps"].problems
    assert "missed on fixtures/fair-cancel.graph.json" in problems  # 2 steps: it cannot fire there
    assert "unexpected on fixtures/fittrack-cancel.graph.json" in problems  # 4 steps > 3
    assert not report.ok
    proc = auditor("rules", "test", str(pack))
    assert proc.returncode == 1 and "FAIL team.steps" in proc.stdout


def test_a_rule_never_shown_firing_fails(tmp_path):
    pack = _team(tmp_path, "  - graph: fixtures/fair-cancel.graph.json\n    fires: []\n")
    assert run_pack_tests(str(pack)).rules["team.steps"].problems == ["no fixture shows it firing"]


def test_unknown_rule_in_tests_is_file_line(tmp_path):
    pack = _team(tmp_path, "  - graph: fixtures/fair-cancel.graph.json\n    fires: [team.stepz]\n")
    proc = auditor("rules", "test", str(pack))
    assert proc.returncode == 2
    assert f"{pack}:14: tests[0].fires: no enabled rule 'team.stepz'" in proc.stderr


def test_missing_fixture_is_file_line(tmp_path):
    pack = _team(tmp_path, "  - graph: fixtures/nope.graph.json\n")
    proc = auditor("rules", "test", str(pack))
    assert proc.returncode == 2 and f"{pack}:13: cannot load fixture fixtures/nope.graph.json" in proc.stderr


def test_list_and_validate():
    proc = auditor("rules", "list", "--rules", "de")
    assert proc.returncode == 0
    assert "de.cancel-button-label" in proc.stdout and "cancel.no-online-path" in proc.stdout
    proc = auditor("rules", "validate", "core", "us-ca")
    assert proc.returncode == 0 and proc.stdout.count("ok:") == 2


def test_list_references_prints_status_and_date():
    proc = auditor("rules", "list", "--rules", "uk", "--references")
    assert proc.returncode == 0, proc.stderr
    header = proc.stdout.splitlines()[1].split()
    assert header == ["id", "law", "section", "status", "as_of", "url"]
    rows = [line for line in proc.stdout.splitlines() if line.startswith("cancel.no-online-path ")]
    assert any("Digital Markets, Competition and Consumers Act 2024" in r and "not yet in force" in r for r in rows)
    assert all(re.search(r"\b\d{4}-\d{2}-\d{2}\b", r) for r in rows)


def test_validate_broken_pack(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\nversion: '1'\nextends: [core]\noverrides:\n  - id: cancel.nope\n    enabled: false\n")
    proc = auditor("rules", "validate", str(bad))
    assert proc.returncode == 2 and f"{bad}:5:" in proc.stderr and "Traceback" not in proc.stderr


def test_validate_a_message_naming_no_figure(tmp_path):
    typo = tmp_path / "typo.yaml"
    team = _team(tmp_path, "  - graph: fixtures/fair-cancel.graph.json\n").read_text()
    typo.write_text(team.replace('"{steps} steps"', '"{steps} steps on {pagez} pages"'))
    proc = auditor("rules", "validate", str(typo))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{typo}:11: rules[0].message: check 'steps' measures no figure {{pagez}} (did you mean {{pages}}?)" in (
        proc.stderr
    )
    assert auditor("rules", "test", str(typo)).returncode == 2


def test_check_recomputes_findings_without_a_browser(tmp_path):
    graphs = [str(FIXTURES / f"{n}.graph.json") for n in ("iliad-cancel", "iliad-signup", "fair-cancel")]
    proc = auditor("check", *graphs, "--rules", "us-ftc", "--out", str(tmp_path), "--fail-on", "warning")
    assert proc.returncode == 1, proc.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    rules = {f["rule"] for f in report["findings"] if f["flow"] == "iliad-cancel"}
    assert "cancel.harder-than-signup" in rules
    harder = next(f for f in report["findings"] if f["rule"] == "cancel.harder-than-signup")
    assert harder["severity"] == "error"  # us-ftc raises it
    assert harder["figures"]["steps"] == 8 and harder["figures"]["partner_steps"] == 2
    assert "8 actions" in harder["message"] and "iliad-signup" in harder["message"]
    assert any("8403" in r.get("section", "") for r in harder["references"])
    fair = next(f for f in report["flows"] if f["name"] == "fair-cancel")
    assert fair["rules"]["cancel.harder-than-signup"]["outcome"] == "incomplete"  # its partner was not given

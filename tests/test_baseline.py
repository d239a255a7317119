"""Baselines and suppressions over reports built from saved graphs (no browser)."""

from __future__ import annotations

import copy
import json
import time
from datetime import date
from pathlib import Path

import pytest

from auditor.assess import report_from_graphs
from auditor.baseline import Triage, load_report, load_suppressions, triage
from auditor.errors import InputError
from auditor.graph import FlowGraph
from auditor.report.terminal import exit_code
from auditor.rules.pack import load_rules

FIXTURES = Path(__file__).parent.parent / "auditor" / "rules" / "packs" / "fixtures"
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def report() -> dict:
    names = ["iliad-cancel", "iliad-signup", "fittrack-cancel", "fittrack-signup", "fair-cancel"]
    graphs = {n: FlowGraph.load(FIXTURES / f"{n}.graph.json") for n in names}
    now = time.time()
    built = report_from_graphs(graphs, {}, load_rules(), browser={"name": "none"}, started=now, finished=now)
    assert built["findings"], "the fixtures must give findings to triage"
    return built


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suppressions.yaml"
    path.write_text(text)
    return path


def test_baseline_marks_new_unchanged_and_fixed(report):
    old = copy.deepcopy(report)
    gone = old["findings"][0]
    old_fps = {f["fingerprint"] for f in old["findings"]}
    now = copy.deepcopy(report)
    now["findings"] = now["findings"][1:]  # the first one was fixed
    extra = {**now["findings"][0], "fingerprint": "f" * 20, "message": "a new one"}
    now["findings"].append(extra)

    out = Triage(baseline=old, baseline_file="old.json").apply(now)

    marks = {f["fingerprint"]: f["baseline"] for f in out["findings"]}
    assert marks.pop("f" * 20) == "new"
    assert set(marks.values()) == {"unchanged"} and set(marks) <= old_fps
    assert [f["fingerprint"] for f in out["baseline"]["fixed"]] == [gone["fingerprint"]]
    assert out["baseline"]["new"] == 1 and out["summary"]["fixed"] == 1
    assert exit_code(out, "error" if extra["severity"] == "error" else extra["severity"]) == 1


def test_with_a_baseline_only_new_findings_fail(report):
    out = Triage(baseline=copy.deepcopy(report), baseline_file="old.json").apply(report)
    assert out["findings"] and all(f["baseline"] == "unchanged" for f in out["findings"])
    assert exit_code(report, "info") == 1
    assert exit_code(out, "info") == 0


def test_triage_is_idempotent_and_undoable(report, tmp_path):
    old = copy.deepcopy(report)
    old["findings"] = old["findings"][2:]
    first = report["findings"][0]["fingerprint"]
    sup = load_suppressions(_write(tmp_path, f"suppressions:\n  - fingerprint: {first}\n    reason: known, LEGAL-1\n"))
    once = Triage(baseline=old, baseline_file="b", suppressions=sup, today=TODAY).apply(report)
    twice = Triage(baseline=old, baseline_file="b", suppressions=sup, today=TODAY).apply(once)
    assert once == twice
    assert [f["fingerprint"] for f in once["suppressed"]] == [first]
    assert Triage().apply(once)["findings"] == report["findings"]


def test_suppression_by_fingerprint_and_by_rule_and_flow_glob(report, tmp_path):
    first = report["findings"][0]
    rule_flow = next(f for f in report["findings"] if f["fingerprint"] != first["fingerprint"])
    path = _write(
        tmp_path,
        "suppressions:\n"
        f"  - fingerprint: {first['fingerprint']}\n"
        "    reason: accepted by legal (LEGAL-42)\n"
        f"  - rule: {rule_flow['rule']}\n"
        f"    flow: '{rule_flow['flow'][:3]}*'\n"
        "    reason: redesign ships in Q1\n"
        "    expires: 2027-03-31\n",
    )
    out = Triage(suppressions=load_suppressions(path), today=TODAY).apply(report)
    silenced = {f["fingerprint"]: f["suppression"] for f in out["suppressed"]}
    assert silenced[first["fingerprint"]]["reason"] == "accepted by legal (LEGAL-42)"
    assert silenced[rule_flow["fingerprint"]]["expires"] == "2027-03-31"
    assert silenced[rule_flow["fingerprint"]]["where"] == f"{path}:4"
    assert not set(silenced) & {f["fingerprint"] for f in out["findings"]}
    assert out["summary"]["suppressed"] == len(silenced)
    assert out["summary"]["findings"] == len(report["findings"]) - len(silenced)


def test_an_expired_suppression_brings_the_finding_back_and_says_so(report, tmp_path):
    first = report["findings"][0]
    path = _write(
        tmp_path,
        f"suppressions:\n  - fingerprint: {first['fingerprint']}\n    reason: until the fix\n    expires: 2026-01-01\n",
    )
    out = Triage(suppressions=load_suppressions(path), today=TODAY).apply(report)
    back = next(f for f in out["findings"] if f["fingerprint"] == first["fingerprint"])
    assert back["suppression"]["expired"] is True
    assert "suppression expired on 2026-01-01: until the fix" in back["message"]
    assert not out["suppressed"]
    assert exit_code(out, first["severity"]) == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("suppressions:\n  - fingerprint: abcdef0123\n", 2, "'reason' is missing"),
        ("suppressions:\n  - rule: cancel.too-many-steps\n    reason: because\n", 2, "both `rule` and `flow`"),
        (
            "suppressions:\n  - reason: because\n    fingerprint: abcdef0123\n    rule: x\n    flow: y\n",
            2,
            "either `fingerprint`",
        ),
        ("suppressions:\n  - fingerprint: not-hex!\n    reason: because\n", 2, "not a finding fingerprint"),
        ("suppressions:\n  - fingerprint: abcdef0123\n    reason: because\n    expires: 2026-02-31\n", 4, "real date"),
        ("suppressions:\n  - fingerprint: abcdef0123\n    reason: because\n    until: 2026-02-01\n", 4, "unknown key"),
        ("suppresions: []\n", 1, "unknown key 'suppresions'"),
        ("suppressions: [\n", 1, "invalid YAML"),
    ],
)
def test_a_broken_suppressions_file_names_file_and_line(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_suppressions(path)
    assert str(caught.value).startswith(f"{path}:{line}: ") or f"{path}:{line}: " in str(caught.value)
    assert words in str(caught.value)


def test_a_baseline_that_is_not_a_report_is_an_input_error(tmp_path, report):
    bad = tmp_path / "old.json"
    bad.write_text('{"findings": [')
    with pytest.raises(InputError, match=r"old.json:1: not JSON"):
        load_report(bad)
    bad.write_text(json.dumps({"schema": "something/else"}))
    with pytest.raises(InputError, match="not a retention-auditor report"):
        load_report(bad)
    with pytest.raises(InputError, match="report not found"):
        triage(tmp_path / "missing.json", None)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(report))
    assert triage(good, None).baseline == report


def test_a_shard_does_not_call_the_other_shards_findings_fixed(report):
    shard = copy.deepcopy(report)
    shard["flows"] = [f for f in shard["flows"] if f["name"].startswith("iliad")]
    shard["findings"] = [f for f in shard["findings"] if f["flow"].startswith("iliad")]
    out = Triage(baseline=report, baseline_file="whole.json").apply(shard)
    assert out["baseline"]["fixed"] == [] and out["baseline"]["new"] == 0
    assert out["baseline"]["unchanged"] == len(shard["findings"]) > 0


def _steps_finding(report: dict) -> dict:
    return next(f for f in report["findings"] if f["rule"] == "cancel.too-many-steps")


def test_a_finding_whose_figures_got_worse_is_regressed_and_fails_the_gate(report):
    """detours 1 -> 2, steps 4 -> 5: the same fingerprint, but worse; never "unchanged"."""
    old = copy.deepcopy(report)
    was = _steps_finding(old)
    was["figures"] = {**was["figures"], "steps": was["figures"]["steps"] - 1, "detours": was["figures"]["detours"] - 1}

    out = Triage(baseline=old, baseline_file="old.json").apply(report)

    now = _steps_finding(out)
    assert now["baseline"] == "regressed"
    assert now["regressed_from"] == {"steps": was["figures"]["steps"], "detours": was["figures"]["detours"]}
    assert out["baseline"]["regressed"] == 1 and out["summary"]["regressed"] == 1
    assert {f["baseline"] for f in out["findings"] if f is not now} == {"unchanged"}
    assert exit_code(out, now["severity"]) == 1  # the gate counts it as new
    assert exit_code(Triage(baseline=copy.deepcopy(report), baseline_file="b").apply(report), "info") == 0
    assert "regressed_from" not in Triage().apply(out)["findings"][0]  # undone like any triage mark


def test_better_or_other_figures_are_not_a_regression():
    from auditor.baseline import worse_figures

    assert worse_figures({"steps": 5, "pages": 3}, {"steps": 4, "pages": 3}) == {}
    assert worse_figures({"states": 9, "channel": "call"}, {"states": 20, "channel": "write"}) == {}
    assert worse_figures({"area_ratio": 0.5, "weaker_on": ["area"]}, {"area_ratio": 0.4, "weaker_on": ["area"]}) == {
        "area_ratio": 0.5
    }
    assert worse_figures({"offers": ["A"]}, {"offers": ["A", "B"]}) == {"offers": ["A"]}
    assert worse_figures({"steps": 4}, {"steps": None}) == {}


def test_a_goal_that_disappeared_is_a_regression_never_fixed(report):
    """The cancel link was removed: the flow's old findings are gone, but nothing was fixed."""
    now = copy.deepcopy(report)
    flow = next(f for f in now["flows"] if f["name"] == "iliad-cancel")
    flow["goal_reached"] = False
    before = [f for f in now["findings"] if f["flow"] == "iliad-cancel"]
    assert before
    now["findings"] = [f for f in now["findings"] if f["flow"] != "iliad-cancel"]

    out = Triage(baseline=copy.deepcopy(report), baseline_file="old.json").apply(now)

    assert out["baseline"]["fixed"] == []
    assert {f["fingerprint"] for f in out["baseline"]["unverified"]} == {f["fingerprint"] for f in before}
    assert [r["flow"] for r in out["baseline"]["regressions"]] == ["iliad-cancel"]
    assert out["summary"]["regressions"] == 1 and out["summary"]["fixed"] == 0
    assert exit_code(out, "error") == 1 and exit_code(out, "info") == 1
    assert exit_code(out, "never") == 0


def test_old_findings_of_a_flow_not_seen_through_now_are_unverified(report):
    now = copy.deepcopy(report)
    flow = next(f for f in now["flows"] if f["name"] == "fittrack-cancel")
    flow.update(status="incomplete", error="the session was lost")
    now["findings"] = [f for f in now["findings"] if f["flow"] != "fittrack-cancel"]
    out = Triage(baseline=copy.deepcopy(report), baseline_file="old.json").apply(now)
    assert out["baseline"]["fixed"] == [] and out["baseline"]["unverified"]
    assert out["status"] == "incomplete" and exit_code(out, "error") == 3


def test_an_unused_suppression_is_listed_with_a_warning(report, tmp_path):
    from auditor.report.terminal import warnings

    used = report["findings"][0]["fingerprint"]
    text = (
        f"suppressions:\n  - fingerprint: {used}\n    reason: known\n"
        "  - fingerprint: 0123456789abcdef0123\n    reason: a typo\n"
        "  - rule: cancel.no-such-rule\n    flow: '*'\n    reason: gone\n"
    )
    sup = load_suppressions(_write(tmp_path, text))
    out = Triage(suppressions=sup, today=TODAY).apply(report)
    where = f"{tmp_path / 'suppressions.yaml'}"
    assert out["unused_suppressions"] == [
        {"fingerprint": "0123456789abcdef0123", "reason": "a typo", "where": f"{where}:4"},
        {"rule": "cancel.no-such-rule", "flow": "*", "reason": "gone", "where": f"{where}:6"},
    ]
    said = warnings(out)
    assert f"warning: the suppression at {where}:4 matched no finding" in said
    assert f"warning: the suppression at {where}:6 matched no finding" in said
    assert "unused_suppressions" not in Triage().apply(out)  # re-triage without the file: no stale list

"""SARIF, JUnit and Markdown renderers over a report built from the saved fixture graphs (no browser):
each output parses with an independent reader, its counts match the report's rules maps, suppressions,
baselines and unfinished flows show as the design says, and hostile page text stays inert."""

from __future__ import annotations

import copy
import json
import os
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.assess import report_from_graphs
from auditor.graph import FlowGraph
from auditor.report import junit, markdown, sarif
from auditor.report.context import RenderContext
from auditor.report.model import summarize
from auditor.report.terminal import exit_code
from auditor.rules.pack import load_rules

FIXTURES = Path(__file__).resolve().parents[1] / "auditor" / "rules" / "packs" / "fixtures"
HOSTILE = (
    'Click "X" | now <script>alert(1)</script> [x](javascript:alert(1)) `rm -rf` *bold* _it_ \\| end\n'
    "second line\x00\x1b @octocat https://evil.example/phish"
)
LEVELS = {"error", "warning", "note", "none"}


# ---- the report and its variations ----
@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """What `auditor check fixtures/*.graph.json --rules us-ca` builds (see cli.check)."""
    loaded: dict[str, FlowGraph] = {}
    files: dict[str, str] = {}
    for path in sorted(FIXTURES.glob("*.graph.json")):
        graph = FlowGraph.load(path)
        name = graph.flow.get("name") or path.stem
        loaded[name] = graph
        files[name] = path.as_posix()
    now = time.time()
    built = report_from_graphs(
        loaded,
        files,
        load_rules(("us-ca",)),
        browser={"name": "none (re-checked saved graphs)"},
        started=now,
        finished=now,
    )
    assert built["findings"] and built["status"] == "complete"
    outcomes = Counter(o["outcome"] for f in built["flows"] for o in f["rules"].values())
    assert outcomes["fail"] and outcomes["pass"] and outcomes["incomplete"] and outcomes["inapplicable"]
    return built


@pytest.fixture
def ctx(report: dict[str, Any], tmp_path: Path) -> RenderContext:
    """Spec files live in ROOT/flows/*.yaml, so ROOT is the repository root SARIF paths are relative to."""
    root = Path(report["flows"][0]["spec"]["file"]).parent.parent
    return RenderContext(report_dir=tmp_path, out_dir=tmp_path, root=root)


def _fresh(report: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(report)


def _pick(report: dict[str, Any], rule: str, flow: str | None = None) -> list[dict[str, Any]]:
    found = [f for f in report["findings"] if f["rule"] == rule and (flow is None or f["flow"] == flow)]
    assert found, (rule, flow)
    return found


def suppressed_report(report: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """Every iliad-cancel cancel.hidden-exit finding suppressed; one other finding's suppression expired."""
    out = _fresh(report)
    silenced = [f for f in out["findings"] if (f["rule"], f["flow"]) == ("cancel.hidden-exit", "iliad-cancel")]
    assert len(silenced) >= 2
    for f in silenced:
        f["suppression"] = {"reason": "accepted <b>legacy</b> | design", "expires": None, "expired": False}
    expired = next(f for f in out["findings"] if f["rule"] == "cancel.too-many-steps")
    expired["suppression"] = {"reason": "until the redesign", "expires": "2020-01-01", "expired": True}
    out["findings"] = [f for f in out["findings"] if f not in silenced]
    out["suppressed"] = silenced
    return summarize(out), silenced, expired


def baseline_report(report: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """All findings unchanged but one new; one finding of the old report fixed."""
    out = _fresh(report)
    for f in out["findings"]:
        f["baseline"] = "unchanged"
    new = out["findings"][-1]
    new["baseline"] = "new"
    fixed = {**copy.deepcopy(out["findings"][0]), "rule": "cancel.forced-survey", "fingerprint": "f" * 20}
    fixed.pop("baseline")
    fixed["message"] = "A survey [was](javascript:x) | forced"
    out["baseline"] = {"file": "old/report.json", "new": 1, "unchanged": len(out["findings"]) - 1, "fixed": [fixed]}
    return summarize(out), new, fixed


def incomplete_report(report: dict[str, Any]) -> dict[str, Any]:
    """A flow that never finished (site unreachable) added to the report."""
    out = _fresh(report)
    out["flows"].append(
        {
            "name": "down-cancel",
            "kind": "cancellation",
            "spec": {"file": out["flows"][0]["spec"]["file"], "line": 40},
            "start": "http://127.0.0.1:9/",
            "status": "incomplete",
            "error": "net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/ <oops>",
            "goal_reached": False,
            "metrics": {},
            "path": [],
            "states": [],
            "graph": None,
            "exploration": {},
            "rules": {},
        }
    )
    return summarize(out)


def hostile_report(report: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    out = _fresh(report)
    victim = out["findings"][0]
    victim["message"] = HOSTILE
    victim["evidence"] = {**victim["evidence"], "label": HOSTILE, "url": "javascript:alert(1)//<x>"}
    return out, victim


# ---- SARIF ----
def _sarif(report: dict[str, Any], ctx: RenderContext) -> dict[str, Any]:
    from sarif_pydantic import Sarif

    text = sarif.render(report, ctx)
    log = json.loads(text)
    Sarif.model_validate(log)
    assert_code_scanning_accepts(log)
    return log


def assert_code_scanning_accepts(log: dict[str, Any]) -> None:
    """What GitHub code scanning requires of an uploaded SARIF file."""
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "retention-auditor"
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"] in LEVELS
        assert "helpUri" not in rule or urlparse(rule["helpUri"]).scheme in ("http", "https")
    for result in run["results"]:
        assert result["message"]["text"].strip()
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in LEVELS
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not urlparse(uri).scheme and not uri.startswith("/"), uri
        assert isinstance(physical["region"]["startLine"], int) and physical["region"]["startLine"] >= 1
        assert result["partialFingerprints"] and all(result["partialFingerprints"].values())


def test_sarif_one_result_per_finding_located_at_the_spec(report, ctx):
    log = _sarif(report, ctx)
    results = log["runs"][0]["results"]
    assert len(results) == len(report["findings"])
    for finding, result in zip(report["findings"], results, strict=True):
        assert result["ruleId"] == finding["rule"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding["severity"]]
        assert result["partialFingerprints"] == {"retentionAuditor/v1": finding["fingerprint"]}
        location = result["locations"][0]
        expected = os.path.relpath(os.path.abspath(finding["spec"]["file"]), os.path.abspath(ctx.root))
        assert location["physicalLocation"]["artifactLocation"] == {"uri": expected, "uriBaseId": "%SRCROOT%"}
        assert location["physicalLocation"]["region"]["startLine"] == finding["spec"]["line"]
        # the page URL is never a physical location: it is in properties and the logical location
        assert result["properties"]["url"] == finding["evidence"]["url"]
        state = finding["evidence"]["state"]
        assert location["logicalLocations"][0]["fullyQualifiedName"] == f"{finding['flow']}/{state}"
        assert "suppressions" not in result and "baselineState" not in result
    assert log["runs"][0]["invocations"] == [
        {
            "executionSuccessful": True,
            "startTimeUtc": report["started_at"].replace("+00:00", "Z"),
            "endTimeUtc": report["finished_at"].replace("+00:00", "Z"),
        }
    ]


def test_sarif_rules_cover_every_evaluated_rule(report, ctx):
    driver = _sarif(report, ctx)["runs"][0]["tool"]["driver"]
    by_id = {r["id"]: r for r in driver["rules"]}
    evaluated: dict[str, str] = {}
    for flow in report["flows"]:
        for rule, outcome in flow["rules"].items():
            if outcome.get("severity") or rule not in evaluated:  # inapplicable outcomes carry no severity
                evaluated[rule] = outcome.get("severity") or evaluated.get(rule, "")
    assert set(by_id) == evaluated.keys()
    assert driver["semanticVersion"] == report["tool"]["version"]
    for rule, severity in evaluated.items():
        assert severity, rule
        assert by_id[rule]["defaultConfiguration"]["level"] == sarif.LEVELS[severity]
    finding = _pick(report, "cancel.harder-than-signup")[0]
    rule = by_id["cancel.harder-than-signup"]
    assert rule["name"] == "CancelHarderThanSignup"
    assert rule["shortDescription"]["text"] == finding["title"]
    assert rule["properties"]["tags"] == finding["tags"]
    assert rule["helpUri"] == finding["references"][0]["url"]
    for ref in finding["references"]:
        assert ref["url"] in rule["help"]["text"] and ref["url"] in rule["help"]["markdown"]
    # a rule no finding names still has a full descriptor, from the report's rule catalog; without a catalog
    # (an older report) its id stands for its title and its level comes from the rules maps
    quiet = _fresh(report)
    quiet["findings"] = [f for f in quiet["findings"] if f["rule"] != "cancel.harder-than-signup"]
    rules = _sarif(quiet, ctx)["runs"][0]["tool"]["driver"]["rules"]
    silent = next(r for r in rules if r["id"] == "cancel.harder-than-signup")
    assert silent["shortDescription"]["text"] == finding["title"]
    assert silent["defaultConfiguration"]["level"] == sarif.LEVELS[evaluated["cancel.harder-than-signup"]]
    del quiet["rule_catalog"]
    rules = _sarif(quiet, ctx)["runs"][0]["tool"]["driver"]["rules"]
    silent = next(r for r in rules if r["id"] == "cancel.harder-than-signup")
    assert silent["shortDescription"]["text"] == "cancel.harder-than-signup"


def test_sarif_info_is_a_note(report, ctx):
    changed = _fresh(report)
    changed["findings"][0]["severity"] = "info"
    assert _sarif(changed, ctx)["runs"][0]["results"][0]["level"] == "note"


def test_sarif_suppressed_findings_are_dismissed_not_dropped(report, ctx):
    triaged, silenced, expired = suppressed_report(report)
    results = _sarif(triaged, ctx)["runs"][0]["results"]
    assert len(results) == len(report["findings"])
    dismissed = [r for r in results if "suppressions" in r]
    assert [r["partialFingerprints"]["retentionAuditor/v1"] for r in dismissed] == [f["fingerprint"] for f in silenced]
    assert all(
        r["suppressions"] == [{"kind": "external", "justification": "accepted <b>legacy</b> | design"}]
        for r in dismissed
    )
    back = next(r for r in results if r["partialFingerprints"]["retentionAuditor/v1"] == expired["fingerprint"])
    assert "suppressions" not in back and back["properties"]["suppression"]["expired"] is True


def test_sarif_baseline_state(report, ctx):
    triaged, new, _ = baseline_report(report)
    results = _sarif(triaged, ctx)["runs"][0]["results"]
    states = Counter(r["baselineState"] for r in results)
    assert states == {"new": 1, "unchanged": len(results) - 1}
    only_new = next(r for r in results if r["baselineState"] == "new")
    assert only_new["partialFingerprints"]["retentionAuditor/v1"] == new["fingerprint"]


def test_sarif_incomplete_run_is_not_successful(report, ctx):
    invocation = _sarif(incomplete_report(report), ctx)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert (
        note["message"]["text"]
        == "flow down-cancel incomplete: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/ <oops>"
    )


def test_sarif_hostile_text_and_foreign_spec_paths(report, ctx, tmp_path):
    hostile, victim = hostile_report(report)
    result = _sarif(hostile, ctx)["runs"][0]["results"][0]
    text = result["message"]["text"]
    assert "\\[x\\](javascript:alert(1))" in text and "[x](" not in text.replace("\\[x\\](", "")
    assert result["properties"]["label"] == HOSTILE  # JSON carries it verbatim; only message text has link syntax
    # a spec outside the repository root cannot be repo-relative: an absolute file URI, never a web URL
    elsewhere = RenderContext(report_dir=tmp_path, out_dir=tmp_path, root=tmp_path)
    uri = json.loads(sarif.render(report, elsewhere))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"] == {"uri": Path(victim["spec"]["file"]).as_uri()}


# ---- JUnit ----
def _expected_counts(report: dict[str, Any], fail_on: str = "error") -> dict[str, dict[str, int]]:
    """tests/failures/skipped/errors per flow, from the rules maps alone: a failing rule is a failure only when
    a finding of it fails the gate (severity at/above fail_on; with a baseline, new or regressed), else skipped
    (below the gate, unchanged, or suppressed); a goal lost since the baseline is one more failure."""
    rank = {"error": 0, "warning": 1, "info": 2}

    def gates(severity: str, mark: str = "new") -> bool:
        return fail_on != "never" and mark in ("new", "regressed") and rank[severity] <= rank[fail_on]

    gating = {(f["flow"], f["rule"]) for f in report["findings"] if gates(f["severity"], f.get("baseline", "new"))}
    listed = {(f["flow"], f["rule"]) for f in report["findings"] + report.get("suppressed", [])}
    lost = [r["flow"] for r in (report.get("baseline") or {}).get("regressions", [])] if fail_on != "never" else []
    out = {}
    for flow in report["flows"]:
        name = flow["name"]
        applicable = {r: o for r, o in flow["rules"].items() if o["outcome"] != "inapplicable"}
        failing = {r: o for r, o in applicable.items() if o["outcome"] == "fail"}
        failed = [
            r for r, o in failing.items() if (name, r) in gating or ((name, r) not in listed and gates(o["severity"]))
        ]
        unfinished = flow["status"] != "complete"
        out[name] = {
            "tests": len(applicable) + unfinished + lost.count(name),
            "failures": len(failed) + lost.count(name),
            "skipped": sum(1 for o in applicable.values() if o["outcome"] == "incomplete") + len(failing) - len(failed),
            "errors": int(unfinished),
        }
    return out


def _junit(report: dict[str, Any], ctx: RenderContext, tmp_path: Path):
    from junitparser import JUnitXml

    text = junit.render(report, ctx)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    xml = JUnitXml.fromfile(str(path))
    expected = _expected_counts(report, ctx.fail_on)
    got = {s.name: {"tests": s.tests, "failures": s.failures, "skipped": s.skipped, "errors": s.errors} for s in xml}
    assert got == expected
    for key in ("tests", "failures", "skipped", "errors"):
        assert getattr(xml, key) == sum(c[key] for c in expected.values())
    for suite in xml:  # the attributes agree with the testcases actually written
        cases = list(suite)
        assert len(cases) == suite.tests
        assert sum(1 for c in cases if c.result and type(c.result[0]).__name__ == "Failure") == suite.failures
        assert sum(1 for c in cases if c.is_skipped) == suite.skipped
    return xml, ET.fromstring(text.encode("utf-8"))


def test_junit_counts_match_the_rules_maps(report, ctx, tmp_path):
    xml, root = _junit(report, replace(ctx, fail_on="info"), tmp_path)  # every finding fails the gate
    assert xml.failures > 0 and xml.skipped > 0 and xml.errors == 0
    assert root.get("name") == "retention-auditor"
    findings = _pick(report, "cancel.hidden-exit", "iliad-cancel")
    case = root.find("testsuite[@name='iliad-cancel']/testcase[@name='cancel.hidden-exit']")
    assert case is not None and case.get("classname") == "iliad-cancel"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == findings[0]["message"] and failure.get("type") == findings[0]["severity"]
    for f in findings:
        assert f["fingerprint"] in failure.text and f["evidence"]["url"] in failure.text
        assert " > ".join(f["evidence"]["path"]) in failure.text
    phone = next(f for f in report["flows"] if f["name"] == "phone-cancel")
    rule, outcome = next((r, o) for r, o in phone["rules"].items() if o["outcome"] == "incomplete")
    skipped = root.find(f"testsuite[@name='phone-cancel']/testcase[@name='{rule}']/skipped")
    assert skipped is not None and skipped.get("message") == (outcome["reason"] or "the check could not tell")
    inapplicable = next(r for r, o in phone["rules"].items() if o["outcome"] == "inapplicable")
    assert root.find(f"testsuite[@name='phone-cancel']/testcase[@name='{inapplicable}']") is None


def test_junit_suppressed_findings_do_not_fail(report, ctx, tmp_path):
    triaged, _, expired = suppressed_report(report)
    ctx = replace(ctx, fail_on="info")
    xml, root = _junit(triaged, ctx, tmp_path)
    _, plain_root = _junit(report, ctx, tmp_path)
    assert xml.failures == int(plain_root.get("failures")) - 1
    case = root.find("testsuite[@name='iliad-cancel']/testcase[@name='cancel.hidden-exit']")
    assert case is not None and case.find("failure") is None
    assert case.find("skipped").get("message").startswith("suppressed: ")
    assert "accepted <b>legacy</b> | design" in case.findtext("system-out")
    failure = root.find(f"testsuite[@name='{expired['flow']}']/testcase[@name='{expired['rule']}']/failure")
    assert failure is not None and "expired until 2020-01-01: until the redesign" in failure.text


def test_junit_fails_only_what_the_baseline_counts(report, ctx, tmp_path):
    """Findings the baseline marks unchanged were known when it was taken: skipped, with the reason, so the
    test tab is red exactly when the job is (issue 27)."""
    triaged, new, _ = baseline_report(report)
    ctx = replace(ctx, fail_on=new["severity"])
    xml, root = _junit(triaged, ctx, tmp_path)
    failures = root.findall(".//failure")
    assert xml.failures == len(failures) == 1 and "(baseline: new)" in failures[0].text
    assert exit_code(triaged, ctx.fail_on) == 1  # the one new finding fails the job too
    case = root.find(f"testsuite[@name='{new['flow']}']/testcase[@name='{new['rule']}']")
    assert case is not None and case.find("failure") is not None
    reasons = [s.get("message") for s in root.findall(".//skipped")]
    assert any(r.startswith("not failing the run: unchanged since the baseline") for r in reasons)


def test_junit_below_fail_on_is_skipped(report, ctx, tmp_path):
    """With fail-on error, a warning is not a failure (the job stays green); with fail-on warning it is."""
    warned = {(f["flow"], f["rule"]) for f in report["findings"] if f["severity"] == "warning"}
    errors = {(f["flow"], f["rule"]) for f in report["findings"] if f["severity"] == "error"}
    assert warned - errors and errors  # the fixture has both
    flow, rule = sorted(warned - errors)[0]
    for fail_on, failed in (("error", False), ("warning", True), ("never", False)):
        _, root = _junit(report, replace(ctx, fail_on=fail_on), tmp_path)
        case = root.find(f"testsuite[@name='{flow}']/testcase[@name='{rule}']")
        assert case is not None and (case.find("failure") is not None) == failed, fail_on
        assert (int(root.get("failures")) > 0) == (exit_code(report, fail_on) == 1), fail_on
        if not failed:
            assert "not failing the run" in case.find("skipped").get("message")


def test_junit_incomplete_flow_is_an_error(report, ctx, tmp_path):
    xml, root = _junit(incomplete_report(report), ctx, tmp_path)
    assert xml.errors == 1
    error = root.find("testsuite[@name='down-cancel']/testcase[@name='exploration']/error")
    assert error is not None and error.get("message") == "net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/ <oops>"


def test_junit_hostile_text_stays_well_formed(report, ctx, tmp_path):
    hostile, victim = hostile_report(report)
    _, root = _junit(hostile, ctx, tmp_path)
    failure = root.find(f".//testcase[@classname='{victim['flow']}'][@name='{victim['rule']}']/failure")
    assert failure is not None
    assert failure.get("message") == HOSTILE.replace("\x00", "\ufffd").replace("\x1b", "\ufffd")
    assert root.find(".//script") is None


# ---- Markdown ----
def _html(text: str):
    markdown_it = pytest.importorskip("markdown_it")
    from bs4 import BeautifulSoup

    return BeautifulSoup(markdown_it.MarkdownIt("commonmark").enable("table").render(text), "html.parser")


def _tables(text: str) -> dict[str, Any]:
    """Each table under its `### heading`, as rows of cell texts (header first); every row as wide as its header."""
    out = {}
    for table in _html(text).find_all("table"):
        heading = table.find_previous("h3").get_text()
        rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
        assert all(len(r) == len(rows[0]) for r in rows), heading
        out[heading] = rows
    return out


def test_markdown_title_and_tables(report, ctx):
    text = markdown.render(report, ctx)
    by_severity = Counter(f["severity"] for f in report["findings"])
    assert text.startswith(
        f"## retention-auditor: {len(report['findings'])} findings ({by_severity['error']} errors, "
        f"{by_severity['warning']} warnings) in {len(report['flows'])} flows\n"
    )
    tables = _tables(text)
    flows, findings = tables["Flows"], tables["Findings"]
    assert flows[0] == ["flow", "kind", "status", "goal", "steps", "pages", "detours", "findings"]
    assert [r[0] for r in flows[1:]] == [f["name"] for f in report["flows"]]
    counts = Counter(f["flow"] for f in report["findings"])
    assert [int(r[-1]) for r in flows[1:]] == [counts[f["name"]] for f in report["flows"]]
    assert findings[0] == ["severity", "rule", "flow", "message", "evidence"]
    assert [r[1:4] for r in findings[1:]] == [[f["rule"], f["flow"], f["message"]] for f in report["findings"]]
    assert not _html(text).find_all("a") and "](" not in text  # no relative link to break in a step summary
    assert findings[1][-1] == report["findings"][0]["evidence"]["screenshot"]  # named, for the artifact
    assert len(text) < markdown.LIMIT and "more findings" not in text and "Incomplete flows" not in text


def test_markdown_links_screenshots_under_the_artifact_url(report, ctx):
    """With --artifact-url every link is absolute, into the published report folder; no image is embedded."""
    published = replace(ctx, artifact_url="https://ci.example/jobs/7/artifacts/file/reports/")
    html = _html(markdown.render(report, published))
    links = [a["href"] for a in html.find_all("a")]
    assert links[0] == "https://ci.example/jobs/7/artifacts/file/reports/"
    shots = [f["evidence"]["screenshot"] for f in report["findings"] if f["evidence"].get("screenshot")]
    assert links[1:] == [f"https://ci.example/jobs/7/artifacts/file/reports/{shot}" for shot in shots]
    assert html.find("img") is None


def test_markdown_hostile_text_is_inert(report, ctx):
    hostile, victim = hostile_report(report)
    text = markdown.render(hostile, ctx)
    html = _html(text)
    assert html.find("script") is None and "<script" not in text
    assert html.find_all("a") == []
    row = _tables(text)["Findings"][1]
    assert row[1] == victim["rule"]
    visible = HOSTILE.replace("\x00", "").replace("\x1b", "").replace("\n", "")
    assert row[3].replace("\u200b", "") == visible  # every character shown as text, the table intact
    line = next(x for x in text.splitlines() if "javascript" in x)
    assert "\\[x\\](javascript:alert(1))" in line and "&lt;script&gt;" in line and "@\u200boctocat" in line
    assert "https\\://evil.example" in line  # GitHub would autolink a bare https://


def test_markdown_baseline_suppressions_and_incomplete(report, ctx):
    triaged, new, fixed = baseline_report(report)
    text = markdown.render(triaged, ctx)
    findings = _tables(text)["Findings"]
    assert findings[0] == ["severity", "rule", "flow", "message", "baseline", "evidence"]
    assert findings[1][3] == new["message"] and findings[1][4] == "new"  # new findings first
    assert {r[4] for r in findings[2:]} == {"unchanged"}
    assert "**1 new**" in text and "### Fixed since baseline (1)" in text
    assert "- **cancel.forced-survey** in " in text and "\\[was\\](javascript:x) \\| forced" in text

    silenced_report, silenced, _ = suppressed_report(report)
    text = markdown.render(silenced_report, ctx)
    assert f"{len(silenced)} findings suppressed (not counted above):" in text
    assert f"- accepted &lt;b&gt;legacy&lt;/b&gt; \\| design ({len(silenced)})" in text
    assert "1 suppression expired" in text
    assert "baseline" not in _tables(text)["Findings"][0]

    text = markdown.render(incomplete_report(report), ctx)
    assert "flows (AUDIT INCOMPLETE: 1 of " in text.splitlines()[0]
    assert (
        "- **down-cancel** (cancellation): net::ERR\\_CONNECTION\\_REFUSED at http\\://127.0.0.1:9/ &lt;oops&gt;"
        in text
    )


def test_markdown_truncates_long_findings_tables(report, ctx):
    big = _fresh(report)
    template = big["findings"][0]
    big["findings"] = [
        {**template, "message": f"{i}: " + "<a>|" * 200, "fingerprint": f"{i:020d}"} for i in range(3000)
    ]
    text = markdown.render(big, ctx)
    assert len(text) < markdown.LIMIT
    shown = len(_tables(text)["Findings"]) - 1
    assert 0 < shown < 3000
    assert f"… and {3000 - shown} more findings (see report.json)" in text


def test_renderers_do_not_change_the_report(report, ctx):
    before = json.dumps(report, sort_keys=True)
    for module in (sarif, junit, markdown):
        module.render(report, ctx)
    assert json.dumps(report, sort_keys=True) == before


@given(st.text())
def test_markdown_escape_never_leaves_syntax(text):
    cell = markdown.escape(text, limit=None)
    assert "\n" not in cell and "\r" not in cell and "<" not in cell.replace("<br>", "")
    assert ">" not in cell.replace("<br>", "")
    for match in re.finditer(r"[|\[\]`*_~]", cell):  # each preceded by an odd run of backslashes
        run = len(cell[: match.start()]) - len(cell[: match.start()].rstrip("\\"))
        assert run % 2 == 1, cell

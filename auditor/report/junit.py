"""junit.xml: the audit as test results, so any CI shows it in its test tab without a plugin.

One testsuite per flow, one testcase per applicable rule (axe-core's buckets map onto JUnit's: a violation
that fails the run is a failure, `incomplete` is skipped, never a silent pass), and an `exploration` testcase
in error for a flow that did not finish. Only what fails the gate (report/gate.py: `fail-on`, the baseline) is
a `<failure>`, so the test tab is red exactly when the job is: a violation below `fail-on`, one the baseline
marks unchanged, or a suppressed one is `<skipped>` with the reason. A goal lost since the baseline is a
failing `baseline` testcase.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

from auditor.report.context import RenderContext
from auditor.report.gate import not_counted

COUNTS = ("tests", "failures", "errors", "skipped")
# Characters XML 1.0 cannot carry at all (ElementTree escapes markup but writes these through, unparseable).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

Grouped = dict[tuple[str, str], list[dict[str, Any]]]


def render(report: dict[str, Any], ctx: RenderContext) -> str:
    active = _group(report.get("findings"))
    silenced = _group(report.get("suppressed"))
    lost_goals: dict[str, list[str]] = defaultdict(list)  # a goal reached in the baseline and not now
    for lost in (report.get("baseline") or {}).get("regressions") or [] if ctx.fail_on != "never" else []:
        lost_goals[lost.get("flow") or ""].append(lost.get("message") or "the goal was lost since the baseline")
    root = ET.Element("testsuites", name="retention-auditor")
    totals = dict.fromkeys(COUNTS, 0)
    seconds = 0.0
    for flow in report.get("flows") or []:
        suite = _suite(flow, active, silenced, lost_goals, ctx)
        root.append(suite)
        for key in COUNTS:
            totals[key] += int(suite.get(key, "0"))
        seconds += float(suite.get("time", "0"))
    _set_counts(root, totals, seconds)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def clean(text: Any) -> str:
    """Text XML 1.0 can hold (ElementTree escapes `<`, `&` and quotes itself)."""
    return _NOT_XML.sub("\ufffd", "" if text is None else str(text))


def _group(findings: list[dict[str, Any]] | None) -> Grouped:
    out: Grouped = defaultdict(list)
    for finding in findings or []:
        out[(finding.get("flow") or "", finding["rule"])].append(finding)
    return out


def _set_counts(element: ET.Element, counts: dict[str, int], seconds: float) -> None:
    for key in COUNTS:
        element.set(key, str(counts[key]))
    element.set("time", f"{seconds:.3f}")


def _suite(
    flow: dict[str, Any], active: Grouped, silenced: Grouped, lost_goals: dict[str, list[str]], ctx: RenderContext
) -> ET.Element:
    name = clean(flow.get("name"))
    suite = ET.Element("testsuite", name=name)
    suite.append(_suite_properties(flow, ctx))
    counts = dict.fromkeys(COUNTS, 0)
    spec_file = _spec_file(flow, ctx)
    for rule_id, outcome in (flow.get("rules") or {}).items():
        result = outcome.get("outcome") if isinstance(outcome, dict) else None
        if result == "inapplicable":
            continue
        key = (flow.get("name") or "", rule_id)
        case, kind = _rule_case(name, rule_id, outcome or {}, active.get(key, []), silenced.get(key, []), ctx)
        _add_case(suite, case, kind, counts, spec_file)
    for lost in lost_goals.get(flow.get("name") or "", []):
        case = ET.Element("testcase", classname=name, name="baseline")
        ET.SubElement(case, "failure", message=clean(lost), type="regression").text = clean(lost)
        _add_case(suite, case, "failures", counts, spec_file)
    if flow.get("status") != "complete":
        case = ET.Element("testcase", classname=name, name="exploration")
        error = clean(flow.get("error") or "flow did not finish")
        ET.SubElement(case, "error", message=error, type="incomplete").text = error
        _add_case(suite, case, "errors", counts, spec_file)
    seconds = (flow.get("exploration") or {}).get("seconds")
    _set_counts(suite, counts, float(seconds) if isinstance(seconds, int | float) else 0.0)
    return suite


def _add_case(suite: ET.Element, case: ET.Element, kind: str, counts: dict[str, int], spec_file: str | None) -> None:
    if spec_file:
        case.set("file", spec_file)
    suite.append(case)
    counts["tests"] += 1
    if kind in counts:
        counts[kind] += 1


def _spec_file(flow: dict[str, Any], ctx: RenderContext) -> str | None:
    file = (flow.get("spec") or {}).get("file")
    return clean(ctx.repo_path(file)) if file else None


def _suite_properties(flow: dict[str, Any], ctx: RenderContext) -> ET.Element:
    props = ET.Element("properties")
    spec = flow.get("spec") or {}
    values = {
        "kind": flow.get("kind"),
        "status": flow.get("status"),
        "goal_reached": flow.get("goal_reached"),
        "start": flow.get("start"),
        "spec": f"{ctx.repo_path(spec['file'])}:{spec.get('line')}" if spec.get("file") else None,
    }
    for key, value in values.items():
        if value is not None:
            ET.SubElement(
                props, "property", name=key, value=clean(str(value).lower() if isinstance(value, bool) else value)
            )
    return props


def _rule_case(
    flow: str,
    rule_id: str,
    outcome: dict[str, Any],
    findings: list[dict[str, Any]],
    suppressed: list[dict[str, Any]],
    ctx: RenderContext,
) -> tuple[ET.Element, str]:
    """The testcase for one rule in one flow and which count it adds to (tests only, failures, skipped)."""
    case = ET.Element("testcase", classname=flow, name=clean(rule_id))
    result = outcome.get("outcome")
    kind = "passed"
    if result == "fail" and (findings or not suppressed):
        listed = findings or [{"severity": outcome.get("severity") or "error", "message": outcome.get("reason")}]
        counted = [f for f in listed if not_counted(f, ctx.fail_on) is None]
        first = (counted or listed)[0]
        message = first.get("message") or f"{rule_id} failed"
        if counted:
            failure = ET.SubElement(case, "failure", message=clean(message), type=clean(first.get("severity")))
            failure.text = clean("\n\n".join(_describe(f, ctx) for f in findings) or message)
            kind = "failures"
        else:
            reason = f"not failing the run: {not_counted(first, ctx.fail_on)}"
            ET.SubElement(case, "skipped", message=clean(reason)).text = clean(
                "\n\n".join(_describe(f, ctx) for f in findings) or message
            )
            kind = "skipped"
    elif result == "fail":  # every finding suppressed
        reason = (suppressed[0].get("suppression") or {}).get("reason") or "no reason given"
        ET.SubElement(case, "skipped", message=clean(f"suppressed: {reason}"))
        kind = "skipped"
    elif result == "incomplete" or result not in ("pass", "fail"):
        reason = outcome.get("reason") or (
            "the check could not tell" if result == "incomplete" else f"outcome {result}"
        )
        ET.SubElement(case, "skipped", message=clean(reason))
        kind = "skipped"
    if suppressed:
        ET.SubElement(case, "system-out").text = clean("\n\n".join(_describe(f, ctx) for f in suppressed))
    return case, kind


def _describe(finding: dict[str, Any], ctx: RenderContext) -> str:
    """A finding as plain text lines for a failure body."""
    evidence = finding.get("evidence") or {}
    head = f"[{finding.get('severity')}] {finding.get('message')}"
    if finding.get("baseline"):
        head += f" (baseline: {finding['baseline']})"
    lines = [head]
    suppression = finding.get("suppression")
    if suppression:
        state = "expired" if suppression.get("expired") else "suppressed"
        until = f" until {suppression['expires']}" if suppression.get("expires") else ""
        lines.append(f"{state}{until}: {suppression.get('reason')}")
    if evidence.get("url"):
        lines.append(f"url: {evidence['url']}")
    if evidence.get("path"):
        lines.append("path: " + " > ".join(str(step) for step in evidence["path"]))
    if evidence.get("screenshot"):
        lines.append(f"screenshot: {ctx.evidence_href(evidence['screenshot'])}")
    lines.append(f"fingerprint: {finding.get('fingerprint')}")
    return "\n".join(lines)

"""report.sarif: SARIF 2.1.0 as code-scanning services (GitHub) accept it.

Those services reject URL locations, so a result's physical location is the flow's spec file (repo-relative)
and line; the page URL, state and selector go in `properties` and `logicalLocations` (DESIGN.md). The
finding fingerprint goes in `partialFingerprints` so alerts stay the same alert across runs; suppressed
findings are emitted with a `suppressions` entry so the service shows them as dismissed, not as fixed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeGuard

from auditor.report.context import RenderContext

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "retentionAuditor/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}
EVIDENCE_PROPERTIES = ("url", "state", "selector", "label", "path", "screenshot")
BASELINE_STATES = {"new": "new", "unchanged": "unchanged", "regressed": "updated"}  # SARIF's baselineState


def render(report: dict[str, Any], ctx: RenderContext) -> str:
    findings = list(report.get("findings") or [])
    suppressed = list(report.get("suppressed") or [])
    rules = _rules(report, [*findings, *suppressed])
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [_result(f, index, ctx) for f in findings] + [_result(f, index, ctx, suppressed=True) for f in suppressed]
    run: dict[str, Any] = {
        "tool": {"driver": _driver(report, rules)},
        "invocations": [_invocation(report)],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def plain(text: Any) -> str:
    """Message text: SARIF reads `[text](target)` in plain-text messages as a link, so brackets are escaped."""
    return re.sub(r"([\[\]])", r"\\\1", str(text))


def level(severity: str | None) -> str:
    return LEVELS.get(severity or "", "warning")


def rule_name(rule_id: str) -> str:
    """`cancel.too-many-steps` -> `CancelTooManySteps` (reportingDescriptor.name is an identifier)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", rule_id) if part)


def _driver(report: dict[str, Any], rules: list[dict[str, Any]]) -> dict[str, Any]:
    tool = report.get("tool") or {}
    driver: dict[str, Any] = {"name": tool.get("name") or "retention-auditor", "rules": rules}
    if tool.get("version"):
        driver["semanticVersion"] = str(tool["version"])
        driver["version"] = str(tool["version"])
    packs = [f"{p.get('pack')}@{p.get('version')}" for p in report.get("packs") or []]
    if packs:
        driver["properties"] = {"packs": packs}
    return driver


def _severities(report: dict[str, Any]) -> dict[str, str]:
    """Each rule's configured severity, from the flows' rules maps (first flow that names it wins)."""
    out: dict[str, str] = {}
    for flow in report.get("flows") or []:
        for rule_id, outcome in (flow.get("rules") or {}).items():
            if rule_id not in out and isinstance(outcome, dict) and outcome.get("severity"):
                out[rule_id] = outcome["severity"]
    return out


def _rules(report: dict[str, Any], findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One reportingDescriptor per rule any flow evaluated or any finding names, sorted by id; metadata from
    the report's rule catalog, else from a finding of that rule (reports written before the catalog)."""
    severities = _severities(report)
    examples: dict[str, dict[str, Any]] = {r["id"]: r for r in report.get("rule_catalog") or []}
    severities = {**{i: r["severity"] for i, r in examples.items()}, **severities}
    for finding in findings:
        examples.setdefault(finding["rule"], finding)
    ids = sorted({*severities, *examples})
    return [_descriptor(i, severities.get(i) or (examples.get(i) or {}).get("severity"), examples.get(i)) for i in ids]


def _descriptor(rule_id: str, severity: str | None, example: dict[str, Any] | None) -> dict[str, Any]:
    example = example or {}
    title = example.get("title") or rule_id
    help_text = example.get("help") or title
    references = [r for r in example.get("references") or [] if isinstance(r, dict)]
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": rule_name(rule_id),
        "shortDescription": {"text": title},
        "fullDescription": {"text": help_text},
        "help": {"text": _help_text(help_text, references), "markdown": _help_markdown(help_text, references)},
        "defaultConfiguration": {"level": level(severity)},
        "properties": {
            "tags": list(example.get("tags") or []),
            "problem.severity": PROBLEM_SEVERITY.get(severity or "", "warning"),
        },
    }
    help_uri = example.get("help_url") or next((r["url"] for r in references if _is_web(r.get("url"))), "")
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def _is_web(url: Any) -> TypeGuard[str]:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


def _reference_title(ref: dict[str, Any]) -> str:
    title = ", ".join(str(ref[k]) for k in ("law", "section") if ref.get(k))
    return f"{title}; {ref['status']}" if ref.get("status") else title


def _help_text(help_text: str, references: list[dict[str, Any]]) -> str:
    lines = [help_text]
    if references:
        lines += ["", "References:"]
        lines += [f"- {_reference_title(r)}" + (f": {r['url']}" if r.get("url") else "") for r in references]
    return "\n".join(lines)


def _help_markdown(help_text: str, references: list[dict[str, Any]]) -> str:
    lines = [help_text]
    if references:
        lines += ["", "**References**", ""]
        for ref in references:
            title = re.sub(r"([\\\[\]*_`<>])", r"\\\1", _reference_title(ref))
            url = ref.get("url")
            lines.append(f"- [{title}](<{url}>)" if _is_web(url) and ">" not in url else f"- {title}")
    return "\n".join(lines)


def artifact_location(ctx: RenderContext, file: str | None) -> dict[str, Any]:
    """The spec file relative to the repository root (`%SRCROOT%`); a file outside it as a file:// URI.
    A flow with no spec file (a re-checked graph that lost it) points at report.json instead."""
    relative = ctx.repo_path(file or str(ctx.report_dir / "report.json"))
    path = Path(relative)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": relative, "uriBaseId": "%SRCROOT%"}


def _location(finding: dict[str, Any], ctx: RenderContext) -> dict[str, Any]:
    spec = finding.get("spec") or {}
    evidence = finding.get("evidence") or {}
    line = spec.get("line")
    region = {"startLine": line if isinstance(line, int) and line >= 1 else 1}
    flow = str(finding.get("flow") or "")
    state = evidence.get("state")
    logical = {
        "name": str(state or flow),
        "fullyQualifiedName": f"{flow}/{state}" if state else flow,
        "kind": "resource",
    }
    return {
        "physicalLocation": {"artifactLocation": artifact_location(ctx, spec.get("file")), "region": region},
        "logicalLocations": [logical],
    }


def _properties(finding: dict[str, Any], ctx: RenderContext) -> dict[str, Any]:
    evidence = finding.get("evidence") or {}
    props: dict[str, Any] = {"flow": finding.get("flow")}
    props.update({k: evidence[k] for k in EVIDENCE_PROPERTIES if evidence.get(k) not in (None, "", [])})
    if props.get("screenshot"):
        props["screenshot"] = ctx.evidence_href(props["screenshot"])
    for key in ("pack", "baseline", "regressed_from", "figures"):
        if finding.get(key) not in (None, {}, ""):
            props[key] = finding[key]
    if finding.get("suppression"):
        props["suppression"] = finding["suppression"]
    if finding.get("tags"):
        props["tags"] = list(finding["tags"])
    return props


def _result(
    finding: dict[str, Any], index: dict[str, int], ctx: RenderContext, suppressed: bool = False
) -> dict[str, Any]:
    rule_id = finding["rule"]
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": index[rule_id],
        "level": level(finding.get("severity")),
        "message": {"text": plain(finding.get("message") or finding.get("title") or rule_id)},
        "locations": [_location(finding, ctx)],
        "partialFingerprints": {FINGERPRINT_KEY: str(finding.get("fingerprint") or "")},
        "properties": _properties(finding, ctx),
    }
    if finding.get("baseline") in BASELINE_STATES:
        result["baselineState"] = BASELINE_STATES[finding["baseline"]]
    if suppressed:
        reason = (finding.get("suppression") or {}).get("reason") or ""
        result["suppressions"] = [{"kind": "external", "justification": str(reason)}]
    return result


def _invocation(report: dict[str, Any]) -> dict[str, Any]:
    notes = [
        {
            "level": "error",
            "message": {"text": plain(f"flow {flow.get('name')} incomplete: {flow.get('error') or 'no reason given'}")},
            "properties": {"flow": flow.get("name")},
        }
        for flow in report.get("flows") or []
        if flow.get("status") != "complete"
    ]
    invocation: dict[str, Any] = {"executionSuccessful": report.get("status") == "complete"}
    for key, field in (("started_at", "startTimeUtc"), ("finished_at", "endTimeUtc")):
        if report.get(key):
            invocation[field] = _utc(report[key])
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _utc(stamp: str) -> str:
    """report.json's `...+00:00` as SARIF's `...Z`."""
    return stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp

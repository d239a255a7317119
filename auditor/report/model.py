"""The report model (schema `retention-auditor/report/v1`, see DESIGN.md): every format renders this."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from auditor import __version__
from auditor.analyse import Analysed
from auditor.graph import FlowGraph, PathTree
from auditor.report.seen_through import not_seen_through
from auditor.rules.pack import Rule
from auditor.severity import SEVERITY_ORDER
from auditor.spec import FlowSpec

SCHEMA = "retention-auditor/report/v1"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def pending_flow(spec: FlowSpec) -> dict[str, Any]:
    """A flow that has not finished (yet): reported as incomplete, never as passed."""
    return {
        "name": spec.name,
        "kind": spec.kind,
        "spec": {"file": spec.source.file, "line": spec.source.line},
        "start": spec.start,
        "context": spec.context_record(),
        "spec_sha256": spec.digest,
        "status": "incomplete",
        "error": "not finished",
        "goal_reached": False,
        "metrics": {},
        "path": [],
        "states": [],
        "graph": None,
        "exploration": {},
        "rules": {},
    }


def _charges(graph: FlowGraph) -> list[dict[str, Any]]:
    """Every charge the guard intercepted (never sent), with the action that caused it and the path to it."""
    if graph.start is None:
        return []
    paths = PathTree(graph.g, graph.start)
    out = []
    for u, v, action in sorted(graph.actions(), key=lambda e: e[2].order):
        for charge in action.charges:
            route = paths.get(u, [u])
            labels = [graph.first_action(a, b).label for a, b in zip(route, route[1:], strict=False)]
            out.append(
                {
                    **charge,
                    "state": u,
                    "result": v,
                    "label": action.label,
                    "path": [*labels, action.label],
                    "screenshot": graph.screen(u).screenshot,
                }
            )
    return out


def flow_entry(analysed: Analysed, graph_file: str | None, rules: dict[str, Any] | None = None) -> dict[str, Any]:
    """A flow's report entry; `graph_file` is its graph.json relative to the report; `rules` its outcomes."""
    graph = analysed.graph
    flow = graph.flow
    exploration = graph.exploration
    path = []
    for number, (u, v, action) in enumerate(graph.cheapest_path(), 1):
        before, after = graph.screen(u), graph.screen(v)
        path.append(
            {
                "step": number,
                "from": u,
                "to": v,
                "action": action.kind,
                "label": action.label,
                "role": action.role,
                "selector": action.selector,
                "url": action.url,
                "inputs": list(action.inputs),
                "intent": analysed.intent(u, v, action.key),
                "intent_why": analysed.why(u, v, action.key),
                "screenshot": before.screenshot,
                "result_url": after.url,
                "result_screenshot": after.screenshot,
            }
        )
    charges = _charges(graph)
    states = [
        {
            "id": s.id,
            "kind": analysed.kind(s.id),
            "url": s.url,
            "title": s.title,
            "heading": s.heading,
            "dialog": (s.dialog or {}).get("label"),
            "depth": s.depth,
            "screenshot": s.screenshot,
            "variants": s.variants,
            "lang": s.lang,
        }
        for s in graph.screens()
    ]
    entry = {
        "name": flow.get("name"),
        "kind": flow.get("kind"),
        "spec": {"file": flow.get("spec"), "line": flow.get("line")},
        "start": flow.get("start"),
        "compare_with": flow.get("compare_with"),
        "context": flow.get("context") or {},  # device/viewport, locale, timezone, geolocation, headers, proxy
        "spec_sha256": flow.get("spec_sha256"),
        "status": exploration.get("status", "incomplete"),
        "error": exploration.get("error"),
        "goal_reached": graph.goal_reached,
        "metrics": analysed.metrics(),
        "path": path,
        "states": states,
        "graph": graph_file,
        "trace": next(iter(exploration.get("traces") or []), None),  # playwright show-trace FILE
        "charges": charges,
        "exploration": exploration,
        "rules": rules or {},
    }
    unseen = not_seen_through(entry) if entry["status"] == "complete" else None
    if unseen:
        entry.update(status="incomplete", error=unseen)
    return entry


def build_report(
    entries: Sequence[dict[str, Any]],
    *,
    findings: Sequence[dict[str, Any]] = (),
    packs: Sequence[dict[str, str]] = (),
    catalog: Sequence[dict[str, Any]] = (),
    browser: dict[str, Any],
    started: float,
    finished: float,
) -> dict[str, Any]:
    report = {
        "schema": SCHEMA,
        "tool": {"name": "retention-auditor", "version": __version__},
        "browser": browser,
        "packs": list(packs),
        "rule_catalog": list(catalog),
        "started_at": _iso(started),
        "finished_at": _iso(finished),
        "status": "incomplete",
        "summary": {},
        "flows": list(entries),
        "findings": list(findings),
    }
    return summarize(report)


def summarize(report: dict[str, Any]) -> dict[str, Any]:
    """Order the findings and recount status and summary (after building, merging or triaging a report)."""
    findings = sorted(report["findings"], key=lambda f: (SEVERITY_ORDER[f["severity"]], f["flow"], f["rule"]))
    entries = report["flows"]
    summary: dict[str, Any] = {
        "flows": len(entries),
        "complete": sum(1 for e in entries if e["status"] == "complete"),
        "goal_reached": sum(1 for e in entries if e["goal_reached"]),
        "findings": len(findings),
        "by_severity": {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_ORDER},
    }
    if "suppressed" in report:
        summary["suppressed"] = len(report["suppressed"])
    if "baseline" in report:
        summary["new"] = sum(1 for f in findings if f.get("baseline") == "new")
        summary["regressed"] = sum(1 for f in findings if f.get("baseline") == "regressed")
        summary["fixed"] = len(report["baseline"]["fixed"])
        summary["regressions"] = len(report["baseline"].get("regressions") or [])
    complete = all(e["status"] == "complete" for e in entries)
    return {**report, "findings": findings, "summary": summary, "status": "complete" if complete else "incomplete"}


def rule_info(rule: Rule) -> dict[str, Any]:
    """A rule's metadata, so every format can describe rules that found nothing (SARIF, HTML, JUnit)."""
    return {
        "id": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "applies_to": list(rule.applies_to),
        "tags": list(rule.tags),
        "help": rule.help,
        "help_url": rule.help_url,
        "references": [dict(r) for r in rule.references],
        "pack": rule.pack,
    }

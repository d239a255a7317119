"""Evaluating a RuleSet over flow graphs: per-rule outcomes (axe-core's four buckets) and findings.

For each flow and each enabled rule: `inapplicable` when the rule does not apply to the flow's kind;
otherwise the rule's check runs with the rule's options and its outcome is the rule's outcome. Each
violation becomes one finding, whose message is the rule's template filled with the measured figures
(and the options, so thresholds can be named); violations with the same fingerprint (the same rule, flow,
page and element, met on several paths) are one finding, the first. A check that crashes is `incomplete`, never a pass.
How checks combine is explicit: one rule, one check; severity is set by the rule alone.
"""

from __future__ import annotations

import hashlib
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from auditor.analyse import Analysed
from auditor.graph import FlowGraph
from auditor.noise import normalise
from auditor.plural import agree
from auditor.rules.checks import REGISTRY
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, with_defaults
from auditor.rules.pack import Rule, RuleSet


@dataclass
class Evaluation:
    """Per flow: rule id -> outcome record; and every finding, in flow then rule order."""

    outcomes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)


class _Figures(dict[str, Any]):
    """Template values: lists read as prose, floats short, unknown names left as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _show(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return ", ".join(str(_show(v)) for v in value) or "none"
    if value is None:
        return "n/a"
    return value


def render(template: str, figures: Mapping[str, Any]) -> str:
    values = _Figures({k: _show(v) for k, v in figures.items()})
    return string.Formatter().vformat(agree(template, figures), (), values)


def fingerprint(rule: str, flow: str, evidence: Mapping[str, Any]) -> str:
    """Stable across runs of an unchanged site: rule, flow, the screen's path (no host, port or query) and
    the element's label; not state ids, ports or session tokens."""
    url = evidence.get("url") or ""
    where = normalise(
        urlsplit(url).path + ("#" + urlsplit(url).fragment if urlsplit(url).fragment.startswith("/") else "")
    )
    parts = [rule, flow, where, normalise(evidence.get("label") or "")]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20]


def _finding(rule: Rule, flow: FlowGraph, violation: Violation) -> dict[str, Any]:
    e = violation.evidence
    evidence = {
        "url": e.url,
        "state": e.state,
        "screenshot": e.screenshot,
        "selector": e.selector,
        "label": e.label,
        "path": list(e.path),
        "box": list(e.box) if e.box else None,
    }
    figures = {**rule.options, **violation.figures}
    name = flow.flow.get("name", "")
    return {
        "rule": rule.id,
        "title": rule.title,
        "severity": rule.severity,
        "flow": name,
        "message": render(rule.message, figures),
        "fingerprint": fingerprint(rule.id, name, evidence),
        "figures": dict(violation.figures),
        "references": [dict(r) for r in rule.references],
        "tags": list(rule.tags),
        "help": rule.help,
        "help_url": rule.help_url,
        "pack": rule.pack,
        "spec": {"file": flow.flow.get("spec"), "line": flow.flow.get("line")},
        "evidence": evidence,
    }


def _unique(findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One finding per fingerprint, the first met (the same place reached by several paths)."""
    seen: dict[str, dict[str, Any]] = {}
    for finding in findings:
        seen.setdefault(finding["fingerprint"], finding)
    return list(seen.values())


def run_check(rule: Rule, ctx: CheckContext) -> CheckResult:
    spec = REGISTRY[rule.check]
    try:
        return spec.fn(ctx, with_defaults(spec, rule.options))
    except Exception as exc:  # a check's bug must not take the audit down, nor pass silently
        return CheckResult.cannot_tell(f"check {rule.check!r} failed: {type(exc).__name__}: {exc}")


def evaluate_flow(
    name: str, flows: Mapping[str, Analysed], rules: RuleSet
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One flow's rule outcomes and findings; its compare_with partner is looked up in `flows`."""
    flow = flows[name]
    graph = flow.graph
    rules = rules.for_flow(name, graph.flow.get("spec"))
    ctx = CheckContext(flow, rules.vocabulary, flows.get(graph.flow.get("compare_with") or ""))
    outcomes: dict[str, dict[str, Any]] = {}
    findings: list[dict[str, Any]] = []
    for rule in rules.enabled:
        if graph.flow.get("kind") not in rule.applies_to:
            outcomes[rule.id] = {"outcome": "inapplicable", "reason": f"applies to {', '.join(rule.applies_to)}"}
            continue
        checked = run_check(rule, ctx)
        found = _unique(_finding(rule, graph, v) for v in checked.violations)
        findings += found
        outcomes[rule.id] = {
            "outcome": checked.outcome,
            "severity": rule.severity,
            "figures": dict(checked.figures),
            "reason": checked.reason or None,
            "findings": len(found),
        }
    return outcomes, findings


def evaluate(flows: Mapping[str, Analysed], rules: RuleSet) -> Evaluation:
    """Every enabled rule over every flow (`flows` maps flow names to analysed graphs); reads, never changes."""
    result = Evaluation()
    for name in flows:
        result.outcomes[name], findings = evaluate_flow(name, flows, rules)
        result.findings += findings
    return result

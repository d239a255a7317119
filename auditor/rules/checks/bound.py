"""The bound of the search behind a path check's verdict (issue 24): once the goal is found, the explorer looks
for a shorter way among every goal-related control on the screens nearer the start than the goal, and states
what it covered in the flow's `exploration.bound` (see auditor/explore/bound.py). A path check's pass or fail
holds within that bound, and says so in its figure `searched`; it is `incomplete` only when that search itself
was cut short (`paths.unless_stopped_early`)."""

from __future__ import annotations

from dataclasses import replace

from auditor.graph import FlowGraph
from auditor.rules.checks.base import CheckResult


def searched(graph: FlowGraph, verdict: CheckResult) -> CheckResult:
    """`verdict` with the bound of the search behind it as the figure `searched` (on the verdict and each
    violation), when the explorer states one; `verdict` unchanged when it states none (no goal found, an
    exhaustive or purchase flow, a graph from before bounds) or the check does not apply."""
    bound = graph.exploration.get("bound")
    if not bound or verdict.outcome == "inapplicable":
        return verdict
    text = bound["text"]
    violations = tuple(replace(v, figures={**v.figures, "searched": text}) for v in verdict.violations)
    return replace(verdict, figures={**verdict.figures, "searched": text}, violations=violations)

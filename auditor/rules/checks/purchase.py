"""What the checks over purchase and in-app purchase flows share: the verdicts every one of them starts from
and the option schemas of their reaches. The checks themselves: purchase_gates.py (does a charge need a
password, or on a child's profile a parent; does one password let later charges through) and
purchase_terms.py (does the screen that charges show the amount, is an extra that costs money ticked in
advance, are automatic-renewal terms shown and agreed to before paying). Each measures and returns figures;
the rules set severity, messages and law.

A *charge edge* is an action during which the charge guard intercepted a request (`Action.charges`), or, in
a purchase whose goal was reached with no request the guard could see, an action that reached the goal (the
goal marks the charge); the explorer goes on after a charge, so a graph may hold several. A *gate* is a
screen asking for a password (a password field or an `auth` phrase) and, on a child's profile
(`flow.profile: child`), a parental challenge (a `parental` phrase). All seven checks answer `inapplicable`
for flows that are not purchases, and `incomplete` ("no charge was reached") when no charge edge was
recorded, since then there is nothing to measure. Screen text is what the probe saw as visible: words in a
collapsed <details> are not in it.
"""

from __future__ import annotations

from auditor.graph import FlowGraph
from auditor.rules.checks.base import CheckResult
from auditor.rules.checks.paths import Routes, Step, charge_steps, exploration_note, normalise
from auditor.spec import PURCHASE_KINDS

# How near (in characters) one text must be to another to belong to it: option schemas, each default the
# value core.yaml's rules give.
PRICE_REACH = {"type": "integer", "minimum": 0, "default": 40}  # a price beside a charging control
TOTAL_REACH = {"type": "integer", "minimum": 0, "default": 40}  # a price after a `total` phrase
CADENCE_REACH = {"type": "integer", "minimum": 0, "default": 30}  # a period (`cadence` phrase) beside a price


def charges_or_verdict(graph: FlowGraph) -> tuple[list[Step], Routes] | CheckResult:
    """What every purchase check starts from: a purchase flow that reached a charge. Otherwise the verdict
    (inapplicable for other kinds, incomplete when no charge was reached)."""
    skip = not_purchase(graph)
    if skip:
        return skip
    charges = charge_steps(graph)
    if not charges:
        return no_charge(graph)
    return charges, Routes(graph)


def not_purchase(graph: FlowGraph) -> CheckResult | None:
    kind = graph.flow.get("kind")
    if kind in PURCHASE_KINDS:
        return None
    return CheckResult.not_applicable(f"a {kind or 'flow of unknown kind'}, not a purchase")


def no_charge(graph: FlowGraph) -> CheckResult:
    return CheckResult.cannot_tell(
        f"no charge was reached ({exploration_note(graph)}), so there is nothing to measure",
        states=graph.g.number_of_nodes(),
        stop_reason=graph.exploration.get("stop_reason"),
    )


def distinct_steps(steps: list[Step]) -> list[Step]:
    """One step per control and screen, the first (a repeat of the same purchase is judged once)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for step in steps:
        key = (step[0], normalise(step[2].label))
        if key not in seen:
            seen.add(key)
            out.append(step)
    return out

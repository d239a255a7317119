"""Purchase checks on who may pay: does a charge need a password (on a child's profile, a password or a
parent), and does one password let later charges through. See purchase.py for what a charge edge and a gate
are and for the verdicts every purchase check shares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

from auditor.artifacts import ReauthWindow
from auditor.graph import FlowGraph
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, check
from auditor.rules.checks.paths import (
    Routes,
    Step,
    charge_price,
    charge_steps,
    evidence,
    features,
    gate_states,
    is_child,
    labels,
    routes_avoiding,
    steps_of,
    ungated_charges,
    unless_stopped_early,
)
from auditor.rules.checks.purchase import PRICE_REACH, charges_or_verdict, no_charge, not_purchase

Options = Mapping[str, Any]


def _gate_words(graph: FlowGraph) -> str:
    return "a password or parental check" if is_child(graph) else "a password"


def _price_key(price: str | None) -> str | None:
    return re.sub(r"\s+", "", price.casefold()) if price else None


@check("unguarded_charge", figures=("charges_without_gate", "label", "path", "price"), price_reach=PRICE_REACH)
def unguarded_charge(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether a charge can happen with no password on the way: with every gate screen (password field or
    `auth` phrase; on a child's profile also a `parental` challenge) taken out of the graph, is a charge edge
    still reachable from the start? A purchase the user does not confirm with a credential is how children
    and anyone holding the device run up charges. A repeat of a control that asked for a password another
    time (the re-auth window probe's repeats) is left to `reauth_window`. One violation per distinct price,
    at the nearest such charge.
    Figures: `price` (the amount: from the intercepted request's body if it holds a price-like number, else
    the `price` phrase in the charging control's label, else the one of the screen's text nearest that label,
    at most `price_reach` characters from it; null if none), `label` (the control that charged), `path`
    (labels of the fewest actions from the start to the charge, it included, passing no gate),
    `charges_without_gate` (how many charge edges are reachable with no gate, all prices together); a pass
    gives `charges` (charge edges) and `gates` (gate screens)."""
    graph, vocab = ctx.graph, ctx.vocab
    setup = charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, _ = setup
    gates = gate_states(graph, vocab)
    open_charges = ungated_charges(graph, gates)
    if not open_charges:
        verdict = CheckResult.passed(charges=len(charges), gates=len(gates))
        return unless_stopped_early(graph, verdict, f"every charge found passes {_gate_words(graph)}")
    by_price: dict[str | None, tuple[str | None, Step, list[str]]] = {}
    for step, nodes in open_charges:
        price = charge_price(vocab, graph, step, within=options["price_reach"])
        by_price.setdefault(_price_key(price), (price, step, nodes))
    violations = []
    for price, step, nodes in by_price.values():
        route = labels(steps_of(graph, nodes))
        figures = {
            "price": price,
            "label": step[2].label,
            "path": [*route, step[2].label],
            "charges_without_gate": len(open_charges),
        }
        violations.append(Violation(figures, evidence(graph, step[0], route, features(graph, step))))
    return CheckResult.failed(*violations)


@check(
    "reauth_window",
    figures=("closed_at_minutes", "first_price", "later_label", "later_price", "measured", "window_minutes"),
    price_reach=PRICE_REACH,
)
def reauth_window(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether one password lets later charges through: after an authenticated charge (a charge edge whose
    fewest-action route from the start passes a gate screen), is another charge that needs a gate from a
    fresh start (or a repeat of a control that asked for a password another time) reachable from the screen
    after it with no gate on the way? A window in which purchases need no password again is how one
    parent's password paid for a child's next hour of in-app buys. When the explorer probed the window
    (`exploration.reauth_window`: repeats at growing times after the password), its measure is reported and
    an open window fails even if the repeat left no edge in the graph. Fails once, on the first
    authenticated charge (nearest first) that has such a later charge. `inapplicable` when no charge is
    behind a gate (then `unguarded_charge` speaks); `incomplete` when no second purchase was tried after the
    authenticated one (none in the graph, no probe) or, for a pass, when exploration stopped early.
    Figures: `first_price` (of the authenticated charge), `later_price`, `later_label` (the later charge and
    its control; from the probe's `trigger` with a null price when only the probe saw it), `window_minutes`
    (the longest time after the password at which the probe saw a charge go through with none, null when not
    probed or none did), `closed_at_minutes` (when the probe met the password again, null if never or not
    probed), `measured` (the probe ran and reached an answer: a charge went through or the password came
    back); a pass adds `authenticated` (authenticated charge edges)."""
    graph, vocab = ctx.graph, ctx.vocab
    setup = charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, _ = setup
    gates = gate_states(graph, vocab)
    routes = Routes(graph)
    authenticated = [s for s in charges if any(n in gates for n in routes.nodes.get(s[0], []))]
    if not authenticated:
        return CheckResult.not_applicable(
            f"no charge was behind {_gate_words(graph)}, so there is no re-authentication to measure"
        )
    authenticated.sort(key=lambda s: (len(routes.nodes[s[0]]), s[2].order))
    probe = ReauthWindow.from_dict(graph.exploration.get("reauth_window"))
    probed = probe is not None and probe.probed
    opened = probe.open_after_minutes if probe else []
    closed = probe.closed_at_minutes if probe else None
    figures: dict[str, Any] = {
        "first_price": charge_price(vocab, graph, authenticated[0], within=options["price_reach"]),
        "later_price": None,
        "later_label": None,
        "window_minutes": max(opened) if probed and opened else None,
        "closed_at_minutes": closed if probed else None,
        "measured": probed and (bool(opened) or closed is not None),
    }
    free = {(u, v, a.key) for (u, v, a), _ in ungated_charges(graph, gates)}
    later = [s for s in charges if (s[0], s[1], s[2].key) not in free]  # needs a gate from a fresh start
    tried = False
    for first in authenticated:
        after = routes_avoiding(graph, gates, source=first[1])
        hits = sorted(((s, after[s[0]]) for s in later if s[0] in after), key=lambda h: (len(h[1]), h[0][2].order))
        if hits:
            step, nodes = hits[0]
            figures.update(
                first_price=charge_price(vocab, graph, first, within=options["price_reach"]),
                later_price=charge_price(vocab, graph, step, within=options["price_reach"]),
                later_label=step[2].label,
            )
            path = [*routes.labels(first[0]), first[2].label, *labels(steps_of(graph, nodes))]
            return CheckResult.failed(Violation(figures, evidence(graph, step[0], path, features(graph, step))))
        reachable = nx.descendants(graph.g, first[1]) | {first[1]}
        tried = tried or any(s[0] in reachable for s in later)
    first = authenticated[0]
    if opened:
        figures["later_label"] = probe.trigger if probe else None
        return CheckResult.failed(
            Violation(figures, evidence(graph, first[0], routes.labels(first[0]), features(graph, first)))
        )
    if not (tried or figures["measured"]):
        return CheckResult.cannot_tell(
            "no second purchase was tried after the authenticated one, so whether it needs the password "
            "again cannot be told",
            **figures,
        )
    verdict = CheckResult.passed(**figures, authenticated=len(authenticated))
    claim = f"every later charge found asks for {_gate_words(graph)} again"
    return unless_stopped_early(graph, verdict, claim, figures=figures)


@check("parental_gate", figures=("label", "path", "price"), price_reach=PRICE_REACH)
def parental_gate(ctx: CheckContext, options: Options) -> CheckResult:
    """On a child's profile (`flow.profile: child`), whether every way from the start to every charge passes
    a gate: a password screen or a parental challenge (a `parental` phrase: "ask a parent", "what is 7 x 8").
    With those screens taken out, a charge edge still reachable is one a child can make alone; a repeat of a
    control that asked for a password another time is left to `reauth_window`. `inapplicable` for other
    profiles. One violation per such charge edge.
    Figures: `price` (as `unguarded_charge` measures it), `label` (the control that charged), `path` (labels
    of the fewest gate-free actions from the start to the charge, it included); a pass gives `charges` and
    `gates` (gate screens)."""
    graph, vocab = ctx.graph, ctx.vocab
    skip = not_purchase(graph)
    if skip:
        return skip
    if not is_child(graph):
        return CheckResult.not_applicable(
            f"the flow's profile is {graph.flow.get('profile') or 'adult'}, not a child's"
        )
    charges = charge_steps(graph)
    if not charges:
        return no_charge(graph)
    gates = gate_states(graph, vocab, parental=True)
    open_charges = ungated_charges(graph, gates)
    if not open_charges:
        verdict = CheckResult.passed(charges=len(charges), gates=len(gates))
        return unless_stopped_early(graph, verdict, "every charge found passes a parental or password gate")
    violations = []
    for step, nodes in open_charges:
        route = labels(steps_of(graph, nodes))
        figures = {
            "price": charge_price(vocab, graph, step, within=options["price_reach"]),
            "label": step[2].label,
            "path": [*route, step[2].label],
        }
        violations.append(Violation(figures, evidence(graph, step[0], route, features(graph, step))))
    return CheckResult.failed(*violations)

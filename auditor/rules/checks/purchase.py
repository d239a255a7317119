"""Checks over purchase and in-app purchase flows: does a charge need a password (or, on a child's profile, a
parent), does one password let later charges through, does the screen that charges show the amount, is an
extra that costs money ticked in advance, are automatic-renewal terms shown and agreed to before paying.
Each measures and returns figures; the rules set severity, messages and law.

A *charge edge* is an action during which the charge guard intercepted a request (`Action.charges`); the
explorer goes on after a charge, so a graph may hold several. A *gate* is a screen asking for a password (a
password field or an `auth` phrase) and, on a child's profile (`flow.profile: child`), a parental challenge
(a `parental` phrase). All seven checks answer `inapplicable` for flows that are not purchases, and
`incomplete` ("no charge was reached") when no charge edge was recorded, since then there is nothing to
measure. Screen text is what the probe saw as visible: words in a collapsed <details> are not in it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

from auditor.classify import Vocabulary
from auditor.graph import FlowGraph, page_of
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, check
from auditor.rules.checks.paths import (
    Element,
    Routes,
    Step,
    charge_price,
    charge_steps,
    evidence,
    excerpt,
    exploration_note,
    features,
    first_seen,
    gate_states,
    is_child,
    labels,
    nearest_phrase,
    normalise,
    on_routes_to,
    phrase_spans,
    routes_avoiding,
    screen_name,
    seen_text,
    shown_text,
    steps_of,
    ungated_charges,
    unless_stopped_early,
)
from auditor.spec import PURCHASE_KINDS

Options = Mapping[str, Any]

# How near (in characters) one text must be to another to belong to it; each is also a rule option.
PRICE_REACH = {"type": "integer", "minimum": 0, "default": 40}  # a price beside a charging control
TOTAL_REACH = {"type": "integer", "minimum": 0, "default": 40}  # a price after a `total` phrase
CADENCE_REACH = {"type": "integer", "minimum": 0, "default": 30}  # a period (`cadence` phrase) beside a price


# ---- shared by the purchase checks ----
def _charges_or_verdict(graph: FlowGraph) -> tuple[list[Step], Routes] | CheckResult:
    """What every purchase check starts from: a purchase flow that reached a charge. Otherwise the verdict
    (inapplicable for other kinds, incomplete when no charge was reached)."""
    skip = _not_purchase(graph)
    if skip:
        return skip
    charges = charge_steps(graph)
    if not charges:
        return _no_charge(graph)
    return charges, Routes(graph)


def _not_purchase(graph: FlowGraph) -> CheckResult | None:
    kind = graph.flow.get("kind")
    if kind in PURCHASE_KINDS:
        return None
    return CheckResult.not_applicable(f"a {kind or 'flow of unknown kind'}, not a purchase")


def _no_charge(graph: FlowGraph) -> CheckResult:
    return CheckResult.cannot_tell(
        f"no charge was reached ({exploration_note(graph)}), so there is nothing to measure",
        states=graph.g.number_of_nodes(),
        stop_reason=graph.exploration.get("stop_reason"),
    )


def _gate_words(graph: FlowGraph) -> str:
    return "a password or parental check" if is_child(graph) else "a password"


def _distinct(charges: list[Step]) -> list[Step]:
    """One charge edge per control and screen (a repeat of the same purchase is judged once)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for step in charges:
        key = (step[0], normalise(step[2].label))
        if key not in seen:
            seen.add(key)
            out.append(step)
    return out


def _price_key(price: str | None) -> str | None:
    return re.sub(r"\s+", "", price.casefold()) if price else None


def _subscription(graph: FlowGraph, vocab: Vocabulary, routes: Routes, reach: int) -> str | None:
    """What shows the purchase is a subscription: the first `renewal` phrase on any screen (nearest first),
    else a price with a period (a `cadence` phrase) at most `reach` characters from it ("$9.99/month"; on a
    screen, the pair closest together); None when neither shows."""
    states = routes.nearest_first(graph.g.nodes)
    for state in states:
        phrase = vocab.find("renewal", shown_text(graph.screen(state)))
        if phrase:
            return phrase
    for state in states:
        text = shown_text(graph.screen(state))
        pairs = []  # (characters between them, start, end) of each price with a period near it
        for start, end, _ in phrase_spans(vocab, "price", text):
            lo, hi = max(0, start - reach), min(len(text), end + reach)
            # the periods within the window: cut at its end, found from its start (words before it still count
            # as the neighbours of a word boundary at the window's start)
            for near_start, near_end in vocab.spans("cadence", text[:hi]):
                if near_start < lo:
                    continue
                gap = near_start - end if near_start >= end else max(start - near_end, 0)
                pairs.append((gap, min(start, near_start), max(end, near_end)))
        if pairs:
            _, lo, hi = min(pairs)
            return text[lo:hi].strip()
    return None


def _consent_like(vocab: Vocabulary, label: str) -> bool:
    return vocab.matches("consent", label) or vocab.matches("terms", label)


def _prechecked(graph: FlowGraph, seen: Mapping[tuple[str, str], tuple[str, Element]], state: str) -> list[Element]:
    """The check-kind elements of a screen that came ticked: checked when their page was first seen."""
    screen = graph.screen(state)
    out = []
    for element in screen.elements:
        if element.get("kind") != "check":
            continue
        first = seen.get((page_of(screen.url), str(element.get("key", ""))))
        if first is not None and first[1].get("checked") is True:
            out.append(first[1])
    return out


# ---- the checks ----
@check("unguarded_charge", price_reach=PRICE_REACH)
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
    setup = _charges_or_verdict(graph)
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


@check("reauth_window", price_reach=PRICE_REACH)
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
    setup = _charges_or_verdict(graph)
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
    probe = graph.exploration.get("reauth_window") or {}
    opened = [m for m in probe.get("open_after_minutes") or [] if isinstance(m, int | float)]
    closed = probe.get("closed_at_minutes")
    measured = bool(probe.get("probed")) and (bool(opened) or closed is not None)
    figures: dict[str, Any] = {
        "first_price": charge_price(vocab, graph, authenticated[0], within=options["price_reach"]),
        "later_price": None,
        "later_label": None,
        "window_minutes": max(opened) if probe.get("probed") and opened else None,
        "closed_at_minutes": closed if probe.get("probed") else None,
        "measured": measured,
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
        figures["later_label"] = probe.get("trigger")
        return CheckResult.failed(
            Violation(figures, evidence(graph, first[0], routes.labels(first[0]), features(graph, first)))
        )
    if not (tried or measured):
        return CheckResult.cannot_tell(
            "no second purchase was tried after the authenticated one, so whether it needs the password "
            "again cannot be told",
            **figures,
        )
    verdict = CheckResult.passed(**figures, authenticated=len(authenticated))
    claim = f"every later charge found asks for {_gate_words(graph)} again"
    return unless_stopped_early(graph, verdict, claim, figures=figures)


@check("parental_gate", price_reach=PRICE_REACH)
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
    skip = _not_purchase(graph)
    if skip:
        return skip
    if not is_child(graph):
        return CheckResult.not_applicable(
            f"the flow's profile is {graph.flow.get('profile') or 'adult'}, not a child's"
        )
    charges = charge_steps(graph)
    if not charges:
        return _no_charge(graph)
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


def _total(vocab: Vocabulary, text: str, reach: int) -> str | None:
    """An amount announced as what will be paid: a `total` phrase with a `price` within `reach` characters
    after it (an add-on's own "+$4.99/month" is not what the customer is about to pay)."""
    for _, end in vocab.spans("total", text):
        amount = vocab.find("price", text[end : end + reach])
        if amount:
            return amount
    return None


@check("price_at_confirm", price_reach=PRICE_REACH, total_reach=TOTAL_REACH)
def price_at_confirm(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether the screen where each charging action is taken (its open dialog included) shows the amount to
    be paid: a `price` in the charging control's own label ("Pay $12.00"), in the purchase dialog it sits in,
    right beside it (within `price_reach` characters, as in a store list), or announced by a `total` phrase
    with one at most `total_reach` characters after it ("Total: $203.98"). A user who presses "Continue" on a
    screen without that number cannot know what they agree to pay; an add-on's "+$4.99/month" elsewhere on
    the screen does not tell them. One violation per charging control and screen.
    Figures: `label` (the charging control), `screen` (the screen's heading, else its name), `excerpt` (~160
    characters of the screen's text around that control's label, else from its start); a pass gives
    `charges` (charging controls looked at) and `prices` (the amount each showed)."""
    graph, vocab = ctx.graph, ctx.vocab
    setup = _charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, routes = setup
    prices = []
    violations = []
    for step in _distinct(charges):
        u, _, action = step
        screen = graph.screen(u)
        dialog = (screen.dialog or {}).get("text", "")  # a purchase dialog's price is the one being paid
        text = shown_text(screen)
        price = (
            vocab.find("price", action.label)  # "Pay $12.00"
            or vocab.find("price", dialog)
            or nearest_phrase(vocab, "price", text, action.label, within=options["price_reach"])  # "$0.99 [Buy]"
            or _total(vocab, text, options["total_reach"])
        )
        if price:
            prices.append(price)
            continue
        text = seen_text(screen)
        at = text.casefold().find(action.label.casefold()) if action.label else -1
        figures = {
            "label": action.label,
            "screen": screen.heading or screen_name(screen),
            "excerpt": excerpt(text, at, at + len(action.label)) if at >= 0 else excerpt(text),
        }
        violations.append(Violation(figures, routes.evidence(u, features(graph, step))))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(charges=len(prices), prices=prices)


@check(
    "prechecked_addon",
    words={"type": "array", "items": {"type": "string", "minLength": 1}, "default": []},
)
def prechecked_addon(ctx: CheckContext, options: Options) -> CheckResult:
    """Extras that come ticked: on any screen on a way from the start to a charge, a visible check-kind
    element (checkbox, switch) that was already checked when its page was first seen (the probe's `checked`,
    so a box the user ticked on the way does not count) and whose label has a `price` phrase, a "+", or
    add-on wording (an `addon` phrase: "add", "protection", "insurance", "plan", "trial", "membership"; or one
    of the option `words`, whole words, for a rule that needs more than the vocabulary's; a label that is only
    an agreement, a `consent` phrase with no price, is left to `express_consent`).
    Pre-selecting an extra makes the user pay for what they did not choose. One violation per element.
    Figures: `label`, `screen` (where it was first seen), `price` (the `price` phrase in its label, or null);
    a pass gives `boxes` (check-kind elements on those screens)."""
    graph, vocab = ctx.graph, ctx.vocab
    setup = _charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, _ = setup
    words = [w for w in options["words"] if w]
    addon = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I) if words else None
    routes = Routes(graph)
    seen = first_seen(graph, routes)
    on_route = on_routes_to(graph, {u for u, _, _ in charges})
    keys = {(page_of(graph.screen(s).url), str(e.get("key", ""))) for s in on_route for e in graph.screen(s).elements}
    boxes = 0
    violations = []
    for key, (state, element) in seen.items():
        if key not in keys or element.get("kind") != "check":
            continue
        boxes += 1
        if element.get("checked") is not True or not element.get("visible"):
            continue
        label = str(element.get("label", ""))
        price = vocab.find("price", label)
        wording = (vocab.matches("addon", label) or bool(addon and addon.search(label))) and not vocab.matches(
            "consent", label
        )
        if price or "+" in label or wording:
            figures = {"label": label, "screen": screen_name(graph.screen(state)), "price": price}
            violations.append(Violation(figures, routes.evidence(state, element)))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(boxes=boxes)


@check("renewal_terms", cadence_reach=CADENCE_REACH)
def renewal_terms(ctx: CheckContext, options: Options) -> CheckResult:
    """For a subscription (a `renewal` phrase on any screen, or a price with a period next to it: "$9.99/month",
    "per week", "monthly"), whether the automatic-renewal terms (a `renewal` phrase) are visible on a screen of
    the fewest-action route from the start to each charge, the charging screen included, so the user knows
    before paying that it will go on charging. Only visible text counts: the probe keeps no words from a
    collapsed <details> or a closed disclosure, so terms behind one are absent; a toggle labelled like
    "Details", "More info" or "Terms" that is collapsed (`expanded` false, or a <summary> not marked open) on
    that route is reported as a hint. `inapplicable` when no screen shows a subscription.
    Figures: `shown` ("only inside a collapsed section" when a screen before payment shows them but the way
    to payment does not, as after opening "Details"; "after payment" when only a screen reached through a
    charge shows them; "never" otherwise), `label` (the charging control), `collapsed_hint` (the label of
    such a toggle, or null),
    `seen_on` (the screen that shows the terms off the route, or null), `subscription` (the words that showed
    it is one); a pass gives `phrase`, `screen` (where the terms showed) and `charges`."""
    graph, vocab = ctx.graph, ctx.vocab
    setup = _charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, routes = setup
    subscription = _subscription(graph, vocab, routes, options["cadence_reach"])
    if subscription is None:
        return CheckResult.not_applicable("no subscription seen: no screen mentions renewal or a price per period")
    showing = [s for s in routes.nearest_first(graph.g.nodes) if vocab.matches("renewal", shown_text(graph.screen(s)))]
    before_charges = _reachable_without_charges(graph)
    after = next((s for s in showing if s not in before_charges), None)
    passes = []
    violations = []
    for step in _distinct(charges):
        u, _, action = step
        before = routes.nodes.get(u, [u])
        found = next((s for s in before if s in showing), None)
        if found is not None:
            passes.append((found, vocab.find("renewal", shown_text(graph.screen(found)))))
            continue
        detour = next((s for s in showing if s in before_charges), None)  # e.g. after opening "Details"
        elsewhere = detour or after or next(iter(showing), None)
        shown = "only inside a collapsed section" if detour is not None else "after payment" if after else "never"
        figures = {
            "shown": shown,
            "label": action.label,
            "collapsed_hint": _collapsed_hint(graph, vocab, before),
            "seen_on": screen_name(graph.screen(elsewhere)) if elsewhere is not None else None,
            "subscription": subscription,
        }
        violations.append(Violation(figures, routes.evidence(u, features(graph, step))))
    if violations:
        return CheckResult.failed(*violations)
    state, phrase = passes[0]
    return CheckResult.passed(phrase=phrase, screen=screen_name(graph.screen(state)), charges=len(passes))


def _reachable_without_charges(graph: FlowGraph) -> set[str]:
    """The screens reachable from the start with no charge on the way."""
    if graph.start is None:
        return set()
    view = nx.subgraph_view(graph.g, filter_edge=lambda u, v, k: not graph.g.edges[u, v, k]["action"].charges)
    return nx.descendants(view, graph.start) | {graph.start}


def _collapsed_hint(graph: FlowGraph, vocab: Vocabulary, states: list[str]) -> str | None:
    """The label of a collapsed toggle (a `terms_toggle` phrase: "Details", "More info", "Terms") on those
    screens, or None."""
    for state in states:
        for element in graph.screen(state).elements:
            if element.get("kind") not in ("check", "click") or not element.get("visible"):
                continue
            label = str(element.get("label", ""))
            expanded = element.get("expanded")
            collapsed = expanded in (False, "false") or (element.get("tag") == "summary" and expanded in (None, ""))
            if collapsed and vocab.matches("terms_toggle", label):
                return label
    return None


@check("express_consent", cadence_reach=CADENCE_REACH)
def express_consent(ctx: CheckContext, options: Options) -> CheckResult:
    """For a subscription (as `renewal_terms` tells one), whether the user gave a separate affirmative consent
    before each charge: on the fewest-action route from the start to the charging screen, a check action on
    an element that was unticked when acted on and whose label agrees (a `consent` phrase: "I agree", "Ich
    stimme zu") or names the renewal or the terms. Paying is not agreeing to be charged again and again; a
    box that came ticked is no act of the user's. `inapplicable` when no subscription shows.
    Figures: `label` (on a failure the charging control; on a pass the consent box ticked), `prechecked` (on
    a failure, the label of a consent box on that route that came ticked, or null); a pass adds `charges`."""
    graph, vocab = ctx.graph, ctx.vocab
    setup = _charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, routes = setup
    if _subscription(graph, vocab, routes, options["cadence_reach"]) is None:
        return CheckResult.not_applicable("no subscription seen: no screen mentions renewal or a price per period")
    seen = first_seen(graph, routes)
    agreed = []
    violations = []
    for step in _distinct(charges):
        u, _, action = step
        ticked = None
        for earlier in routes.steps(u):
            record = features(graph, earlier)
            label = str(record.get("label", ""))
            if earlier[2].kind == "check" and record.get("checked") is not True and _consent_like(vocab, label):
                ticked = label
                break
        if ticked is not None:
            agreed.append(ticked)
            continue
        boxes = [e for s in routes.nodes.get(u, [u]) for e in _prechecked(graph, seen, s)]
        prechecked = next(
            (str(e.get("label", "")) for e in boxes if _consent_like(vocab, str(e.get("label", "")))), None
        )
        figures = {"label": action.label, "prechecked": prechecked}
        violations.append(Violation(figures, routes.evidence(u, features(graph, step))))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(label=agreed[0], charges=len(agreed))

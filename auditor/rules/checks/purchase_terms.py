"""Purchase checks on what the user is shown and agrees to: does the screen that charges show the amount, is an
extra that costs money ticked in advance, are automatic-renewal terms shown before paying and agreed to on
their own, does the screen where the user enrols show every material term at once (sign-ups too), does a
subscription's charging screen call it a one-off or a trial. See purchase.py for what a charge edge is and for
the verdicts every purchase check shares.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

from auditor.classify import Vocabulary
from auditor.graph import FlowGraph, page_of
from auditor.records import Control
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, check
from auditor.rules.checks.paths import (
    Routes,
    Step,
    excerpt,
    features,
    first_seen,
    goal_route,
    nearest_phrase,
    on_routes_to,
    phrase_spans,
    screen_name,
    seen_text,
    shown_text,
    unreached,
)
from auditor.rules.checks.purchase import CADENCE_REACH, PRICE_REACH, TOTAL_REACH, charges_or_verdict, distinct_steps

Options = Mapping[str, Any]


def _subscribing(ctx: CheckContext, options: Options) -> CheckResult | tuple[list[Step], Routes, str]:
    """A purchase's charges, its routes and what shows it is a subscription; or the verdict when there is no
    charge to judge or no subscription seen (a one-off purchase: the subscription rules do not apply)."""
    setup = charges_or_verdict(ctx.graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, routes = setup
    subscription = _subscription(ctx.graph, ctx.vocab, routes, options["cadence_reach"])
    if subscription is None:
        return CheckResult.not_applicable("no subscription seen: no screen mentions renewal or a price per period")
    return charges, routes, subscription


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


def _prechecked(graph: FlowGraph, seen: Mapping[tuple[str, str], tuple[str, Control]], state: str) -> list[Control]:
    """The check-kind elements of a screen that came ticked: checked when their page was first seen."""
    screen = graph.screen(state)
    out = []
    for element in screen.elements:
        if element.kind != "check":
            continue
        first = seen.get((page_of(screen.url), str(element.key)))
        if first is not None and first[1].checked is True:
            out.append(first[1])
    return out


def _total(vocab: Vocabulary, text: str, reach: int) -> str | None:
    """An amount announced as what will be paid: a `total` phrase with a `price` within `reach` characters
    after it (an add-on's own "+$4.99/month" is not what the customer is about to pay)."""
    for _, end in vocab.spans("total", text):
        amount = vocab.find("price", text[end : end + reach])
        if amount:
            return amount
    return None


@check("price_at_confirm", figures=("excerpt", "label", "screen"), price_reach=PRICE_REACH, total_reach=TOTAL_REACH)
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
    setup = charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, routes = setup
    prices = []
    violations = []
    for step in distinct_steps(charges):
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
    figures=("label", "price", "screen"),
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
    setup = charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, _ = setup
    words = [w for w in options["words"] if w]
    addon = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I) if words else None
    routes = Routes(graph)
    seen = first_seen(graph, routes)
    on_route = on_routes_to(graph, {u for u, _, _ in charges})
    keys = {(page_of(graph.screen(s).url), str(e.key)) for s in on_route for e in graph.screen(s).elements}
    boxes = 0
    violations = []
    for key, (state, element) in seen.items():
        if key not in keys or element.kind != "check":
            continue
        boxes += 1
        if element.checked is not True or not element.visible:
            continue
        label = str(element.label)
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


@check(
    "renewal_terms",
    figures=("collapsed_hint", "label", "seen_on", "shown", "subscription"),
    cadence_reach=CADENCE_REACH,
)
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
    setup = _subscribing(ctx, options)
    if isinstance(setup, CheckResult):
        return setup
    charges, routes, subscription = setup
    showing = [s for s in routes.nearest_first(graph.g.nodes) if vocab.matches("renewal", shown_text(graph.screen(s)))]
    before_charges = _reachable_without_charges(graph)
    after = next((s for s in showing if s not in before_charges), None)
    passes = []
    violations = []
    for step in distinct_steps(charges):
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
            if element.kind not in ("check", "click") or not element.visible:
                continue
            label = str(element.label)
            expanded = element.expanded
            collapsed = expanded in (False, "false") or (element.tag == "summary" and expanded in (None, ""))
            if collapsed and vocab.matches("terms_toggle", label):
                return label
    return None


@check("express_consent", figures=("label", "prechecked"), cadence_reach=CADENCE_REACH)
def express_consent(ctx: CheckContext, options: Options) -> CheckResult:
    """For a subscription (as `renewal_terms` tells one), whether the user gave a separate affirmative consent
    before each charge: on the fewest-action route from the start to the charging screen, a check action on
    an element that was unticked when acted on and whose label agrees (a `consent` phrase: "I agree", "Ich
    stimme zu") or names the renewal or the terms. Paying is not agreeing to be charged again and again; a
    box that came ticked is no act of the user's. `inapplicable` when no subscription shows.
    Figures: `label` (on a failure the charging control; on a pass the consent box ticked), `prechecked` (on
    a failure, the label of a consent box on that route that came ticked, or null); a pass adds `charges`."""
    graph, vocab = ctx.graph, ctx.vocab
    setup = charges_or_verdict(graph)
    if isinstance(setup, CheckResult):
        return setup
    charges, routes = setup
    if _subscription(graph, vocab, routes, options["cadence_reach"]) is None:
        return CheckResult.not_applicable("no subscription seen: no screen mentions renewal or a price per period")
    seen = first_seen(graph, routes)
    agreed = []
    violations = []
    for step in distinct_steps(charges):
        u, _, action = step
        ticked = None
        for earlier in routes.steps(u):
            record = features(graph, earlier)
            label = str(record.label)
            if earlier[2].kind == "check" and record.checked is not True and _consent_like(vocab, label):
                ticked = label
                break
        if ticked is not None:
            agreed.append(ticked)
            continue
        boxes = [e for s in routes.nodes.get(u, [u]) for e in _prechecked(graph, seen, s)]
        prechecked = next((str(e.label) for e in boxes if _consent_like(vocab, str(e.label))), None)
        figures = {"label": action.label, "prechecked": prechecked}
        violations.append(Violation(figures, routes.evidence(u, features(graph, step))))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(label=agreed[0], charges=len(agreed))


@check(
    "terms_at_enrolment",
    figures=("label", "missing", "screen", "shown"),
    terms={
        "type": "object",
        "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
        "additionalProperties": {"type": "string", "minLength": 1},
        "minProperties": 1,
    },
    cadence_reach=CADENCE_REACH,
    subscriptions_only={"type": "boolean", "default": True},
)
def terms_at_enrolment(ctx: CheckContext, options: Options) -> CheckResult:
    """For a subscription (as `renewal_terms` tells one), whether the screen where the user enrols shows every
    material term at once: each key of `terms` is a vocabulary category (price, cadence, renewal, a way to
    cancel...) and its value what it stands for in a message. Seen on another screen is not enough: the FTC's
    Amazon order asks for them during enrolment, New York's GBL 527-a before billing details, in visual
    proximity to the consent. The enrolment screen is where each charging action is taken in a purchase, and
    where the last action of the cheapest path is taken in a sign-up (a sign-up that did not reach its goal is
    `incomplete`); its visible text, open dialog and control labels count. `inapplicable` for other kinds and,
    unless `subscriptions_only` is false (a law on every online order's final screen, as Japan's art. 12-6),
    when no screen shows a subscription.
    Figures: `screen`, `label` (the enrolling control), `missing` (what the screen does not show, in the
    words of `terms`), `shown` (what it does); a pass gives `screens` (enrolment screens looked at)."""
    graph, vocab = ctx.graph, ctx.vocab
    if graph.flow.get("kind") == "signup":
        route = goal_route(graph)
        if route is None:
            return unreached(graph, "what the enrolment screen shows")
        steps, routes = route[-1:], Routes(graph)
    else:
        setup = charges_or_verdict(graph)
        if isinstance(setup, CheckResult):
            return setup
        steps, routes = distinct_steps(setup[0]), setup[1]
    if not steps:
        return CheckResult.not_applicable("no enrolling action on the way")
    if options["subscriptions_only"] and _subscription(graph, vocab, routes, options["cadence_reach"]) is None:
        return CheckResult.not_applicable("no subscription seen: no screen mentions renewal or a price per period")
    violations = []
    for step in steps:
        u, _, action = step
        text = shown_text(graph.screen(u))
        shown = {c: words for c, words in options["terms"].items() if vocab.matches(c, text)}
        missing = [words for c, words in options["terms"].items() if c not in shown]
        if missing:
            figures = {
                "screen": screen_name(graph.screen(u)),
                "label": action.label,
                "missing": missing,
                "shown": list(shown.values()),
            }
            violations.append(Violation(figures, routes.evidence(u, features(graph, step))))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(screens=len(steps))


@check(
    "subscription_claims",
    figures=("claim", "label", "screen", "subscription"),
    category={"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
    cadence_reach=CADENCE_REACH,
)
def subscription_claims(ctx: CheckContext, options: Options) -> CheckResult:
    """For a subscription (as `renewal_terms` tells one), whether the screen where each charging action is
    taken says something that belies it: a phrase of the vocabulary category `category` (a one-off or a
    trial: "お試し", "1回のみ"), which leads a user to think they buy once what will be charged again and
    again. One violation per charging control and screen. `inapplicable` when no screen shows a subscription.
    Figures: `claim` (the phrase), `label` (the charging control), `screen`, `subscription` (the words that
    showed it is one); a pass gives `charges`."""
    graph, vocab = ctx.graph, ctx.vocab
    setup = _subscribing(ctx, options)
    if isinstance(setup, CheckResult):
        return setup
    charges, routes, subscription = setup
    steps = distinct_steps(charges)
    violations = []
    for step in steps:
        u, _, action = step
        claim = vocab.find(options["category"], shown_text(graph.screen(u)))
        if claim:
            figures = {
                "claim": claim,
                "label": action.label,
                "screen": screen_name(graph.screen(u)),
                "subscription": subscription,
            }
            violations.append(Violation(figures, routes.evidence(u, features(graph, step))))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(charges=len(steps))

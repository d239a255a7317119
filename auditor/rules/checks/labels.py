"""Checks on what controls are called and where they must be: a cancel, confirm or order button worded as the
law requires (BGB 312k, 312j(3)), a way out on every save-offer screen (Cal. Bus. & Prof. Code 17602), a withdrawal
or cancellation function near the start (CRD Art. 11a, Code de la consommation D215-1). Each measures and
returns figures; the rules cite the law.

Options arrive with their defaults filled in (`base.with_defaults`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from auditor.plural import plural
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, check
from auditor.rules.checks.paths import (
    Routes,
    Step,
    charge_steps,
    controls,
    features,
    goal_route,
    nearest_phrase_control,
    normalise,
    route_states,
    screen_name,
    shown_text,
    states_of_kind,
    unless_stopped_early,
    within,
)
from auditor.rules.checks.purchase import distinct_steps
from auditor.spec import PURCHASE_KINDS

Options = Mapping[str, Any]


def _matching(label: str, phrases: Sequence[str]) -> str | None:
    """The first of `phrases` contained in `label` as a whole phrase (case and spacing ignored)."""
    text = normalise(label)
    for phrase in phrases:
        if re.search(r"(?<!\w)" + re.escape(normalise(phrase)) + r"(?!\w)", text):
            return phrase
    return None


@check(
    "required_label",
    figures=("label", "expected", "missing", "phrase"),
    phrases={"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    where={"enum": ["first_exit", "final_action", "order"], "default": "first_exit"},
)
def required_label(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether the control the law names carries the wording it prescribes: the first exit action of the
    cheapest path (`first_exit`, e.g. "Verträge hier kündigen"), the path's last action (`final_action`,
    e.g. "jetzt kündigen") or the controls that place a paid order (`order`, e.g. "zahlungspflichtig
    bestellen": each charging action of a purchase; in a sign-up, the path's last action when a screen on the
    path shows a `price`, else `inapplicable`, since a free account binds the user to pay nothing) must
    contain one of `phrases` (whole phrase, case and spacing ignored); one violation per control. When the
    goal was not reached, a fully explored flow where no control anywhere bears a phrase still fails: the
    button the law requires does not exist.
    Figures: `label` (the control's label; null when the path has no such action or the goal was not
    reached), `expected` (the phrases), `where`, `phrase` (the one matched, on a pass), `missing` (why
    `label` is null, on such a failure)."""
    graph = ctx.graph
    phrases = list(options.get("phrases") or [])
    if not phrases:
        raise ValueError("check required_label needs a non-empty `phrases` option")
    where = options["where"]
    figures: dict[str, Any] = {"label": None, "expected": phrases, "where": where}
    routes = Routes(graph)
    route = goal_route(graph)
    if route is None:
        found = nearest_phrase_control(graph, routes.nearest_first(graph.g.nodes), lambda e: _matching(e, phrases))
        if found:
            state, element, _ = found
            return CheckResult.cannot_tell(
                f"the goal was not reached, but {screen_name(graph.screen(state))!r} shows "
                f"{element.label!r}, so which control ends the flow cannot be told",
                **figures,
            )
        if graph.start is None:
            return CheckResult.cannot_tell("no screens were recorded", **figures)
        missing = {**figures, "missing": "no control with one of the phrases on any screen"}
        verdict = CheckResult.failed(Violation(missing, routes.evidence(graph.start)))
        claim = "no control bears a required phrase on the screens seen"
        return unless_stopped_early(graph, verdict, claim, figures=figures)
    if where == "order":
        chosen = _orders(ctx, route)
        if chosen is None:
            return CheckResult.not_applicable("no price shown on the way: the flow places no paid order")
    elif where == "final_action":
        chosen = route[-1:]
    else:
        chosen = [s for s in route if ctx.flow.intent(s[0], s[1], s[2].key) == "exit"][:1]
    if not chosen:
        assert graph.start is not None  # a goal was reached from it
        figures["missing"] = "no exit action on the path" if where == "first_exit" else "no action on the path"
        return CheckResult.failed(Violation(figures, routes.evidence(graph.start)))
    violations = []
    for step in chosen:
        phrase = _matching(step[2].label, phrases)
        if phrase:
            passed = {**figures, "label": step[2].label, "phrase": phrase}
            continue
        violation = {**figures, "label": step[2].label}
        violations.append(Violation(violation, routes.evidence(step[0], features(graph, step))))
    return CheckResult.failed(*violations) if violations else CheckResult.passed(**passed)


def _orders(ctx: CheckContext, route: list[Step]) -> list[Step] | None:
    """The actions that place a paid order: a purchase's charging actions (one per control and screen); a
    sign-up's last action when a screen on its path shows a price; None when the sign-up shows none."""
    graph = ctx.graph
    if graph.flow.get("kind") in PURCHASE_KINDS:
        return distinct_steps(charge_steps(graph))
    if any(ctx.vocab.matches("price", shown_text(graph.screen(s))) for s in route_states(graph, route)):
        return route[-1:]
    return None


@check("exit_on_offers", figures=("controls", "heading"))
def exit_on_offers(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether every save-offer screen the explorer saw (on any path) lets the user go on cancelling right
    there, with a usable (visible, enabled, uncovered) exit control, so an offer never traps the user.
    Figures: `heading` (the offer screen's name), `controls` (labels of its usable controls) per failing
    screen; a pass gives `offers` (offer screens seen), as does `incomplete` when exploration stopped early
    (an unseen offer may lack an exit)."""
    graph, vocab = ctx.graph, ctx.vocab
    routes = Routes(graph)
    offers = routes.nearest_first(states_of_kind(ctx.flow, vocab, "offer"))
    violations = []
    for state in offers:
        screen = graph.screen(state)
        if not controls(screen, vocab, "exit"):
            figures = {
                "heading": screen_name(screen),
                "controls": [e.label for e in controls(screen, vocab)],
            }
            violations.append(Violation(figures, routes.evidence(state)))
    if violations:
        return CheckResult.failed(*violations)
    return unless_stopped_early(graph, CheckResult.passed(offers=len(offers)), "every offer seen has an exit")


@check(
    "control_near_start",
    figures=("found_label", "steps"),
    max_steps={"type": "integer", "minimum": 0, "default": 2},
    category={"type": "string", "pattern": "^[a-z][a-z0-9_]*$", "default": "withdraw"},
)
def control_near_start(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether a function the law names is on a screen reachable within `max_steps` actions of the start: a
    control labelled with a phrase of the vocabulary category `category` (`withdraw`: "withdraw from contract
    here", CRD Art. 11a; `cancel_function`: "résilier votre contrat", Code de la consommation D215-1), so using
    it is as easy as concluding the contract.
    Figures: `found_label` (the nearest such control, or null), `steps` (actions to reach the screen that
    shows it, or null), `max_steps`; on a failure both are given if a control exists farther away."""
    graph, vocab = ctx.graph, ctx.vocab
    if graph.start is None:
        return CheckResult.cannot_tell("no screens were recorded")
    max_steps, category = options["max_steps"], options["category"]

    def names(label: str) -> str | None:
        return vocab.find(category, label)

    routes = Routes(graph)
    near = nearest_phrase_control(graph, [s for s, _ in within(graph, max_steps)], names)
    if near:
        state, element, _ = near
        steps = routes.distance(state)
        return CheckResult.passed(found_label=element.label, steps=steps, max_steps=max_steps)
    far = nearest_phrase_control(graph, routes.nearest_first(graph.g.nodes), names)
    figures = {
        "found_label": far[1].label if far else None,
        "steps": routes.distance(far[0]) if far else None,
        "max_steps": max_steps,
    }
    verdict = CheckResult.failed(Violation(figures, routes.evidence(graph.start)))
    said = category.replace("_", " ")  # the vocabulary's category in words: "cancel button", "withdrawal"
    return unless_stopped_early(graph, verdict, f"no {said} control within {plural(max_steps, 'step')} seen")

"""Checks over cancellation flows on the way out itself: is there an online way (and in the medium the user
signed up in), how long is it next to the limit and to signing up, how many retention offers stand on it (the
unavoidable ones, or any before the end), and password walls. Each measures and returns
figures; the rules set thresholds, severity, messages and law. What the screens on the way show (the exit's
prominence, shaming, forced answers, the final confirmation) is in cancellation_screens.py.

Options arrive with their defaults filled in (`base.with_defaults`). A check that needs the path but finds
the goal unreached answers `incomplete` with figures `states` and `stop_reason`; one whose failure rests on
ways the explorer may not have seen (budget, timeout or error stop) answers `incomplete` with its figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from auditor.plural import plural
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, check
from auditor.rules.checks.bound import searched
from auditor.rules.checks.paths import (
    Routes,
    before_goal,
    evidence,
    exploration_note,
    find_phrase,
    goal_of,
    goal_reachable_without,
    goal_route,
    kind_of,
    labels,
    least_weight_route,
    prefix,
    route_states,
    screen_name,
    seen_text,
    states_of_kind,
    stopped_early,
    unless_stopped_early,
    unreached,
)

Options = Mapping[str, Any]
VERDICT_STOPS = ("frontier_exhausted", "other_channel")  # exploration ends that back "no online path"
NO_CHANNEL = (
    "no screen names another way to cancel either: check the spec's goal (it may be wrong), "
    "or the site has no online way to cancel"
)


@check("no_online_path", figures=("channel", "excerpt", "states", "stop_reason", "verdict"))
def no_online_path(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether the flow can be finished online at all. Fails only when the explorer saw every reachable screen
    (frontier exhausted), or stopped where the cancellation's own funnel said to cancel elsewhere
    (`other_channel`), without reaching the goal: the pattern of cancel-by-phone-only when some screen sends
    the user to another channel (call, write, visit); when none does, the goal was still not found anywhere,
    and a finished search that cannot find the way out is no pass (the spec's goal may be wrong, or there is
    no online way): it fails too, saying to check the goal. Budget or timeout stops are `incomplete`.
    The screen whose answer ended exploration (`other_channel`: a chat's reply) is the evidence when it names
    the channel, else the nearest that does. Figures: `states` (screens seen), `channel` (the phrase naming
    the other channel, or null), `excerpt` (~160 characters around it, or null), `verdict` (what was found, in
    words), `stop_reason`."""
    graph, vocab = ctx.graph, ctx.vocab
    states = graph.g.number_of_nodes()
    stop = graph.exploration.get("stop_reason")
    if goal_route(graph) is not None:
        return CheckResult.passed(states=states, stop_reason=stop)
    if graph.exploration.get("status") != "complete" or stop not in VERDICT_STOPS:
        return CheckResult.cannot_tell(
            f"{exploration_note(graph)} before the goal was found or every reachable screen was seen, "
            "so whether the flow can be finished online cannot be told",
            states=states,
            stop_reason=stop,
        )
    routes = Routes(graph)
    said = graph.exploration.get("other_channel_screen")  # the answer that ended exploration (a chat's reply)
    first = [str(said)] if said in graph.g else []
    for state in first + routes.nearest_first(graph.g.nodes):
        found = find_phrase(vocab, "phone", graph.screen(state))
        if found:
            verdict = f'the site sends the user to another channel ("{found[0]}")'
            figures = {"states": states, "channel": found[0], "excerpt": found[1], "verdict": verdict}
            return CheckResult.failed(Violation({**figures, "stop_reason": stop}, routes.evidence(state)))
    figures = {"states": states, "channel": None, "excerpt": None, "verdict": NO_CHANNEL, "stop_reason": stop}
    if graph.start is None:
        return CheckResult.cannot_tell("the flow has no screens", **figures)
    return CheckResult.failed(Violation(figures, routes.evidence(graph.start)))


@check(
    "steps",
    figures=("steps", "pages", "detours", "searched"),
    max_steps={"type": "integer", "minimum": 0, "default": 5},
    max_pages={"type": ["integer", "null"], "minimum": 0, "default": None},
)
def steps(ctx: CheckContext, options: Options) -> CheckResult:
    """How many user actions (and distinct pages) the cheapest path from the start to the goal takes: every
    extra click, page and detour is friction the law asks to keep as low as the way in.
    Figures: `steps`, `pages` (pages after the start), `max_steps`, `max_pages` (null: not limited),
    `detours` (offer screens on that path)."""
    graph = ctx.graph
    route = goal_route(graph)
    if route is None:
        return unreached(graph, "the number of steps")
    metrics = ctx.flow.metrics()
    figures = {
        "steps": len(route),
        "pages": metrics["pages_to_goal"],
        "max_steps": options["max_steps"],
        "max_pages": options["max_pages"],
        "detours": len(_offers_on(ctx, route_states(graph, route))),
    }
    over = figures["steps"] > options["max_steps"] or (
        options["max_pages"] is not None and figures["pages"] > options["max_pages"]
    )
    if not over:
        return searched(graph, CheckResult.passed(**figures))
    return searched(
        graph,
        unless_stopped_early(
            graph,
            CheckResult.failed(Violation(figures, evidence(graph, goal_of(graph, route), labels(route)))),
            f"the cheapest path found takes {plural(figures['steps'], 'step')}",
            "so a shorter one may exist",
        ),
    )


@check(
    "harder_than_partner",
    figures=(
        "partner",
        "compare",
        "worse",
        "steps",
        "pages",
        "inputs",
        "partner_steps",
        "partner_pages",
        "partner_inputs",
        "searched",
    ),
    slack_steps={"type": "integer", "minimum": 0, "default": 0},
    compare={
        "type": "array",
        "items": {"enum": ["steps", "pages", "inputs"]},
        "uniqueItems": True,
        "default": ["steps", "pages", "inputs"],
    },
)
def harder_than_partner(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether leaving takes more than joining: the cheapest path of this flow against that of its
    `compare_with` partner (the sign-up or purchase), in actions, pages and forced form inputs, since the law
    asks cancelling to be at least as easy as signing up. `inapplicable` without a partner; `incomplete` when
    either goal was not reached or the partner's graph is missing.
    Figures: `steps`, `partner_steps`, `pages`, `partner_pages`, `inputs`, `partner_inputs` (forced form
    fields), `partner` (its name), `slack_steps`, `compare`, `worse` (the compared figures that exceed the
    partner's by more than `slack_steps`)."""
    graph, partner = ctx.graph, (ctx.partner.graph if ctx.partner else None)
    name = graph.flow.get("compare_with")
    if not name:
        return CheckResult.not_applicable("no sign-up flow of the same service to compare with")
    route = goal_route(graph)
    if route is None:
        return unreached(graph, f"how hard it is next to {name!r}")
    if partner is None:
        return CheckResult.cannot_tell(f"the partner flow {name!r} has no graph (not run, or not found)", partner=name)
    if goal_route(partner) is None:
        return CheckResult.cannot_tell(
            f"the partner flow {name!r} did not reach its goal ({exploration_note(partner)})", partner=name
        )
    own, theirs = ctx.flow.metrics(), ctx.partner.metrics() if ctx.partner else {}
    figures: dict[str, Any] = {"partner": name, "slack_steps": options["slack_steps"], "compare": options["compare"]}
    for figure, metric in (("steps", "steps_to_goal"), ("pages", "pages_to_goal"), ("inputs", "forced_inputs")):
        figures[figure], figures[f"partner_{figure}"] = own[metric], theirs[metric]
    figures["worse"] = [
        f for f in ("steps", "pages", "inputs") if f in options["compare"] and _exceeds(figures, f, options)
    ]
    # measured figures are upper bounds when exploration stopped early: a pass needs the partner's to be
    # final, a failure needs this flow's to be
    doubt = stopped_early(graph) if figures["worse"] else stopped_early(partner)
    if doubt:
        verdict = CheckResult.cannot_tell(f"{doubt} ({'this flow' if figures['worse'] else name})", **figures)
    elif not figures["worse"]:
        verdict = CheckResult.passed(**figures)
    else:
        verdict = CheckResult.failed(Violation(figures, evidence(graph, goal_of(graph, route), labels(route))))
    return searched(graph, verdict)


def _exceeds(figures: Mapping[str, Any], figure: str, options: Options) -> bool:
    return int(figures[figure]) > int(figures[f"partner_{figure}"]) + int(options["slack_steps"])


@check(
    "detours", figures=("detours", "offers", "searched"), max_detours={"type": "integer", "minimum": 0, "default": 0}
)
def detours(ctx: CheckContext, options: Options) -> CheckResult:
    """The fewest save-offer screens a user must pass on ANY way from the start to the goal (not only the
    cheapest path), so it fires only when every way out runs through that many retention offers.
    Figures: `detours` (that minimum), `max_detours`, `offers` (names of the offer screens on the path that
    has the fewest, the shortest of those)."""
    graph = ctx.graph
    if goal_route(graph) is None:
        return unreached(graph, "the number of retention offers")
    offer_states = states_of_kind(ctx.flow, ctx.vocab, "offer")
    best = least_weight_route(graph, lambda s: s in offer_states)
    assert best is not None  # a goal is reachable
    count, route = best
    on_route = _offers_on(ctx, route_states(graph, route))
    figures = {
        "detours": count,
        "max_detours": options["max_detours"],
        "offers": [screen_name(graph.screen(s)) for s in on_route],
    }
    if count <= options["max_detours"]:
        return searched(graph, CheckResult.passed(**figures))
    excess = on_route[options["max_detours"]]  # the first offer over the limit
    return searched(
        graph,
        unless_stopped_early(
            graph,
            CheckResult.failed(Violation(figures, evidence(graph, excess, labels(prefix(route, excess))))),
            f"every way out found passes {count} offers",
            "so one with fewer may exist",
        ),
    )


def _offers_on(ctx: CheckContext, states: list[str]) -> list[str]:
    return [s for s in states if kind_of(ctx.flow, ctx.vocab, s) == "offer"]


@check("login_wall", figures=("auth_screens", "fields", "heading", "searched"))
def login_wall(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether every way from the start to the goal passes a screen asking to sign in or re-enter a password
    (the start included): with those screens taken out, is the goal still reachable? A password wall in
    front of the exit stops users who cannot recall it.
    Figures: `heading` (of the auth screen on the cheapest path), `fields` (labels of its password fields),
    `auth_screens` (auth screens in the graph)."""
    graph = ctx.graph
    route = goal_route(graph)
    if route is None:
        return unreached(graph, "whether the exit is behind a login")
    auth = states_of_kind(ctx.flow, ctx.vocab, "auth")
    if goal_reachable_without(graph, auth):
        return searched(graph, CheckResult.passed(auth_screens=len(auth)))
    on_route = [s for s in route_states(graph, route) if s in auth]
    wall = on_route[0]  # every way passes one, so the cheapest does too
    screen = graph.screen(wall)
    figures = {
        "heading": screen_name(screen),
        "fields": [f.label or f.name or "" for f in screen.fields if f.type == "password"],
        "auth_screens": len(auth),
    }
    verdict = CheckResult.failed(Violation(figures, evidence(graph, wall, labels(prefix(route, wall)))))
    return searched(graph, unless_stopped_early(graph, verdict, "every way out found passes a login"))


@check("offers_before_goal", figures=("heading", "offers", "path", "searched"))
def offers_before_goal(ctx: CheckContext, options: Options) -> CheckResult:
    """Every save-offer screen the user can meet while cancelling: on some way from the start to the goal that
    does not pass the goal first (an offer shown only after the cancellation is done is not one). Unlike
    `detours`, which counts the offers no way out avoids, one offer on any way counts, since a law that bans
    retention offers during cancellation (Minnesota) bans the avoidable ones too.
    Figures (per offer screen): `heading` (its name), `offers` (how many such screens), `path` (the labels of
    the fewest actions reaching it); a pass gives `offers` (0)."""
    graph = ctx.graph
    if goal_route(graph) is None:
        return unreached(graph, "whether an offer stands on the way")
    during = before_goal(graph)
    offers = [s for s in states_of_kind(ctx.flow, ctx.vocab, "offer") if s in during]
    if not offers:
        verdict = unless_stopped_early(graph, CheckResult.passed(offers=0), "no offer seen on the way to the goal")
        return searched(graph, verdict)
    routes = Routes(graph)
    violations = [
        Violation(
            {"heading": screen_name(graph.screen(s)), "offers": len(offers), "path": list(routes.labels(s))},
            routes.evidence(s),
        )
        for s in routes.nearest_first(offers)
    ]
    return searched(graph, CheckResult.failed(*violations))


@check(
    "same_medium",
    figures=("channel", "excerpt", "states", "stop_reason", "verdict", "partner", "partner_steps", "phrase"),
    channels={
        "type": "array",
        "items": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "default": ["phone", "chat", "email", "mail", "in_person"],
    },
)
def same_medium(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether a flow whose sign-up partner (`compare_with`) was completed online can itself be completed
    online: the law asks that a contract be ended in the medium it was made in. The verdict on this flow is
    `no_online_path`'s (only a fully explored flow that states another channel fails); the channel is then
    named from the vocabulary categories `channel_<name>` for each of `channels`, looked for around the
    sentence that sends the user away (then on that whole screen). `inapplicable` without a partner;
    `incomplete` when the partner did not reach its goal (then it was not shown to be online).
    Figures: `channel` (the channel names found, joined, or "another channel"), `phrase` (the words sending
    the user away), `excerpt`, `partner`, `partner_steps` (actions the partner's sign-up took), `states`."""
    graph, vocab = ctx.graph, ctx.vocab
    name = graph.flow.get("compare_with")
    if not name:
        return CheckResult.not_applicable("no sign-up flow of the same service to compare with")
    if ctx.partner is None or goal_route(ctx.partner.graph) is None:
        note = "has no graph"
        if ctx.partner is not None:
            note = f"did not reach its goal ({exploration_note(ctx.partner.graph)})"
        reason = f"the partner flow {name!r} {note}, so it was not shown to be online"
        return CheckResult.cannot_tell(reason, partner=name)
    partner_steps = len(goal_route(ctx.partner.graph) or [])
    verdict = no_online_path(ctx, {})
    figures = {**verdict.figures, "partner": name, "partner_steps": partner_steps}
    if verdict.outcome != "fail":
        return replace(verdict, figures=figures)
    if verdict.figures["channel"] is None:
        return CheckResult.cannot_tell("no screen names another channel, so the medium cannot be told", **figures)
    violation = verdict.violations[0]
    assert violation.evidence.state is not None
    screen = graph.screen(violation.evidence.state)
    found = [c for c in options["channels"] if vocab.find(f"channel_{c}", str(figures["excerpt"]))]
    found = found or [c for c in options["channels"] if vocab.find(f"channel_{c}", seen_text(screen))]
    figures = {
        **figures,
        "phrase": figures["channel"],
        "channel": ", ".join(c.replace("_", " ") for c in found) or "another channel",
    }
    return CheckResult.failed(Violation(figures, violation.evidence))

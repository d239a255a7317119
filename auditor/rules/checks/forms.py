"""Checks on what the pages after a cancel or withdrawal button ask for: the law lists the data a confirmation
page may ask (BGB 312k: identification, the contract, the kind and date of the termination; CRD Art. 11a: a
name, the contract, an electronic contact) and asks for one page, so each field beyond the list, and each page
beyond the first, is an obstacle it did not allow. Which fields are allowed is a vocabulary category named by
the rule (words in the packs), matched on a field's label, name and placeholder.

Options arrive with their defaults filled in (`base.with_defaults`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.graph import FlowGraph
from auditor.records import Control
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, check
from auditor.rules.checks.paths import (
    Routes,
    Step,
    goal_route,
    nearest_phrase_control,
    route_states,
    screen_name,
    unless_stopped_early,
    unreached,
)

Options = Mapping[str, Any]
NOT_ASKED = ("search", "hidden", "submit", "button")  # input types that ask the user for nothing about them


@check(
    "minimal_form",
    figures=("asked", "button", "extra", "pages", "screens"),
    allowed={"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
    after={"enum": ["exit", "withdraw"], "default": "exit"},
    max_pages={"type": "integer", "minimum": 1, "default": 1},
)
def minimal_form(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether the step after the button asks for nothing but the data the law allows, on one page.
    `after: exit` judges the cheapest path from its first exit action (the cancel button) to its last action
    (the confirming one): the pages between are the screen the button leads to plus one for each further click
    before the last action (ticking or choosing stays on a page), at most `max_pages`. `after: withdraw`
    judges the screen the withdrawal control nearest the start leads to (a control with a `withdraw` phrase;
    `incomplete` when the explorer did not follow it). On those pages, every text-like field (a site-wide
    search box aside) and every drop-down must be named by a phrase of the vocabulary category `allowed`; a
    password never is identification data the user has at hand.
    Figures: `button` (the control the step starts from), `pages`, `max_pages`, `extra` (labels of the fields
    beyond the allowed data), `asked` (labels of every field asked), `screens` (the pages' names)."""
    graph = ctx.graph
    if options["after"] == "withdraw":
        found = _withdrawal(ctx)
        if isinstance(found, CheckResult):
            return found
        button, pages = found
    else:
        route = goal_route(graph)
        if route is None:
            return unreached(graph, "what the confirmation page asks for")
        exits = [i for i, s in enumerate(route) if ctx.flow.intent(s[0], s[1], s[2].key) == "exit"]
        if not exits:
            return CheckResult.cannot_tell("the path has no exit action, so where the confirmation starts is unknown")
        button, pages = _pages_after(graph, route, exits[0])
    asked = [(state, label, fits) for state in pages for label, fits in _asked(ctx, graph, state, options["allowed"])]
    extra = [label for _, label, fits in asked if not fits]
    count = len(pages) if options["after"] == "exit" else 1
    figures = {
        "button": button,
        "pages": count,
        "max_pages": options["max_pages"],
        "extra": extra,
        "asked": [label for _, label, _ in asked],
        "screens": [screen_name(graph.screen(s)) for s in dict.fromkeys(pages)],
    }
    if not extra and count <= options["max_pages"]:
        return CheckResult.passed(**figures)
    at = next((s for s, _, fits in asked if not fits), None) or list(dict.fromkeys(pages))[-1]
    verdict = CheckResult.failed(Violation(figures, Routes(graph).evidence(at)))
    return unless_stopped_early(
        graph, verdict, "the cheapest confirmation found asks too much", "so a shorter one may exist"
    )


def _pages_after(graph: FlowGraph, route: list[Step], first_exit: int) -> tuple[str, list[str]]:
    """The button's label and the pages between it and the last action: the screen it leads to, then each
    screen a further click leads to (the screens a tick or a choice leads to are the same page, changed)."""
    states = route_states(graph, route)
    between = route[first_exit + 1 : len(route) - 1]
    pages = [states[first_exit + 1]] if first_exit + 1 < len(route) else []
    pages += [v for _, v, action in between if action.kind == "click"]
    return route[first_exit][2].label, pages


def _withdrawal(ctx: CheckContext) -> tuple[str, list[str]] | CheckResult:
    """The withdrawal control nearest the start and the screen it leads to, or why there is none to judge."""
    graph = ctx.graph
    routes = Routes(graph)
    found = nearest_phrase_control(graph, routes.nearest_first(graph.g.nodes), lambda t: ctx.vocab.find("withdraw", t))
    if found is None:
        return CheckResult.not_applicable("no withdrawal control was seen")
    state, element, _ = found
    target = next((v for _, v, a in graph.g.out_edges(state, data="action") if a.key == element.key), None)
    if target is None:
        return CheckResult.cannot_tell(
            f"the withdrawal control {element.label!r} was not followed", button=element.label
        )
    return element.label, [target]


def _asked(ctx: CheckContext, graph: FlowGraph, state: str, allowed: str) -> list[tuple[str, bool]]:
    """What a page asks the user to give: (label, whether an `allowed` phrase names it) per text-like field and
    per drop-down (one per label)."""
    screen = graph.screen(state)
    out = []
    for field in screen.fields:
        if field.type in NOT_ASKED or not field.enabled:
            continue
        names = " ".join(t for t in (field.label, field.name, field.placeholder) if t)
        fits = not field.is_password and ctx.vocab.matches(allowed, names)
        out.append((field.label or field.name or field.placeholder, fits))
    selects: dict[str, Control] = {e.label: e for e in screen.elements if e.kind == "select" and e.usable}
    out += [(label, ctx.vocab.matches(allowed, label)) for label in selects]
    return out

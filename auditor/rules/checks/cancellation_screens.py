"""Checks over what the screens of a cancellation flow show the user: whether the exit is hidden, whether
declining is worded to shame, whether an answer is forced before the way on unlocks, whether the end says it
is done (shaming and confirmations are read from the words by wording.py). Each measures and returns figures;
the rules set thresholds, severity, messages and law. How visible the exit is beside the offers to stay is in
prominence.py; the way out itself (its length, offers, walls) is in cancellation.py.

Options arrive with their defaults filled in (`base.with_defaults`); a check that needs the path but finds
the goal unreached answers `incomplete` with figures `states` and `stop_reason`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from auditor.graph import page_of
from auditor.records import Control
from auditor.rules.checks.base import CheckContext, CheckResult, Violation, check
from auditor.rules.checks.paths import (
    Routes,
    Step,
    before_goal,
    controls,
    element_of,
    evidence,
    excerpt,
    features,
    goal_of,
    goal_route,
    kind_of,
    labels,
    normalise,
    screen_name,
    seen_text,
    unless_stopped_early,
    unreached,
)
from auditor.rules.checks.prominence import DIMENSIONS
from auditor.wording import read_confirmation, read_shaming

Options = Mapping[str, Any]
NAVIGATION = ("neutral", "path")  # intents of actions that only move around menus


@check(
    "hidden_exit",
    figures=("label", "reasons", "font_size", "contrast", "area", "above_fold", "menu_depth"),
    min_font_px={"type": "number", "minimum": 0, "default": 12},
    min_contrast={"type": "number", "minimum": 1, "default": 4.5},
    min_area={"type": "number", "minimum": 0, "default": 400},
    below_fold_alone={"type": "boolean", "default": False},
    max_menu_depth={"type": "integer", "minimum": 0, "default": 3},
)
def hidden_exit(ctx: CheckContext, options: Options) -> CheckResult:
    """For each exit action the cheapest path takes, why a user would struggle to find it: "below the fold",
    "collapsed" (hidden on an earlier screen of the same page and revealed by a non-exit toggle such as a
    menu or a closed <details>), "tiny" (font under `min_font_px` or area under `min_area`), "low contrast"
    (under `min_contrast`, WCAG ratio), and on the first exit "deep menu" (more than `max_menu_depth` menu
    actions, of neutral or path intent, before it). Fails once per exit action with a reason; "below the fold"
    on its own counts only with `below_fold_alone: true` (a normal-looking footer link is not hidden).
    Figures: `label`, `reasons`, `font_size`, `contrast`, `area`, `above_fold`, `menu_depth` (menu actions
    before the first exit), `min_font_px`, `min_contrast`, `min_area`; a pass gives `exits` (exit actions
    looked at) and `menu_depth`."""
    graph = ctx.graph
    route = goal_route(graph)
    if route is None:
        return unreached(graph, "how hidden the exit is")
    intents = [ctx.flow.intent(u, v, a.key) for u, v, a in route]
    first_exit = intents.index("exit") if "exit" in intents else len(route)
    menu_depth = sum(1 for intent in intents[:first_exit] if intent in NAVIGATION)
    routes = Routes(graph)
    violations = []
    for i, step in enumerate(route):
        if intents[i] != "exit":
            continue
        element = features(graph, step)
        reasons = _hidden_reasons(ctx, route, i, element, options)
        if i == first_exit and menu_depth > options["max_menu_depth"]:
            reasons.append("deep menu")
        if reasons == ["below the fold"] and not options["below_fold_alone"]:
            reasons = []  # a plain footer link is where many fair sites put the exit: not hidden by itself
        if reasons:
            figures = {
                "label": step[2].label,
                "reasons": reasons,
                **{f: getattr(element, f) for f in (*DIMENSIONS, "above_fold")},
                "menu_depth": menu_depth,
                **{k: options[k] for k in ("min_font_px", "min_contrast", "min_area")},
            }
            violations.append(Violation(figures, routes.evidence(step[0], element)))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(exits=intents.count("exit"), menu_depth=menu_depth)


def _hidden_reasons(ctx: CheckContext, route: list[Step], i: int, element: Control, options: Options) -> list[str]:
    reasons = []
    if element.above_fold is False:
        reasons.append("below the fold")
    if _collapsed(ctx, route, i, element):
        reasons.append("collapsed")
    font, area, contrast = element.font_size, element.area, element.contrast
    if (font is not None and font < options["min_font_px"]) or (area is not None and area < options["min_area"]):
        reasons.append("tiny")
    if contrast is not None and contrast < options["min_contrast"]:
        reasons.append("low contrast")
    return reasons


def _collapsed(ctx: CheckContext, route: list[Step], i: int, element: Control) -> bool:
    """Hidden when acted on, or hidden on an earlier screen of the same page since the last exit action."""
    if element.visible is False:
        return True
    graph = ctx.graph
    page = page_of(graph.screen(route[i][0]).url)
    for u, v, action in reversed(route[:i]):
        if ctx.flow.intent(u, v, action.key) == "exit":
            return False  # revealed by the flow itself (a confirm dialog opened by "Cancel"), not a toggle
        earlier = graph.screen(u)
        if page_of(earlier.url) == page:
            seen = element_of(earlier, element.key)
            if seen is not None and not seen.visible:
                return True
    return False


@check(
    "confirmshaming",
    figures=("label", "phrase", "screen", "signal", "source"),
    scope={"enum": ["anywhere", "enrolment"], "default": "anywhere"},
)
def confirmshaming(ctx: CheckContext, options: Options) -> CheckResult:
    """Decline or exit options worded to shame the user ("No thanks, I prefer to pay full price"), read by
    wording.read_shaming: a pack's `shame` phrase, or the grammar of a first-person statement that belittles
    the user or their choice (vocabulary `first_person`, `decline_opener`, `shame_cue`, `benefit`, ...), in
    any language the packs list. Looked at: the labels of the controls on every screen of the graph (not only
    the path; in a sign-up or purchase, not the exits: they leave something else, not decline this offer),
    and the messages of the confirm() dialogs actions raised. One violation per distinct text, at
    the nearest screen showing it (a confirm's: the screen its action was taken on). With `scope: enrolment`
    only the screens met on the way to the goal before reaching it are read (the decline offered while the user
    enrols, as the FTC's Amazon order judges it); then an unreached goal is `incomplete`.
    Figures: `label` (the control's label or the confirm's message), `phrase` (the words that shame),
    `signal` ("phrase": a `shame` phrase; "structure": the grammar), `source` ("control" or "confirm"),
    `screen`, and for a confirm `control` (the action that raised it); a pass gives `screens`, `controls`
    (distinct control labels looked at) and `dialogs` (distinct confirm messages looked at)."""
    graph, vocab = ctx.graph, ctx.vocab
    if graph.g.number_of_nodes() == 0:
        return CheckResult.cannot_tell("no screens were recorded")
    enrolment = options["scope"] == "enrolment"
    if enrolment and goal_route(graph) is None:
        return unreached(graph, "the declines offered while enrolling")
    routes = Routes(graph)
    # in a sign-up or purchase, the declines that matter are of this flow's offer: a way out of something
    # else the site offers ("Unsubscribe from all (...)" on another page) is not one
    joining = graph.flow.get("kind") != "cancellation"
    looked: dict[str, set[str]] = {"control": set(), "confirm": set()}
    violations = []
    read = routes.nearest_first(before_goal(graph) if enrolment else graph.g.nodes)
    for state in read:
        screen = graph.screen(state)
        shown: list[tuple[str, Control, dict[str, str]]] = [
            (e.label, e, {}) for e in controls(screen, vocab) if joining is False or vocab.intent(e.label) != "exit"
        ]
        raised = [
            (str(d["message"]), features(graph, (u, v, action)), {"control": action.label})
            for u, v, action in sorted(graph.g.out_edges(state, data="action"), key=lambda e: e[2].order)
            for d in action.dialogs
            if d.get("type") == "confirm" and d.get("message")
        ]
        for source, texts in (("control", shown), ("confirm", raised)):
            for text, element, more in texts:
                if normalise(text) in looked[source]:
                    continue
                looked[source].add(normalise(text))
                found = read_shaming(text, vocab.speaking(screen.lang))  # in the screen's language
                if found:
                    figures = {
                        "label": text,
                        "phrase": found.phrase,
                        "signal": found.signal,
                        "source": source,
                        "screen": screen_name(screen),
                        **more,
                    }
                    violations.append(Violation(figures, routes.evidence(state, element)))
    if violations:
        return CheckResult.failed(*violations)
    verdict = CheckResult.passed(screens=len(read), controls=len(looked["control"]), dialogs=len(looked["confirm"]))
    return unless_stopped_early(graph, verdict, "no shaming label on the screens seen")


@check(
    "forced_survey",
    figures=("blocked", "choices", "locked_by", "question"),
    min_choices={"type": "integer", "minimum": 1, "default": 2},
)
def forced_survey(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether the cheapest path is held up by a question the user must answer: a survey screen (or one with
    at least `min_choices` choices and a disabled or refusing button) where the path goes on by picking a
    choice (a box or radio, or a reason given as a button, chip or card: `_choice`), and the way on was
    locked until answering: a control that was disabled there is enabled on the next screen, or the control
    the path takes next did nothing there before the answer (the screen stayed as it was: "Next step" only
    warned "Please select a reason").
    Figures: `question` (the screen's heading), `choices` (labels of its choices), `blocked` (the label of
    the control the answer unlocked), `locked_by` ("disabled" or "refused"); a pass gives `surveys` (survey
    screens on the path)."""
    graph, vocab = ctx.graph, ctx.vocab
    route = goal_route(graph)
    if route is None:
        return unreached(graph, "whether the path forces an answer")
    routes = Routes(graph)
    surveys = 0
    violations = []
    for number, (u, v, action) in enumerate(route):
        screen = graph.screen(u)
        choices = [e for e in screen.elements if e.visible and _choice(e)]
        locked = [e for e in screen.elements if e.kind == "click" and e.visible and not e.enabled]
        refused = {a.key for _, w, a in graph.g.out_edges(u, data="action") if w == u and a.kind == "click"}
        many = len(choices) >= options["min_choices"]
        if not (kind_of(ctx.flow, vocab, u) == "survey" or (many and (locked or refused))):
            continue
        surveys += 1
        if action.kind not in ("check", "select") and not (action.element and _choice(action.element)):
            continue
        after = graph.screen(v)
        unlocked = [e for e in locked if (now := element_of(after, e.key)) is not None and now.usable]
        following = route[number + 1][2] if number + 1 < len(route) else None
        blocked, how = (unlocked[0], "disabled") if unlocked else (None, "")
        if blocked is None and following is not None and following.key in refused:
            blocked, how = element_of(screen, following.key), "refused"
        if blocked is not None:
            figures = {
                "question": screen.heading or screen_name(screen),
                "choices": [e.label for e in choices],
                "blocked": blocked.label,
                "locked_by": how,
            }
            violations.append(Violation(figures, routes.evidence(u, blocked)))
    if violations:
        return CheckResult.failed(*violations)
    return CheckResult.passed(surveys=surveys)


def _choice(element: Control) -> bool:
    """A choice to pick: a box or radio, or a reason given as a button, chip or card (a click control the probe
    grouped with its alternatives: aria-pressed, or alike siblings beside a disabled button)."""
    return element.kind == "check" or (element.kind == "click" and bool(element.group))


@check("confirmation", figures=("excerpt", "heading"))
def confirmation(ctx: CheckContext, options: Options) -> CheckResult:
    """Whether the flow's end says, in words, that the cancellation is done, so the user knows it worked and
    has a record to keep. Read by wording.read_confirmation (a pack's `confirmation` phrase, or the grammar of
    a statement that something went through: `confirm_subject` + `confirm_act`, ...; not a question, a
    condition or a pending request) on the goal screen's dialog and text, then on the messages of the
    alert() and confirm() dialogs raised by the action that reached it, then on the screens that action showed
    on the way, then on the messages shown for a moment after it (a toast, a live region, a dialog that closed:
    explore/glimpses.py). A confirmation that goes away by itself after two seconds was seen, and is as good a
    record. Figures: `phrase`, `excerpt` (around it), `signal` ("phrase" or "structure") and `source`
    ("screen", the dialog's type, "interim", or "shown for a moment" with `shown_as`: the message's role,
    "toast" or "dialog") on a pass; `heading` and `excerpt` (the goal screen's text) on a failure."""
    graph = ctx.graph
    route = goal_route(graph)
    if route is None:
        return unreached(graph, "the confirmation")
    goal = goal_of(graph, route)
    screen = graph.screen(goal)
    said = [("screen", seen_text(screen))]
    if route:
        last = route[-1][2]
        said += [(str(d.get("type")), str(d["message"])) for d in last.dialogs if d.get("message")]
        said += [("interim", text) for text in last.interim]  # a screen the user saw before it moved on
        said += [(f"shown for a moment|{g.get('how', '')}", str(g.get("text", ""))) for g in last.glimpses]
    for source, text in said:
        found = read_confirmation(text, ctx.vocab.speaking(screen.lang))  # in the goal screen's language
        if found:
            at = text.find(found.phrase)
            source, _, shown_as = source.partition("|")
            return CheckResult.passed(
                phrase=found.phrase,
                excerpt=excerpt(text, at, at + len(found.phrase)),
                signal=found.signal,
                source=source,
                **({"shown_as": shown_as} if shown_as else {}),
            )
    text = seen_text(screen)
    at = text.find(screen.heading) if screen.heading else -1  # the end's own words start at its heading
    figures = {
        "heading": screen_name(screen),
        "excerpt": excerpt(text, at, at + len(screen.heading)) if at >= 0 else excerpt(text),
    }
    return CheckResult.failed(Violation(figures, evidence(graph, goal, labels(route))))

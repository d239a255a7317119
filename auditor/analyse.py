"""Analysis: what each screen and action of an explored flow *is*, computed once per vocabulary.

Exploration records what was seen (FlowGraph: screens, actions, evidence); analysis classifies it (a screen's
kind: goal, offer, survey, auth, ...; an action's intent: exit, keep, offer, ...) from the packs' vocabulary.
It is a pure function: the graph is not changed, so one saved graph can be analysed under any pack, and the
rules (evaluate) read the result. The path metrics live here because one of them (detours) needs the kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import networkx as nx

from auditor.classify import Vocabulary, screen_kind_of
from auditor.graph import Action, FlowGraph, page_of

EdgeId = tuple[str, str, str]  # (source state, target state, action key)


@dataclass(frozen=True)
class Analysed:
    """A flow graph with the kind of each screen and the intent of each action (and why), under one vocabulary."""

    graph: FlowGraph
    kinds: Mapping[str, str] = field(default_factory=dict)
    intents: Mapping[EdgeId, str] = field(default_factory=dict)
    reasons: Mapping[EdgeId, str] = field(default_factory=dict)  # why each action has its intent, in words

    def kind(self, state: str) -> str:
        return self.kinds.get(state, "info")

    def intent(self, source: str, target: str, key: str) -> str:
        return self.intents.get((source, target, key), "neutral")

    def why(self, source: str, target: str, key: str) -> str:
        return self.reasons.get((source, target, key), "")

    @cached_property
    def _metrics(self) -> dict[str, Any]:
        graph = self.graph
        path = graph.cheapest_path()
        urls = {page_of(graph.screen(graph.start).url)} if graph.start else set()
        options = forced = 0
        for u, v, action in path:
            options += sum(1 for e in graph.screen(u).elements if e.usable)
            forced += len(action.inputs)
            urls.add(page_of(graph.screen(v).url))
        on_path = [graph.start] + [v for _, v, _ in path] if graph.start else []
        detours = sum(1 for s in on_path if self.kind(s) == "offer")
        reached = bool(path) or (graph.start in graph.goals)
        return {
            "goal_reached": reached,
            "steps_to_goal": len(path) if reached else None,
            "pages_to_goal": (len(urls) - 1) if reached else None,
            "options_on_path": options if reached else None,
            "detours": detours if reached else None,
            "forced_inputs": forced if reached else None,
            "states": graph.g.number_of_nodes(),
            "actions": graph.g.number_of_edges(),
        }

    def metrics(self) -> dict[str, Any]:
        """Measured on the cheapest start->goal path, counted in user actions (see DESIGN.md)."""
        return dict(self._metrics)


def analyse(graph: FlowGraph, vocab: Vocabulary) -> Analysed:
    """Every action's intent (and why) and every screen's kind, from the vocabulary and, in a cancellation, from
    what an action did: on a dialog or on the cancellation's last screen, a control that closes the screen or
    goes back to where the user was, the subscription still active, keeps the user whatever its label (a
    "Cancel" that closes "Stop auto-renewal?"); the way on from a screen that offers to keep the user is the
    exit; and a save offer is a screen that stands between the user and the goal (see `_past_an_exit`), not
    any screen with an upsell ("Switch to annual" on the account page). `graph` is left as it is."""
    kinds = {state: screen_kind_of(graph, vocab, state, is_start=state == graph.start) for state in graph.g.nodes}
    intents, reasons = {}, {}
    cancellation = graph.flow.get("kind") == "cancellation"
    to_goal = _to_goal(graph) if cancellation else {}
    depth = nx.single_source_shortest_path_length(graph.g, graph.start) if graph.start in graph.g else {}
    kept_by: dict[str, str] = {}  # screen -> a control on it that keeps the user by what it did
    for u, v, key, data in graph.g.edges(keys=True, data=True):
        intents[(u, v, key)], reasons[(u, v, key)] = _intent(data["action"], vocab, graph.screen(u).lang)
        returned = cancellation and _returns(graph, (u, v, data["action"]), depth)
        if returned and intents[(u, v, key)] not in ("keep", "offer", "avoid"):
            intents[(u, v, key)], reasons[(u, v, key)] = "keep", f"by what it did: {returned}"
            kept_by.setdefault(u, data["action"].label)
    keeping: dict[str, str | None] = {}
    for u, v, key, data in graph.g.edges(keys=True, data=True):
        intent, action = intents[(u, v, key)], data["action"]
        keeps = keeping[u] if u in keeping else keeping.setdefault(u, _keeps(graph, vocab, u) or kept_by.get(u))
        by_role = action.kind == "click" and intent not in ("exit", "keep", "offer", "avoid")  # not a survey's answer
        if by_role and keeps and to_goal.get(v, INF) < to_goal.get(u, INF):
            intents[(u, v, key)] = "exit"
            reasons[(u, v, key)] = f"by its role: it goes on leaving from a screen that offers to keep ({keeps!r})"
    if cancellation:
        between = _past_an_exit(graph, intents, depth)
        kinds = {s: "info" if kind == "offer" and s not in between else kind for s, kind in kinds.items()}
    return Analysed(graph, kinds, intents, reasons)


INF = float("inf")


def _intent(action: Action, vocab: Vocabulary, lang: str) -> tuple[str, str]:
    """What an action means by its label (read in `lang`, its screen's language, first), and why: the phrase
    that decided; an action whose confirm() was answered Cancel keeps."""
    if action.declined:
        return "keep", "its confirm() was answered Cancel"
    intent, phrase = vocab.intent_why(action.label, lang)
    article = "an" if intent[0] in "aeiou" else "a"
    return intent, f"by its label: {phrase!r} is {article} {intent} phrase" if phrase else "by its label: no phrase"


def _returns(graph: FlowGraph, step: tuple[str, str, Action], depth: Mapping[str, int]) -> str:
    """How a click took the user back, the subscription still active ("" when it did not): it closed a
    dialog onto the screen the dialog was opened from, or on a last screen of the cancellation (one with a
    way to the goal) it went back to a screen nearer the start from which that screen is reached. A control
    the screen it led to shows as well (the site's own navigation) is no way back out of this screen."""
    u, v, action = step
    if action.kind != "click" or action.declined or v == u or v in graph.goals:
        return ""
    screen, back = graph.screen(u), graph.screen(v)
    element = action.element
    if screen.dialog and element is not None and element.in_dialog and not back.dialog and graph.g.has_edge(v, u):
        return "it closed the dialog, and the subscription stayed as it was"
    last = any(w in graph.goals for w in graph.g.successors(u))
    href = element.href if element else None
    chrome = any(e.key == action.key and e.href == href for e in back.elements)
    if last and not chrome and depth.get(v, INF) < depth.get(u, INF) and u in nx.descendants(graph.g, v):
        return f"it went back to {back.heading or back.title or v!r} from the last screen, and the subscription stayed"
    return ""


def _past_an_exit(graph: FlowGraph, intents: Mapping[EdgeId, str], depth: Mapping[str, int]) -> set[str]:
    """The screens that stand between a leaving user and the goal: those reached after an exit action, deeper
    than the screen it was taken on, by actions that do not keep (a keep goes back, the site's navigation
    leads nearer the start). Only these can be save offers; the start, where a spec may begin right at a
    save offer, is judged by its words as before."""
    out: set[str] = set()
    for (u, v, _), intent in intents.items():
        if intent != "exit":
            continue
        floor, todo = depth.get(u, INF), [v]
        while todo:
            s = todo.pop()
            if s in out or s in graph.goals or depth.get(s, -1) <= floor:
                continue
            out.add(s)
            todo += [w for _, w, k in graph.g.out_edges(s, keys=True) if intents[(s, w, k)] not in ("keep", "offer")]
    return out


def _keeps(graph: FlowGraph, vocab: Vocabulary, state: str) -> str | None:
    """The label of a control on `state` that offers to keep the user (a keep or offer phrase: "Stay",
    "Never mind", "Take the offer"), if any."""
    screen = graph.screen(state)
    return next(
        (e.label for e in screen.elements if e.usable and vocab.intent(e.label, screen.lang) in ("keep", "offer")), None
    )


def _to_goal(graph: FlowGraph) -> dict[str, int]:
    """Each screen's fewest actions to a goal screen (screens that cannot reach one are left out)."""
    if not graph.goals:
        return {}
    reverse = graph.g.reverse(copy=False)
    lengths: dict[str, int] = {}
    for goal in graph.goals:
        for state, n in nx.single_source_shortest_path_length(reverse, goal).items():
            lengths[state] = min(n, lengths.get(state, n))
    return lengths

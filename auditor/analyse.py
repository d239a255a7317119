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

from auditor.classify import Vocabulary, screen_kind_of
from auditor.graph import Action, FlowGraph, page_of

EdgeId = tuple[str, str, str]  # (source state, target state, action key)


@dataclass(frozen=True)
class Analysed:
    """A flow graph with the kind of each screen and the intent of each action, under one vocabulary."""

    graph: FlowGraph
    kinds: Mapping[str, str] = field(default_factory=dict)
    intents: Mapping[EdgeId, str] = field(default_factory=dict)

    def kind(self, state: str) -> str:
        return self.kinds.get(state, "info")

    def intent(self, source: str, target: str, key: str) -> str:
        return self.intents.get((source, target, key), "neutral")

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
    """Every action's intent and every screen's kind, from the vocabulary; `graph` is left as it is."""
    intents = {(u, v, key): _intent(data["action"], vocab) for u, v, key, data in graph.g.edges(keys=True, data=True)}
    kinds = {state: screen_kind_of(graph, vocab, state, is_start=state == graph.start) for state in graph.g.nodes}
    return Analysed(graph, kinds, intents)


def _intent(action: Action, vocab: Vocabulary) -> str:
    """What an action means: its label's intent; an action whose confirm() was answered Cancel keeps."""
    return "keep" if action.declined else vocab.intent(action.label)

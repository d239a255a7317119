"""FlowGraph: the screens a flow reached (nodes) and the user actions between them (edges).

Screens and actions are small frozen records of what was observed; what they *mean* (a screen's kind, an
action's intent) is analysis, kept in graph attributes and recomputed by `classify_graph` whenever the
vocabulary changes, so a saved graph.json can be re-checked against new packs with no browser.
Metrics are measured on the cheapest start->goal path, counted in user actions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import networkx as nx

from auditor.classify import Vocabulary, screen_kind

SCHEMA = "retention-auditor/graph/v1"


@dataclass(frozen=True)
class Screen:
    """One state as the user saw it. `elements`/`fields` are the probe's records (with visual features)."""

    id: str
    fingerprint: str
    url: str
    title: str = ""
    heading: str = ""
    text: str = ""
    dialog: dict[str, Any] | None = None
    veil: str | None = None
    elements: tuple[dict[str, Any], ...] = ()
    fields: tuple[dict[str, Any], ...] = ()
    screenshot: str | None = None
    depth: int = 0
    http_status: int | None = None
    variants: int = 1  # how many noisy variants of this page were folded into it (crawler traps)


@dataclass(frozen=True)
class Action:
    """One user action: what was done to which element, and what the browser saw happen."""

    key: str
    kind: str
    label: str
    role: str = ""
    selector: str = ""
    element: dict[str, Any] = field(default_factory=dict)  # the probe record: prominence features, rank
    inputs: tuple[str, ...] = ()  # labels of the fields filled before it (never their values)
    url: str = ""  # where it was taken
    requests: tuple[str, ...] = ()  # "METHOD url" of non-GET requests it caused
    charges: tuple[dict[str, Any], ...] = ()
    blocked: tuple[dict[str, Any], ...] = ()
    dialogs: tuple[dict[str, Any], ...] = ()  # JavaScript dialogs it raised, and how they were answered
    order: int = 0  # discovery order, for deterministic tie-breaks
    inferred: bool = False  # a plain link whose destination was known: recorded, not clicked again


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    values = {k: v for k, v in data.items() if k in names}
    for key in ("elements", "fields", "inputs", "requests", "charges", "blocked", "dialogs"):
        if key in values and isinstance(values[key], list):
            values[key] = tuple(values[key])
    return cls(**values)


class FlowGraph:
    """A MultiDiGraph of Screen nodes and Action edges with the flow's metadata."""

    def __init__(self, flow: dict[str, Any] | None = None) -> None:
        self.g: nx.MultiDiGraph = nx.MultiDiGraph()
        self.flow: dict[str, Any] = dict(flow or {})  # name, kind, spec file/line, start url
        self.start: str | None = None
        self.goals: set[str] = set()
        self.exploration: dict[str, Any] = {}

    # ---- building ----
    def add_screen(self, screen: Screen) -> None:
        if self.start is None:
            self.start = screen.id
        self.g.add_node(screen.id, screen=screen)

    def replace_screen(self, screen: Screen) -> None:
        self.g.nodes[screen.id]["screen"] = screen

    def add_action(self, source: str, target: str, action: Action) -> None:
        self.g.add_edge(source, target, key=action.key, action=action)

    def mark_goal(self, state: str) -> None:
        self.goals.add(state)

    # ---- reading ----
    def screen(self, state: str) -> Screen:
        return self.g.nodes[state]["screen"]

    def screens(self) -> Iterator[Screen]:
        return (data["screen"] for _, data in self.g.nodes(data=True))

    def actions(self) -> Iterator[tuple[str, str, Action]]:
        return ((u, v, data["action"]) for u, v, data in self.g.edges(data=True))

    def kind(self, state: str) -> str:
        return self.g.nodes[state].get("kind", "info")

    def intent(self, source: str, target: str, key: str) -> str:
        return self.g.edges[source, target, key].get("intent", "neutral")

    @property
    def goal_reached(self) -> bool:
        return bool(self.goals)

    # ---- analysis ----
    def cheapest_path(self) -> list[tuple[str, str, Action]]:
        """The fewest user actions from start to any goal; ties go to the earliest-found path."""
        if self.start is None or not self.goals:
            return []
        lengths, paths = nx.single_source_dijkstra(self.g, self.start, weight=lambda u, v, d: 1)
        reachable = [g for g in self.goals if g in lengths]
        if not reachable:
            return []
        goal = min(reachable, key=lambda g: (lengths[g], self.g.nodes[g]["screen"].id))
        nodes = paths[goal]
        steps = []
        for u, v in zip(nodes, nodes[1:], strict=False):
            action = min((d["action"] for d in self.g.get_edge_data(u, v).values()), key=lambda a: a.order)
            steps.append((u, v, action))
        return steps

    def metrics(self) -> dict[str, Any]:
        path = self.cheapest_path()
        urls = {self.screen(self.start).url.split("#")[0].split("?")[0]} if self.start else set()
        options = forced = 0
        for u, v, action in path:
            options += sum(1 for e in self.screen(u).elements if _usable(e))
            forced += len(action.inputs)
            urls.add(self.screen(v).url.split("#")[0].split("?")[0])
        on_path = [self.start] + [v for _, v, _ in path] if self.start else []
        detours = sum(1 for s in on_path if self.kind(s) == "offer")
        reached = bool(path) or (self.start in self.goals)
        return {
            "goal_reached": reached,
            "steps_to_goal": len(path) if reached else None,
            "pages_to_goal": (len(urls) - 1) if reached else None,
            "options_on_path": options if reached else None,
            "detours": detours if reached else None,
            "forced_inputs": forced if reached else None,
            "states": self.g.number_of_nodes(),
            "actions": self.g.number_of_edges(),
        }

    # ---- saving ----
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "flow": self.flow,
            "start": self.start,
            "goals": sorted(self.goals),
            "exploration": self.exploration,
            "states": [{**asdict(data["screen"]), "kind": data.get("kind")} for _, data in self.g.nodes(data=True)],
            "actions": [
                {"source": u, "target": v, **asdict(d["action"]), "intent": d.get("intent")}
                for u, v, d in self.g.edges(data=True)
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlowGraph:
        graph = cls(data.get("flow"))
        for state in data.get("states", []):
            graph.g.add_node(state["id"], screen=_from_dict(Screen, state))
            if state.get("kind"):
                graph.g.nodes[state["id"]]["kind"] = state["kind"]
        for edge in data.get("actions", []):
            action = _from_dict(Action, edge)
            graph.g.add_edge(edge["source"], edge["target"], key=action.key, action=action)
            if edge.get("intent"):
                graph.g.edges[edge["source"], edge["target"], action.key]["intent"] = edge["intent"]
        graph.start = data.get("start")
        graph.goals = set(data.get("goals", []))
        graph.exploration = dict(data.get("exploration", {}))
        return graph

    def scrubbed(self, secrets: list[str]) -> FlowGraph:
        """A copy with the given values masked in every recorded text (see redaction.py)."""
        from auditor.redaction import scrub

        return FlowGraph.from_dict(scrub(self.to_dict(), secrets)) if secrets else self

    def save(self, path: str | Path) -> None:
        from auditor.files import write_atomic

        write_atomic(Path(path), json.dumps(self.to_dict(), indent=1, ensure_ascii=False))

    @classmethod
    def load(cls, path: str | Path) -> FlowGraph:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def _usable(element: dict[str, Any]) -> bool:
    """An option the user really has on a screen: visible, enabled, not covered, not a field."""
    return bool(element.get("visible") and element.get("enabled") and not element.get("obscured_by"))


def classify_graph(graph: FlowGraph, vocab: Vocabulary) -> None:
    """(Re)compute every action's intent and every screen's kind from the vocabulary."""
    for *_, data in graph.g.edges(keys=True, data=True):
        data["intent"] = vocab.intent(data["action"].label)
    for state, data in graph.g.nodes(data=True):
        screen: Screen = data["screen"]
        usable = [e for e in screen.elements if _usable(e) and not e.get("avoided")]
        data["kind"] = screen_kind(
            vocab,
            text=screen.text,
            dialog_text=(screen.dialog or {}).get("text", ""),
            fields=screen.fields,
            intents=[vocab.intent(e.get("label", "")) for e in usable],
            checkable=sum(1 for e in usable if e.get("kind") == "check"),
            is_start=state == graph.start,
            is_goal=state in graph.goals,
            http_status=screen.http_status,
        )

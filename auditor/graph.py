"""FlowGraph: the screens a flow reached (nodes) and the user actions between them (edges).

Screens and actions are small frozen records of what was observed; what they *mean* (a screen's kind, an
action's intent) is analysis (analyse.py), computed from a pack's vocabulary and never stored here, so a saved
graph.json can be re-checked against new packs with no browser.
"""

from __future__ import annotations

import heapq
import json
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from auditor.records import Control, Field, known

if TYPE_CHECKING:
    from auditor.redaction import Redactor

SCHEMA = "retention-auditor/graph/v2"  # v2: an action a probe repeated says so in `repeat`
READABLE = ("retention-auditor/graph/v1", SCHEMA)  # v1's repeats are told by their key's "@+N min" suffix
MAX_GRAPH_BYTES = 256 * 1024 * 1024


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
    elements: tuple[Control, ...] = ()
    fields: tuple[Field, ...] = ()
    screenshot: str | None = None
    depth: int = 0
    http_status: int | None = None
    variants: int = 1  # how many noisy variants of this page were folded into it (crawler traps)
    lang: str = ""  # the language it is written in (language.page_language), "" when unknown

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["elements"] = [e.to_dict() for e in self.elements]
        data["fields"] = [f.to_dict() for f in self.fields]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Screen:
        values = known(cls, data)
        values["elements"] = tuple(Control.from_dict(e) for e in values.get("elements") or ())
        values["fields"] = tuple(Field.from_dict(f) for f in values.get("fields") or ())
        return cls(**values)


@dataclass(frozen=True)
class Repeat:
    """An action a probe made again later: the key of the control's first action, and how many minutes after
    the password (the re-auth window probe)."""

    of: str
    after_minutes: int


@dataclass(frozen=True)
class Action:
    """One user action: what was done to which element, and what the browser saw happen."""

    key: str
    kind: str
    label: str
    role: str = ""
    selector: str = ""
    element: Control | None = None  # the control as the probe saw it when the action was taken
    inputs: tuple[str, ...] = ()  # labels of the fields filled before it (never their values)
    url: str = ""  # where it was taken
    requests: tuple[str, ...] = ()  # "METHOD url" of non-GET requests it caused
    charges: tuple[dict[str, Any], ...] = ()
    blocked: tuple[dict[str, Any], ...] = ()
    dialogs: tuple[dict[str, Any], ...] = ()  # JavaScript dialogs it raised, and how they were answered
    interim: tuple[str, ...] = ()  # screens seen on the way to its result ("Processing…"): seen, not steps
    glimpses: tuple[dict[str, str], ...] = ()  # messages shown for a moment on the way (a toast): text, how, url
    declined: bool = False  # the confirm() it raised was answered Cancel (its other answer, OK, is an edge too)
    order: int = 0  # discovery order, for deterministic tie-breaks
    inferred: bool = False  # a plain link whose destination was known: recorded, not clicked again
    refused: bool = False  # a submit the page refused (an error, or nothing moved): seen, no step of a path
    repeat: Repeat | None = None

    @property
    def control(self) -> str:
        """The key of the control acted on (a repeat's own key only keeps the graph's edges apart)."""
        return self.repeat.of if self.repeat else self.key

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["element"] = self.element.to_dict() if self.element else None
        data["repeat"] = asdict(self.repeat) if self.repeat else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Action:
        values = known(cls, data)
        for key in ("inputs", "requests", "charges", "blocked", "dialogs", "interim", "glimpses"):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        element = values.get("element")
        values["element"] = Control.from_dict({"key": data.get("key", ""), **element}) if element else None
        values["repeat"] = _repeat(data)
        return cls(**values)


REFUSED_COST = 1000  # a refused submit on a path: more than any path of real steps


def _step_cost(source: str, target: str, edges: dict[str, dict[str, Any]]) -> int:
    """What going from `source` to `target` costs on a path (networkx passes a multigraph's parallel edges
    together): one action, or REFUSED_COST when every action between them was a refused submit."""
    return min(REFUSED_COST if data["action"].refused else 1 for data in edges.values())


def _repeat(action: dict[str, Any]) -> Repeat | None:
    if "repeat" in action:  # v2 writes it on every action
        given = action["repeat"]
        return Repeat(str(given.get("of", "")), int(given.get("after_minutes", 0))) if isinstance(given, dict) else None
    old = re.fullmatch(r"(.*)@\+(\d+)min", str(action.get("key", "")), re.S)  # a v1 graph's repeat
    return Repeat(old.group(1), int(old.group(2))) if old else None


class PathTree(Mapping[str, list[str]]):
    """The cheapest route from `source` to every state it reaches, as a mapping state -> the states of the route,
    kept in linear memory: a distance and a predecessor per state, a route built only when asked for (networkx's
    single_source_dijkstra keeps a whole path per state: quadratic on a long chain of screens).

    Without `weight` every action costs 1 (breadth first); with it, the step from `v` to `u` costs `weight(v, u)`.
    Ties keep the route found first, successors in the order their actions were found, as networkx does.
    With no source (a graph with no start) it is empty."""

    def __init__(self, g: nx.MultiDiGraph, source: str | None, weight: Callable[[str, str], int] | None = None) -> None:
        self.dist: dict[str, int] = {} if source is None else {source: 0}
        self.pred: dict[str, str | None] = {} if source is None else {source: None}
        if source is None:
            return
        if weight is None:
            queue = deque([source])
            while queue:
                v = queue.popleft()
                for u in g.succ[v]:
                    if u not in self.dist:
                        self.dist[u], self.pred[u] = self.dist[v] + 1, v
                        queue.append(u)
            return
        done: set[str] = set()
        heap, count = [(0, 0, source)], 1
        while heap:
            d, _, v = heapq.heappop(heap)
            if v in done:
                continue
            done.add(v)
            for u in g.succ[v]:
                cost = d + weight(v, u)
                if u not in done and (u not in self.dist or cost < self.dist[u]):
                    self.dist[u], self.pred[u] = cost, v
                    heapq.heappush(heap, (cost, count, u))
                    count += 1

    def __getitem__(self, state: str) -> list[str]:
        if state not in self.dist:
            raise KeyError(state)
        route: list[str] = []
        here: str | None = state
        while here is not None:
            route.append(here)
            here = self.pred[here]
        return route[::-1]

    def __contains__(self, state: object) -> bool:
        return state in self.dist

    def __iter__(self) -> Iterator[str]:
        return iter(self.dist)

    def __len__(self) -> int:
        return len(self.dist)


class GraphError(ValueError):
    """A saved graph that is not one: what is wrong, and the line of the JSON file it is on (None: unknown)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


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

    def first_action(self, source: str, target: str) -> Action:
        """Of the actions from `source` to `target`, the earliest found (the one every path counts), one the page
        did not refuse if there is one."""
        actions = (d["action"] for d in self.g.get_edge_data(source, target).values())
        return min(actions, key=lambda a: (a.refused, a.order))

    @property
    def goal_reached(self) -> bool:
        return bool(self.goals)

    # ---- analysis ----
    def cheapest_path(self) -> list[tuple[str, str, Action]]:
        """The fewest user actions from start to any goal; ties go to the earliest-found path. A submit the page
        refused is no step a user who fills the form right takes: a path goes through one only when no other
        way was seen (it then counts REFUSED_COST, so any way around it is cheaper)."""
        if self.start is None or not self.goals:
            return []
        tree = PathTree(self.g, self.start, weight=lambda v, u: _step_cost(v, u, self.g[v][u]))
        reachable = [g for g in self.goals if g in tree]
        if not reachable:
            return []
        goal = min(reachable, key=lambda g: (tree.dist[g], self.g.nodes[g]["screen"].id))
        nodes = tree[goal]
        return [(u, v, self.first_action(u, v)) for u, v in zip(nodes, nodes[1:], strict=False)]

    # ---- saving ----
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "flow": self.flow,
            "start": self.start,
            "goals": sorted(self.goals),
            "exploration": self.exploration,
            "states": [data["screen"].to_dict() for _, data in self.g.nodes(data=True)],
            "actions": [{"source": u, "target": v, **d["action"].to_dict()} for u, v, d in self.g.edges(data=True)],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlowGraph:
        graph = cls(data.get("flow"))
        for state in data.get("states", []):
            graph.g.add_node(state["id"], screen=Screen.from_dict(state))
        for edge in data.get("actions", []):
            action = Action.from_dict(edge)
            graph.g.add_edge(edge["source"], edge["target"], key=action.key, action=action)
        graph.start = data.get("start")
        graph.goals = set(data.get("goals", []))
        graph.exploration = dict(data.get("exploration", {}))
        return graph

    def scrubbed(self, redactor: Redactor) -> FlowGraph:
        """A copy with the redactor's secrets masked in every recorded text (see redaction.py)."""
        return FlowGraph.from_dict(redactor.data(self.to_dict())) if redactor else self

    def save(self, path: str | Path) -> None:
        from auditor.files import write_atomic

        write_atomic(Path(path), json.dumps(self.to_dict(), indent=1, ensure_ascii=False))

    @classmethod
    def load(cls, path: str | Path) -> FlowGraph:
        """A saved graph; a file that is not one raises ValueError (or OSError) saying what is wrong, so
        `auditor check` and `auditor rules test` can report it instead of failing inside a rule."""
        from auditor.files import read_capped

        raw = read_capped(path, MAX_GRAPH_BYTES)  # a regular file only: /dev/zero or a FIFO must not hang it
        text = raw.decode("utf-8")
        try:
            data = json.loads(text)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None
        problem = _not_a_graph(data)
        if problem:
            from auditor.json_where import line_of

            raise GraphError(problem, line_of(text, problem.partition(": ")[0]))
        return cls.from_dict(data)


_STR, _TEXT, _INT, _NUM = (str,), (str, type(None)), (int,), (int, float, type(None))
_ELEMENT = {
    **dict.fromkeys(("label", "key", "kind", "role", "tag", "selector"), _STR),
    **dict.fromkeys(("styled_as", "href", "obscured_by", "expanded"), _TEXT),
    **dict.fromkeys(("visible", "enabled", "avoided", "in_dialog"), (bool,)),
    **dict.fromkeys(("checked", "above_fold"), (bool, type(None))),
    **dict.fromkeys(("area", "contrast", "font_size", "font_weight"), _NUM),
    "bbox": (list, type(None)),
}
# What the report and the checks read from a saved graph, by record: field -> allowed types (extra keys pass).
_RECORDS: dict[str, dict[str, tuple[type, ...]]] = {
    "graph": {
        "flow": (dict,),
        "start": _TEXT,
        "exploration": (dict,),
        **dict.fromkeys(("goals", "states", "actions"), (list,)),
    },
    "flow": {"name": _STR, "kind": _STR, **dict.fromkeys(("start", "compare_with", "profile", "spec"), _TEXT)},
    "exploration": {"status": _STR, "error": _TEXT, "stop_reason": _TEXT, "seconds": _NUM},
    "state": {
        **dict.fromkeys(("id", "fingerprint", "url", "title", "heading", "text"), _STR),
        **dict.fromkeys(("veil", "screenshot", "kind"), _TEXT),
        "dialog": (dict, type(None)),
        "elements": (list,),
        "fields": (list,),
        "depth": _INT,
        "variants": _INT,
        "http_status": (int, type(None)),
    },
    "dialog": {"label": _TEXT, "text": _STR, "selector": _TEXT},
    "element": _ELEMENT,
    "field": {**dict.fromkeys(("label", "name", "id", "placeholder", "type", "selector"), _STR), "required": (bool,)},
    "action": {
        **dict.fromkeys(("source", "target", "key", "kind", "label", "role", "selector", "url"), _STR),
        **dict.fromkeys(("inputs", "requests", "charges", "blocked"), (list,)),
        "element": (dict, type(None)),
        "repeat": (dict, type(None)),
        "order": _INT,
        "inferred": (bool,),
        "refused": (bool,),
        "intent": _TEXT,
    },
    "charge": {"method": _STR, "url": _STR, "body": _TEXT},
}
_REQUIRED = {
    "graph": ("flow", "states", "actions"),
    "flow": ("name", "kind"),
    "state": ("id", "fingerprint", "url"),
    "action": ("source", "target", "key", "kind", "label"),
}


def _not_a_graph(data: Any) -> str | None:
    """Why `data` cannot be a saved FlowGraph (wrong types, or start/goals/actions naming no state), or None.
    Hand-written rather than a JSON Schema: jsonschema takes a second per few MB, and graphs are big."""
    if not isinstance(data, dict) or data.get("schema") not in READABLE:
        return f"not a retention-auditor graph (expected schema {SCHEMA!r})"
    problem = _record_problem("graph", data)
    if problem:
        return problem.lstrip(".: ")
    records: list[tuple[str, str, Any]] = [("flow", "flow", data["flow"])]
    records += [("exploration", "exploration", data["exploration"])] if "exploration" in data else []
    for i, state in enumerate(data["states"]):
        records.append(("state", f"states[{i}]", state))
        if isinstance(state.get("dialog") if isinstance(state, dict) else None, dict):
            records.append(("dialog", f"states[{i}].dialog", state["dialog"]))
        for part, kind in (("elements", "element"), ("fields", "field")):
            records += [(kind, f"states[{i}].{part}[{j}]", item) for j, item in _items(state, part)]
    for i, edge in enumerate(data["actions"]):
        records.append(("action", f"actions[{i}]", edge))
        if isinstance(edge, dict) and isinstance(edge.get("element"), dict):
            records.append(("element", f"actions[{i}].element", edge["element"]))
        records += [("charge", f"actions[{i}].charges[{j}]", charge) for j, charge in _items(edge, "charges")]
    for kind, where, record in records:
        problem = _record_problem(kind, record)
        if problem:
            return where + problem
    return _dangling(data)


def _items(record: Any, key: str) -> list[tuple[int, Any]]:
    value = record.get(key) if isinstance(record, dict) else None
    return list(enumerate(value)) if isinstance(value, list) else []


def _record_problem(kind: str, record: Any) -> str | None:
    if not isinstance(record, dict):
        return ": expected an object"
    for key in _REQUIRED.get(kind, ()):
        if key not in record:
            return f": {key!r} is missing"
    for key, types in _RECORDS[kind].items():
        value = record.get(key)
        if key in record and (not isinstance(value, types) or (isinstance(value, bool) and bool not in types)):
            return f".{key}: expected {' or '.join(t.__name__ for t in types)}, got {type(value).__name__}"
        if isinstance(value, int | float) and not abs(value) < 1e300:  # float() of a 400-digit int overflows
            return f".{key}: {str(value)[:20]}... is not a usable number"
    lists = {"goals": str, "inputs": str, "requests": str, "blocked": dict, "bbox": int | float}
    for key, item_type in lists.items():
        if isinstance(record.get(key), list) and not all(isinstance(item, item_type) for item in record[key]):
            return f".{key}: an item is not a {getattr(item_type, '__name__', 'number')}"
    return None


def _dangling(data: dict[str, Any]) -> str | None:
    states = {state["id"] for state in data["states"]}
    named = [("start", data.get("start"))] + [(f"goals[{i}]", goal) for i, goal in enumerate(data.get("goals", []))]
    for i, edge in enumerate(data["actions"]):
        named += [(f"actions[{i}].source", edge["source"]), (f"actions[{i}].target", edge["target"])]
    for where, state in named:
        if state is not None and state not in states:
            return f"{where}: no state {state[:80]!r} in states"
    return None


def page_of(url: str) -> str:
    """A URL without its query and fragment: the page, as `pages_to_goal` counts pages."""
    return url.split("#")[0].split("?")[0]

"""Graph helpers the checks share: routes from the start, least-weight paths, reachability without some
screens, what a control is and how to point at it, and for purchase flows which actions charged, which screens
stand guard in front of them and what amount a charge was for. Written once here so every check measures alike.

Paths count user actions, with the same tie-breaks as `FlowGraph.cheapest_path` (so the route to a screen of
the cheapest path is a prefix of it). Between two screens, the action taken is the earliest-found one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import networkx as nx

from auditor.analyse import Analysed
from auditor.classify import Vocabulary, asks_auth, screen_kind_of
from auditor.graph import Action, FlowGraph, PathTree, Screen, page_of
from auditor.records import Control
from auditor.rules.checks.base import CheckResult, Evidence

Step = tuple[str, str, Action]  # (source state, target state, action)

# stops before every route was seen; `other_channel`: a cancellation's funnel said to cancel by phone, chat,
# mail or in person, which is a verdict for `no_online_path` but leaves other routes unseen
EARLY_STOPS = ("max_states", "max_actions", "timeout", "error", "other_channel")


# ---- controls ----
def controls(screen: Screen, vocab: Vocabulary, *intents: str) -> list[Control]:
    """The usable controls of a screen, in page order; only those whose label has one of `intents` if given."""
    found = [e for e in screen.elements if e.usable]
    if intents:
        found = [e for e in found if vocab.intent(e.label, screen.lang) in intents]
    return found


def element_of(screen: Screen, key: str) -> Control | None:
    return next((e for e in screen.elements if e.key == key), None)


def features(graph: FlowGraph, step: Step) -> Control:
    """The control an action used, as the probe saw it when the action was taken (else as its screen shows it)."""
    u, _, action = step
    seen = action.element or element_of(graph.screen(u), action.key)
    return seen or Control(key=action.key, kind=action.kind, label=action.label, selector=action.selector)


def prominence(element: Control) -> float:
    """How strongly a control draws the eye: its area times its contrast (missing features count as 0)."""
    return float(element.area or 0) * float(element.contrast or 0)


def strongest(elements: Iterable[Control]) -> Control | None:
    """The most prominent control; ties go to the larger font, then to the earlier one in the page."""
    ranked = sorted(enumerate(elements), key=lambda ie: (-prominence(ie[1]), -float(ie[1].font_size or 0), ie[0]))
    return ranked[0][1] if ranked else None


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


# ---- screens ----
def screen_name(screen: Screen) -> str:
    """What a person would call a screen: its dialog's label, else its heading, title or URL."""
    return ((screen.dialog or {}).get("label") or screen.heading or screen.title or screen.url).strip()


def seen_text(screen: Screen) -> str:
    """All words on a screen: its open dialog's text first, then the page's visible text."""
    return " ".join(t for t in ((screen.dialog or {}).get("text", ""), screen.text) if t)


def excerpt(text: str, start: int = 0, end: int | None = None, width: int = 160) -> str:
    """About `width` characters of `text` centred on text[start:end], cut at word boundaries, with ellipses."""
    end = start if end is None else end
    if len(text) <= width:
        return text.strip()
    left = max(0, min(start - (width - (end - start)) // 2, len(text) - width))
    right = min(len(text), left + width)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    return ("…" if left > 0 else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def find_phrase(vocab: Vocabulary, category: str, screen: Screen) -> tuple[str, str] | None:
    """The first phrase of `category` on a screen, with an excerpt of the text around it."""
    text = seen_text(screen)
    phrase = vocab.find(category, text)
    if phrase is None:
        return None
    at = text.find(phrase)
    return phrase, excerpt(text, at, at + len(phrase))


def kind_of(flow: Analysed, vocab: Vocabulary, state: str) -> str:
    """A screen's kind; the start is judged like any other screen (a flow may start on an offer or a login)."""
    kind = flow.kind(state)
    return screen_kind_of(flow.graph, vocab, state, is_start=False) if kind == "start" else kind


def states_of_kind(flow: Analysed, vocab: Vocabulary, kind: str) -> set[str]:
    return {s for s in flow.graph.g.nodes if kind_of(flow, vocab, s) == kind}


# ---- exploration ----
def stopped_early(graph: FlowGraph) -> str | None:
    """Why exploration ended before it could see every route (budget, timeout, error), or None."""
    record = graph.exploration
    stop = record.get("stop_reason")
    if record.get("status") == "incomplete" or stop in EARLY_STOPS:
        detail = f" ({record['error']})" if record.get("error") else ""
        return f"exploration stopped at {stop or 'an unknown point'}{detail}"
    return None


def unless_stopped_early(
    graph: FlowGraph, verdict: CheckResult, claim: str, then: str = "", figures: Mapping[str, Any] | None = None
) -> CheckResult:
    """The tail of a check whose verdict rests on having seen every route: `verdict` as it is when exploration
    ran to its end; else `incomplete` with the verdict's figures (or `figures`) and the reason "<claim>, but
    <why exploration stopped>[, <then>]" (a pass may miss a route not seen; a failure, a shorter or cleaner one)."""
    early = stopped_early(graph)
    if early is None:
        return verdict
    reason = f"{claim}, but {early}" + (f", {then}" if then else "")
    return CheckResult.cannot_tell(reason, **(verdict.figures if figures is None else figures))


def exploration_note(graph: FlowGraph) -> str:
    return stopped_early(graph) or f"exploration ended: {graph.exploration.get('stop_reason') or 'unknown'}"


def unreached(graph: FlowGraph, what: str) -> CheckResult:
    """`incomplete`: the goal was not reached, so `what` cannot be measured."""
    return CheckResult.cannot_tell(
        f"the goal was not reached ({exploration_note(graph)}), so {what} cannot be measured",
        states=graph.g.number_of_nodes(),
        stop_reason=graph.exploration.get("stop_reason"),
    )


# ---- routes ----
def steps_of(graph: FlowGraph, nodes: Sequence[str]) -> list[Step]:
    return [(u, v, graph.first_action(u, v)) for u, v in zip(nodes, nodes[1:], strict=False)]


def labels(steps: Iterable[Step]) -> tuple[str, ...]:
    return tuple(action.label for _, _, action in steps)


def goal_route(graph: FlowGraph) -> list[Step] | None:
    """The cheapest start->goal path; [] when the start is a goal; None when no goal was reached."""
    if graph.start is None or not graph.goals:
        return None
    if graph.start in graph.goals:
        return []
    return graph.cheapest_path() or None


def route_states(graph: FlowGraph, route: Sequence[Step]) -> list[str]:
    """The screens of a route, from the start to its end."""
    assert graph.start is not None
    return [graph.start] + [v for _, v, _ in route]


def goal_of(graph: FlowGraph, route: Sequence[Step]) -> str:
    return route_states(graph, route)[-1]


class Routes:
    """The fewest-action route from the start to every reachable screen (one shortest-path tree)."""

    def __init__(self, graph: FlowGraph) -> None:
        self.graph = graph
        self.nodes = PathTree(graph.g, graph.start)
        self._rank = {state: i for i, state in enumerate(graph.g.nodes)}

    def steps(self, state: str) -> list[Step]:
        return steps_of(self.graph, self.nodes.get(state, []))

    def labels(self, state: str) -> tuple[str, ...]:
        return labels(self.steps(state))

    def distance(self, state: str) -> int | None:
        return self.nodes.dist.get(state)

    def nearest_first(self, states: Iterable[str]) -> list[str]:
        """Screens ordered by how few actions reach them (unreachable last), then by discovery."""
        far = len(self._rank) + 1
        return sorted(states, key=lambda s: (d if (d := self.distance(s)) is not None else far, self._rank[s]))

    def evidence(self, state: str, element: Control | None = None) -> Evidence:
        """Evidence at a screen (and an element on it), with the labels of the fewest actions that reach it."""
        return evidence(self.graph, state, self.labels(state), element)


def evidence(graph: FlowGraph, state: str, path: Iterable[str], element: Control | None = None) -> Evidence:
    """Evidence at a screen (and an element on it) reached by the actions labelled `path`."""
    screen = graph.screen(state)
    return Evidence(
        state=state,
        url=screen.url,
        screenshot=screen.screenshot,
        selector=(element.selector or None) if element else None,
        label=(element.label or None) if element else None,
        path=tuple(path),
        box=tuple(int(v) for v in element.bbox) if element and element.bbox else None,
    )


def prefix(route: Sequence[Step], state: str) -> list[Step]:
    """The steps of `route` that lead to `state`: those before the step leaving it (all, if it is the end)."""
    for i, (u, _, _) in enumerate(route):
        if u == state:
            return list(route[:i])
    return list(route)


def least_weight_route(graph: FlowGraph, weight: Callable[[str], int]) -> tuple[int, list[Step]] | None:
    """Over every start->goal path, the least total of `weight(screen)` over its screens (start included);
    ties go to the path with fewer actions. None when no goal is reachable."""
    if graph.start is None or not graph.goals:
        return None
    big = graph.g.number_of_nodes() + 1  # one weighted screen outweighs any number of actions
    tree = PathTree(graph.g, graph.start, weight=lambda _v, u: weight(u) * big + 1)
    reachable = [g for g in graph.goals if g in tree]
    if not reachable:
        return None
    goal = min(reachable, key=lambda g: (tree.dist[g], g))
    return tree.dist[goal] // big + weight(graph.start), steps_of(graph, tree[goal])


def goal_reachable_without(graph: FlowGraph, removed: Iterable[str]) -> bool:
    """Can a goal still be reached from the start once the `removed` screens are taken out?"""
    gone = set(removed)
    if graph.start is None or graph.start in gone:
        return False
    kept = graph.g.subgraph(n for n in graph.g.nodes if n not in gone)
    reachable = nx.descendants(kept, graph.start) | {graph.start}
    return bool(reachable & graph.goals)


def within(graph: FlowGraph, max_steps: int) -> Iterator[tuple[str, int]]:
    """Screens reachable in at most `max_steps` actions from the start, with their distance, nearest first."""
    if graph.start is None:
        return iter(())
    lengths = nx.single_source_shortest_path_length(graph.g, graph.start, cutoff=max_steps)
    rank = {state: i for i, state in enumerate(graph.g.nodes)}
    return iter(sorted(lengths.items(), key=lambda sd: (sd[1], rank[sd[0]])))


def nearest_phrase_control(
    graph: FlowGraph, states: Iterable[str], match: Callable[[str], str | None]
) -> tuple[str, Control, str] | None:
    """The first usable control, over `states` in the order given, whose label `match`es: (state, element,
    what matched), or None."""
    for state in states:
        for element in graph.screen(state).elements:
            if element.usable:
                found = match(element.label)
                if found:
                    return state, element, found
    return None


# ---- charges (purchase flows) ----
def charge_steps(graph: FlowGraph) -> list[Step]:
    """Every charge edge (an action during which the charge guard intercepted a request), in discovery order.
    A purchase that reached its goal while the guard saw no payment request (a static demo, a payment SDK in a
    frame the spec cannot name) was charged by what reached the goal: then the charge edges are the actions
    that led to a goal screen from one that is not."""
    steps = [(u, v, a) for u, v, a in graph.actions() if a.charges]
    if not steps:
        goals = graph.goals
        steps = [(u, v, a) for u, v, a in graph.actions() if v in goals and u not in goals and a.repeat is None]
    return sorted(steps, key=lambda step: step[2].order)


def asks_password(vocab: Vocabulary, screen: Screen) -> bool:
    """An auth screen: a password field or an `auth` phrase, judged on the screen itself (so a start or goal
    screen that asks for a password counts too)."""
    return asks_auth(vocab, seen_text(screen), screen.fields, [e.label for e in screen.elements if e.usable])


def is_child(graph: FlowGraph) -> bool:
    return graph.flow.get("profile") == "child"


def gate_states(graph: FlowGraph, vocab: Vocabulary, *, parental: bool | None = None) -> set[str]:
    """The screens that stand guard in front of a charge: auth screens and, for a child's profile (or when
    `parental` is true), parental challenges (a `parental` phrase: "ask a parent", "what is 7 x 8")."""
    parental = is_child(graph) if parental is None else parental
    gates = set()
    for state in graph.g.nodes:
        screen = graph.screen(state)
        if asks_password(vocab, screen) or (parental and vocab.matches("parental", seen_text(screen))):
            gates.add(state)
    return gates


def routes_avoiding(graph: FlowGraph, removed: Iterable[str], source: str | None = None) -> Mapping[str, list[str]]:
    """The fewest-action route (its screens) from `source` (the start by default) to every screen reachable
    without passing any of the `removed` screens; {} when the source itself is removed."""
    gone = set(removed)
    source = graph.start if source is None else source
    if source is None or source in gone:
        return {}
    return PathTree(graph.g.subgraph(n for n in graph.g.nodes if n not in gone), source)


def gated_elsewhere(graph: FlowGraph, step: Step, gates: set[str]) -> bool:
    """Whether the control of a charge edge also led from the same screen to a gate (another time): the
    charge went through only because a password had just been given (the re-auth window probe's repeats
    name the control they repeat)."""
    u, _, action = step
    base = action.control
    for _, target, data in graph.g.out_edges(u, data=True):
        other: Action = data["action"]
        if other is not action and target in gates and (other.control == base or other.label == action.label):
            return True
    return False


def ungated_charges(graph: FlowGraph, gates: set[str]) -> list[tuple[Step, list[str]]]:
    """The charge edges still reachable from the start once the `gates` are taken out (leaving out repeats
    of a control that asked for a password another time, see `gated_elsewhere`), each with the screens of the
    fewest-action gate-free route to the screen it was taken on; nearest first."""
    reach = routes_avoiding(graph, gates)
    found = [
        (step, reach[step[0]])
        for step in charge_steps(graph)
        if step[0] in reach and not gated_elsewhere(graph, step, gates)
    ]
    return sorted(found, key=lambda item: (len(item[1]), item[0][2].order))


def on_routes_to(graph: FlowGraph, targets: Iterable[str]) -> set[str]:
    """The screens on some way from the start to any of `targets` (both ends included)."""
    if graph.start is None:
        return set()
    ahead = nx.descendants(graph.g, graph.start) | {graph.start}
    behind: set[str] = set()
    for target in targets:
        if target in graph.g:
            behind |= nx.ancestors(graph.g, target) | {target}
    return ahead & behind


def before_goal(graph: FlowGraph) -> set[str]:
    """The screens met on some way from the start to a goal before any goal (while cancelling or enrolling, not
    after): with the goals' outgoing actions taken away, those the start reaches that reach a goal."""
    g = graph.g.copy()
    g.remove_edges_from(list(g.out_edges(graph.goals, keys=True)))
    ahead = nx.descendants(g, graph.start) | {graph.start} if graph.start is not None else set()
    return (ahead & set().union(*(nx.ancestors(g, goal) for goal in graph.goals))) - graph.goals


def shown_text(screen: Screen) -> str:
    """What a screen shows in words: its open dialog's and page's visible text, then the labels of its visible
    controls (the probe keeps visible text only: words in a closed <details> are not here)."""
    labels_shown = [e.label for e in screen.elements if e.visible and e.label]
    return " ".join([seen_text(screen), *labels_shown]).strip()


def phrase_spans(vocab: Vocabulary, category: str, text: str) -> list[tuple[int, int, str]]:
    """Every phrase of `category` in `text`, in order: (start, end, the words found)."""
    return [(start, end, text[start:end]) for start, end in vocab.spans(category, text)]


def nearest_phrase(vocab: Vocabulary, category: str, text: str, anchor: str, within: int | None = None) -> str | None:
    """The `category` phrase in `text` closest to where `anchor` (say, a button's label) stands in it; the
    first one when the anchor is not in the text. With `within`, only a phrase at most that many characters
    from the anchor counts."""
    spans = phrase_spans(vocab, category, text)
    where = text.casefold().find(anchor.casefold()) if anchor else -1
    if not spans or (where < 0 and within is not None):
        return None
    if where < 0:
        return spans[0][2]
    end = where + len(anchor)
    distance, found = min((max(where - s[1], s[0] - end, 0), s[2]) for s in spans)
    return found if within is None or distance <= within else None


# Request bodies: the field names are words (the vocabulary's `body_amount` and `body_currency`); what follows a
# name is format, not language, so it stays here: an optional quote, `:` or `=`, then a number with at most two
# decimals (not followed by more digits) or a three-letter currency code. A lone two-decimal number anywhere
# in the body is the last resort.
_BODY_NUMBER = re.compile(r"""["']?\s*[:=]\s*["']?(\d+(?:[.,]\d{1,2})?)(?!\d|[.,]\d)""")
_BODY_CODE = re.compile(r"""(?i)["']?\s*[:=]\s*["']?([a-z]{3})\b""")
_BODY_DECIMAL = re.compile(r"(?<![\w.,])\d+[.,]\d{2}(?!\d|[.,]\d)")


def _body_field(vocab: Vocabulary, category: str, value: re.Pattern[str], body: str) -> str | None:
    """The value after the first field named by a `category` phrase whose value has the form `value`."""
    for _, end in vocab.spans(category, body):
        found = value.match(body, end)
        if found:
            return found.group(1)
    return None


def charge_price(vocab: Vocabulary, graph: FlowGraph, step: Step, *, within: int) -> str | None:
    """The amount a charge edge was for, as written: a `price` phrase in an intercepted request's body excerpt,
    else the number of its amount field (a `body_amount` name: price, amount, total...) or a lone two-decimal
    number there (with its currency code when a `body_currency` field names one: "19.99 USD"), else a `price`
    phrase in the charging control's label, else one at most `within` characters from that label on the
    screen; None when none shows the amount (another price elsewhere on the page, an add-on's say, is not
    what this charge was for)."""
    u, _, action = step
    for charge in action.charges:
        body = str(charge.get("body") or "")
        found = vocab.find("price", body)
        if found:
            return found.strip()
        number = _body_field(vocab, "body_amount", _BODY_NUMBER, body)
        if number is None and (decimal := _BODY_DECIMAL.search(body)):
            number = decimal.group(0)
        if number is not None:
            currency = _body_field(vocab, "body_currency", _BODY_CODE, body)
            return f"{number} {currency.upper()}" if currency else number
    found = vocab.find("price", action.label)
    if found:
        return found.strip()
    return nearest_phrase(vocab, "price", shown_text(graph.screen(u)), action.label, within=within)


def first_seen(graph: FlowGraph, routes: Routes) -> dict[tuple[str, str], tuple[str, Control]]:
    """Every element of every page (URL without query and fragment) as first seen: keyed by (page, element
    key), the screen nearest the start that shows it (fewest actions, then discovery) and its probe record
    there, so a box the user ticked on the way is told from one that came ticked."""
    seen: dict[tuple[str, str], tuple[str, Control]] = {}
    for state in routes.nearest_first(graph.g.nodes):
        screen = graph.screen(state)
        for element in screen.elements:
            seen.setdefault((page_of(screen.url), element.key), (state, element))
    return seen

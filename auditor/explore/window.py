"""Probing a re-authentication window: after a charge that a password let through, does the next purchase
ask for the password again, and if not, for how long not?

The classic case: in 2013 one password opened a window of up to an hour for more in-app charges (Apple's
was 15 minutes, Google's 30). The probe takes the cheapest path to a charge that passed an auth screen,
replays it as a fresh user (the page clock is installed in every context), then repeats the action that first led to the
password (say "Buy Chest of Gems") at growing times after it, moving the page clock forward instead of
waiting. Each repeat either meets the auth screen again (the window is closed) or charges with no password
(still open). Repeats that charge are added to the graph as edges, so rules see the second purchase.

The probe drives the browser only through `ProbeDriver` (the explorer's session and recorder behind it) and
returns a typed `ReauthWindow` that the `reauth_window` check reads back.
"""

from __future__ import annotations

from typing import Any, Protocol

import networkx as nx

from auditor.artifacts import ReauthWindow
from auditor.classify import Vocabulary, asks_auth, screen_kind_of
from auditor.explore.act import Outcome
from auditor.explore.observe import Observation
from auditor.graph import Action, FlowGraph, PathTree

PROBE_MINUTES = (0, 1, 5, 10, 15, 20, 30, 45, 60)


class ProbeDriver(Protocol):
    """What the probe may do: start over with the page clock, act, read the guard's log, move time, record."""

    graph: FlowGraph
    vocab: Vocabulary

    async def start_with_clock(self) -> Observation: ...
    async def step(self, obs: Observation, key: str) -> Observation | None: ...
    async def act(self, obs: Observation, key: str) -> tuple[Outcome, Observation]: ...
    def guard_log(self) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]: ...
    async def fast_forward(self, minutes: float) -> None: ...
    def record_repeat(
        self,
        obs: Observation,
        requests: list[tuple[str, str]],
        charges: list[dict[str, Any]],
        source: str,
        trigger: Action,
        minutes: int,
    ) -> str: ...


def authenticated_charge(graph: FlowGraph, vocab: Vocabulary) -> tuple[list[tuple[str, str, Action]], int] | None:
    """The cheapest start->charge path that passes an auth screen, and the index of the step into it."""
    if graph.start is None:
        return None
    best: tuple[list[tuple[str, str, Action]], int] | None = None
    paths = PathTree(graph.g, graph.start)
    for u, v, action in graph.actions():
        if not action.charges or u not in paths:
            continue
        nodes = paths[u]
        auth = next(
            (i for i, n in enumerate(nodes) if screen_kind_of(graph, vocab, n, is_start=i == 0) == "auth"), None
        )
        if auth is None or auth == 0:
            continue
        steps = [(a, b, graph.first_action(a, b)) for a, b in zip(nodes, nodes[1:], strict=False)]
        steps.append((u, v, action))
        if best is None or len(steps) < len(best[0]):
            best = (steps, auth - 1)
    return best


async def probe_reauth_window(driver: ProbeDriver) -> ReauthWindow | None:
    """Run the probe; None when no charge was ever behind an auth screen."""
    graph = driver.graph
    found = authenticated_charge(graph, driver.vocab)
    if found is None:
        return None
    steps, trigger_at = found
    trigger_source, _, trigger = steps[trigger_at]
    result = ReauthWindow(trigger=trigger.label, charge=steps[-1][2].label, max_probe_minutes=PROBE_MINUTES[-1])
    obs: Observation | None = await driver.start_with_clock()
    for _, _, action in steps:  # up to and including the authenticated charge
        obs = await driver.step(obs, action.key) if obs else None
    if obs is None:
        result.probed, result.reason = False, "replaying the path to the first purchase failed"
        return result
    here, elapsed = steps[-1][1], 0
    for minutes in PROBE_MINUTES:
        await driver.fast_forward(minutes - elapsed)
        elapsed = minutes
        try:
            back = nx.shortest_path(graph.g, here, trigger_source)
        except nx.NetworkXNoPath:
            result.reason = f"no way back to {trigger.label!r} after the purchase"
            return result
        for a, b in zip(back, back[1:], strict=False):
            obs = await driver.step(obs, graph.first_action(a, b).key) if obs else None
        if obs is None:
            result.reason = f"the way back to {trigger.label!r} failed"
            return result
        driver.guard_log()
        outcome, obs = await driver.act(obs, trigger.key)
        charges, requests = driver.guard_log()
        if charges:  # no password asked: the window is still open
            result.open_after_minutes.append(minutes)
            here = driver.record_repeat(obs, requests, charges, trigger_source, trigger, minutes)
            continue
        if asks_auth(driver.vocab, f"{obs.dialog_words} {obs.text}", obs.fields, [e.label for e in obs.usable()]):
            result.closed_at_minutes = minutes
        else:
            result.reason = f"after {minutes} min the repeat neither charged nor asked for a password"
            result.error = outcome.error
        break
    return result

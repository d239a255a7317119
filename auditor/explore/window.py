"""Probing a re-authentication window: after a charge that a password let through, does the next purchase
ask for the password again, and if not, for how long not?

The classic case: in 2013 one password opened a window of up to an hour for more in-app charges (Apple's
was 15 minutes, Google's 30). The probe takes the cheapest path to a charge that passed an auth screen,
replays it in a fresh context whose page clock is installed, then repeats the action that first led to the
password (say "Buy Chest of Gems") at growing times after it, moving the page clock forward instead of
waiting. Each repeat either meets the auth screen again (the window is closed) or charges with no password
(still open). Repeats that charge are added to the graph as edges, so rules see the second purchase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from auditor.classify import Vocabulary, asks_auth, screen_kind_of
from auditor.graph import Action, FlowGraph

if TYPE_CHECKING:
    from auditor.explore.explorer import Explorer
    from auditor.explore.observe import Observation

PROBE_MINUTES = (0, 1, 5, 10, 15, 20, 30, 45, 60)


def authenticated_charge(graph: FlowGraph, vocab: Vocabulary) -> tuple[list[tuple[str, str, Action]], int] | None:
    """The cheapest start->charge path that passes an auth screen, and the index of the step into it."""
    if graph.start is None:
        return None
    best: tuple[list[tuple[str, str, Action]], int] | None = None
    paths = nx.single_source_shortest_path(graph.g, graph.start)
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


async def probe_reauth_window(ex: Explorer) -> dict[str, Any] | None:
    """Run the probe; None when no charge was ever behind an auth screen."""
    found = authenticated_charge(ex.graph, ex.vocab)
    if found is None:
        return None
    steps, trigger_at = found
    trigger_source, _, trigger = steps[trigger_at]
    result: dict[str, Any] = {
        "probed": True,
        "trigger": trigger.label,
        "charge": steps[-1][2].label,
        "open_after_minutes": [],
        "closed_at_minutes": None,
        "max_probe_minutes": PROBE_MINUTES[-1],
    }
    obs: Observation | None = await ex.fresh_start(clock=True)
    for _, _, action in steps:  # up to and including the authenticated charge
        obs = await ex.replay_step(obs, action.key) if obs else None
    if obs is None:
        return {**result, "probed": False, "reason": "replaying the path to the first purchase failed"}
    assert ex.page is not None and ex.guard is not None
    here, elapsed = steps[-1][1], 0
    for minutes in PROBE_MINUTES:
        await ex.page.clock.fast_forward((minutes - elapsed) * 60_000)
        elapsed = minutes
        try:
            back = nx.shortest_path(ex.graph.g, here, trigger_source)
        except nx.NetworkXNoPath:
            return {**result, "reason": f"no way back to {trigger.label!r} after the purchase"}
        for a, b in zip(back, back[1:], strict=False):
            obs = await ex.replay_step(obs, ex.graph.first_action(a, b).key) if obs else None
        if obs is None:
            return {**result, "reason": f"the way back to {trigger.label!r} failed"}
        ex.guard.drain()
        outcome, obs = await ex.act_on(obs, trigger.key)
        charges, _, requests = ex.guard.drain()
        if charges:  # no password asked: the window is still open
            result["open_after_minutes"].append(minutes)
            here = ex.record_repeat(obs, requests, charges, trigger_source, trigger, minutes)
            continue
        if asks_auth(ex.vocab, f"{obs.dialog_words} {obs.text}", obs.fields):
            result["closed_at_minutes"] = minutes
        else:
            result["reason"] = f"after {minutes} min the repeat neither charged nor asked for a password"
            result["error"] = outcome.error
        break
    return result

"""What a best-first search can say it covered: the chrome's own budget while it looks, and the bound a verdict
states once the goal is found.

Real products carry 30-60 header, navigation and footer links on every page. The screens that goal-unrelated
chrome links lead to are counted apart (`ChromeBudget`): the first CHROME_BUDGET of them do not count toward
`max_states`, so the site's chrome cannot spend the flow's budget. Once the goal is found, the frontier only
offers what could make a shorter way (every goal-related control on a screen nearer the start than the goal);
`search_bound` says how far that search went, so a path rule's pass or fail states its bound.
"""

from __future__ import annotations

from typing import Any

from auditor.explore.frontier import Frontier, Item
from auditor.explore.recorder import Recorder
from auditor.graph import page_of
from auditor.spec import PURCHASE_KINDS, FlowSpec

CHROME_BUDGET = 8  # screens reached by goal-unrelated chrome links that max_states does not count
CUT_BY = {"max_states": "explore.max_states", "max_actions": "explore.max_actions", "timeout": "timeouts.flow"}


class ChromeBudget:
    """How many new screens goal-unrelated chrome links led to, and so how many screens `max_states` counts."""

    def __init__(self) -> None:
        self.screens = 0

    def took(self, item: Item, new_screen: bool) -> None:
        if item.chrome and not item.related and new_screen:
            self.screens += 1

    def counted(self, states: int) -> int:
        """Of `states` screens found, those `max_states` counts: all but the chrome's own budget."""
        return states - min(self.screens, CHROME_BUDGET)


def searches_shorter(spec: FlowSpec) -> bool:
    """Whether a found goal starts the search for a shorter way: not for an exhaustive flow (it explores every
    way) nor a purchase (it goes on toward every charge)."""
    return not spec.explore.exhaustive and spec.kind not in PURCHASE_KINDS


def search_cut_short(stop: str, spec: FlowSpec) -> str | None:
    """Why the search for a shorter way, begun once the goal was found, did not run to its end (a budget or
    the flow timeout stopped it), as the flow's error; None when it did, or there was none."""
    if not searches_shorter(spec) or stop not in CUT_BY:
        return None
    return f"the goal was found, but the search for a shorter way stopped at {stop}; raise {CUT_BY[stop]} to let it end"


def search_bound(
    spec: FlowSpec, recorder: Recorder, frontier: Frontier, chrome: ChromeBudget, stop: str
) -> dict[str, Any] | None:
    """What the search for a shorter way covered once the goal was found `best` actions deep (the
    recorder's `best_goal`): every goal-related control (a word of the flow, a link to the goal URL or to a
    page on the way found) on every screen found at most `best` - 2 actions from the start, so any shorter
    way would start there; `complete`
    when that search ran to its end (`stop` "goal_reached"; else a budget or the timeout cut it). None when
    no goal was found or the flow searches no shorter way (`searches_shorter`)."""
    best = recorder.best_goal
    if best is None or not searches_shorter(spec):
        return None
    within = max(best - 2, 0)
    records = recorder.states.records.values()
    screens = sum(1 for r in records if len(r.via) <= within and not r.goal)
    left = len(frontier.chrome_left - {page_of(r.url) for r in records})  # never reached by any way
    complete = stop == "goal_reached"
    text = (
        f"every goal-related control on {_count(screens, 'screen')} within {_count(within, 'step')} of the "
        f"start; {_count(left, 'chrome link')} and {_count(frontier.others_left, 'other control')} not followed"
    )
    return {
        "complete": complete,
        "steps": best,
        "within_steps": within,
        "screens": screens,
        "chrome_links_not_followed": left,
        "other_controls_not_followed": frontier.others_left,
        "chrome_screens": chrome.screens,
        "text": text if complete else f"{text}, cut short ({stop})",
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"

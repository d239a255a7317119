"""Whether the audit saw a flow through: the one place that decides when a finished exploration still leaves
the flow `incomplete` (exit 3, SARIF `executionSuccessful: false`, a JUnit error, "audit incomplete").

An exploration can end "complete" (its frontier exhausted) and still prove nothing: the site dropped the
session on the way, a new window took the place of the tab that held the next step, a purchase never reached
a charge, or every rule that applies could only say `incomplete`. Passing such a flow would report green on a
flow the auditor did not see (DESIGN.md, exit codes). A cancellation whose goal was never found is judged by
`cancel.no-online-path` instead (a failing finding), unless no rule failed at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

GOAL_KINDS = {"signup": "the sign-up's goal", "purchase": "a charge", "in_app_purchase": "a charge"}


def not_seen_through(entry: Mapping[str, Any]) -> str | None:
    """Why a flow whose exploration finished was still not seen through, in plain words; None when it was.
    `entry` is the flow's report entry (kind, goal_reached, exploration, rules)."""
    exploration = entry.get("exploration") or {}
    lost = exploration.get("lost_sessions") or []
    if lost:
        first = lost[0]
        return (
            f"the session was lost after {first['after']!r}: the site dropped the cookies "
            f"{', '.join(first['cookies'])} and showed a login screen at {first['url']} ({first['login']}); "
            "what followed was a signed-out user's view"
        )
    replaced = exploration.get("replaced_tabs") or []
    if replaced:
        first = replaced[0]
        return (
            f"a new window ({first['url']}) replaced the tab at {first['replaced']} ({first['why']}); "
            "the flow's own next step may have been in the tab that was closed"
        )
    outcomes = [o for o in (entry.get("rules") or {}).values() if isinstance(o, Mapping)]
    applicable = [o for o in outcomes if o.get("outcome") != "inapplicable"]
    failed = any(o.get("outcome") == "fail" for o in applicable)
    if not entry.get("goal_reached"):
        kind = str(entry.get("kind"))
        if kind in GOAL_KINDS:
            return f"{GOAL_KINDS[kind]} was never reached, so the flow was not seen through; check the spec's goal"
        if not failed:
            return "the goal was never reached and no rule could judge why; check the spec's goal"
    if applicable and all(o.get("outcome") == "incomplete" for o in applicable):
        reason = next((o.get("reason") for o in applicable if o.get("reason")), None)
        return "every rule that applies answered incomplete" + (f" ({reason})" if reason else "")
    return None

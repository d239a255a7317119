"""Whether the audit saw a flow through, once its rules were judged: when a complete exploration still leaves
the flow `incomplete` (exit 3, SARIF `executionSuccessful: false`, a JUnit error, "audit incomplete").

What the explorer itself knows cuts an exploration short there (explorer.cut_short: a budget or timeout
before the goal, a lost session, a replaced tab). An exploration that ended by itself can still prove
nothing: a purchase that never reached a charge, a sign-up that never reached its goal, a flow whose every
applicable rule could only say `incomplete`. Passing such a flow would report green on a flow the auditor
did not see (DESIGN.md, exit codes). A cancellation whose goal was never found is judged by
`cancel.no-online-path` instead (a failing finding), unless no rule failed at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

GOAL_KINDS = {"signup": "the sign-up's goal", "purchase": "a charge", "in_app_purchase": "a charge"}


def not_seen_through(entry: Mapping[str, Any]) -> str | None:
    """Why a flow whose exploration finished was still not seen through, in plain words; None when it was.
    `entry` is the flow's report entry (kind, goal_reached, exploration, rules)."""
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

"""Flows whose exploration finished but which the audit did not see through are `incomplete`, never a pass
(report/seen_through.py): no browser, report entries and saved graphs only."""

from __future__ import annotations

import time
from pathlib import Path

from auditor.assess import report_from_graphs
from auditor.graph import FlowGraph
from auditor.report.seen_through import not_seen_through
from auditor.report.terminal import exit_code
from auditor.rules.pack import load_rules

FIXTURES = Path(__file__).parent.parent / "auditor" / "rules" / "packs" / "fixtures"
LOST = {"url": "http://x/login", "after": "Cancel", "cookies": ["sid"], "login": "it asks for a password"}
REPLACED = {
    "url": "http://x/ad",
    "replaced": "http://x/done",
    "was": "http://x/confirm",
    "why": "3 windows opened at once",
}


def _entry(kind: str = "cancellation", reached: bool = True, exploration=None, **outcomes: str) -> dict:
    rules = {rule: {"outcome": outcome} for rule, outcome in outcomes.items()}
    return {"kind": kind, "goal_reached": reached, "exploration": exploration or {}, "rules": rules}


def test_a_lost_session_or_a_replaced_tab_is_never_seen_through_even_at_the_goal():
    assert "the session was lost after 'Cancel'" in not_seen_through(_entry(exploration={"lost_sessions": [LOST]}))
    said = not_seen_through(_entry(exploration={"replaced_tabs": [REPLACED]}))
    assert "a new window (http://x/ad) replaced the tab at http://x/done (3 windows opened at once)" in said


def test_a_purchase_or_signup_that_never_reached_its_goal_is_not_seen_through():
    assert "a charge was never reached" in not_seen_through(_entry("purchase", False, a="fail", b="pass"))
    assert "a charge was never reached" in not_seen_through(_entry("in_app_purchase", False))
    assert "the sign-up's goal was never reached" in not_seen_through(_entry("signup", False, a="pass"))


def test_a_cancellation_without_its_goal_is_judged_by_a_failing_rule_else_not_seen_through():
    assert not_seen_through(_entry(reached=False, a="fail", b="incomplete")) is None
    assert "no rule could judge why" in not_seen_through(_entry(reached=False, a="incomplete", b="inapplicable"))


def test_a_flow_whose_rules_all_answered_incomplete_is_not_seen_through():
    entry = _entry(a="incomplete", b="inapplicable")
    entry["rules"]["a"]["reason"] = "could not tell"
    assert not_seen_through(entry) == "every rule that applies answered incomplete (could not tell)"
    assert not_seen_through(_entry(a="incomplete", b="pass")) is None
    assert not_seen_through(_entry()) is None  # no rule applies: nothing was left unjudged


def _report(graph: FlowGraph) -> dict:
    now = time.time()
    return report_from_graphs({"fair-cancel": graph}, {}, load_rules(), browser={}, started=now, finished=now)


def test_the_report_says_incomplete_and_the_exit_code_is_3():
    graph = FlowGraph.load(FIXTURES / "fair-cancel.graph.json")
    clean = _report(graph)
    assert clean["status"] == "complete" and exit_code(clean, "warning") == 0
    graph.exploration = {**graph.exploration, "lost_sessions": [LOST]}
    report = _report(graph)
    flow = report["flows"][0]
    assert (report["status"], flow["status"]) == ("incomplete", "incomplete")
    assert flow["error"].startswith("the session was lost") and flow["exploration"]["status"] == "complete"
    assert exit_code(report, "warning") == 3

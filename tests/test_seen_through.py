"""Flows the audit did not see through are `incomplete`, never a pass: what the explorer met on the way
(explorer.cut_short) and what the rules could not judge (report/seen_through.py). No browser."""

from __future__ import annotations

import time
from pathlib import Path

from auditor.assess import report_from_graphs
from auditor.explore.events import Journal
from auditor.explore.explorer import cut_short
from auditor.graph import FlowGraph
from auditor.report.seen_through import not_seen_through
from auditor.report.terminal import exit_code
from auditor.rules.pack import load_rules
from tests.hostile.test_sites import flow

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


def test_a_lost_session_or_a_replaced_tab_cuts_the_exploration_short_even_at_the_goal():
    spec = flow("t", "http://x/")
    assert cut_short(spec, Journal(), "frontier_exhausted", False, goal_reached=True) is None
    lost = Journal()
    lost.lost_session(LOST)
    said = cut_short(spec, lost, "goal_reached", False, goal_reached=True)
    assert said.startswith("the session was lost after 'Cancel': the site dropped the cookies sid")
    replaced = Journal()
    replaced.replaced_tab(REPLACED)
    said = cut_short(spec, replaced, "frontier_exhausted", False, goal_reached=True)
    assert "a new window (http://x/ad) replaced the tab at http://x/done (3 windows opened at once)" in said
    assert replaced.record()["replaced_tabs"] == [REPLACED] and lost.record()["lost_sessions"] == [LOST]


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
    graph.exploration = {**graph.exploration, "stop_reason": "frontier_exhausted"}
    graph.goals.clear()
    report = _report(graph)
    flow = report["flows"][0]
    assert flow["goal_reached"] is False and flow["rules"]["cancel.no-online-path"]["outcome"] == "fail"
    assert report["status"] == "complete" and exit_code(report, "error") == 1  # a verdict, not a doubt
    graph.flow = {**graph.flow, "kind": "signup"}
    report = _report(graph)
    flow = report["flows"][0]
    assert (report["status"], flow["status"]) == ("incomplete", "incomplete")
    assert (
        flow["error"].startswith("the sign-up's goal was never reached") and flow["exploration"]["status"] == "complete"
    )
    assert exit_code(report, "warning") == 3

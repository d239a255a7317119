"""Verdicts with a stated bound (issue 24): once the goal is found, the path checks pass or fail and say what
the search for a shorter way covered (the explorer's `exploration.bound`, the figure `searched`); they are
`incomplete` only when that search itself was cut short."""

from __future__ import annotations

from auditor.explore.bound import search_cut_short
from auditor.graph import FlowGraph
from tests.explore_unit.fixtures import spec
from tests.test_checks import fair, iliad, run, signup

SEARCHED = "every goal-related control on 3 screens within 3 steps of the start; 41 chrome links and 7 other controls"


def bounded(g: FlowGraph, stop: str = "goal_reached") -> FlowGraph:
    complete = stop == "goal_reached"
    text = f"{SEARCHED} not followed" + ("" if complete else f", cut short ({stop})")
    g.exploration = {"status": "complete", "stop_reason": stop, "bound": {"complete": complete, "text": text}}
    return g


def test_a_pass_and_a_fail_state_the_bound_of_the_search_behind_them() -> None:
    failed = run("steps", bounded(iliad()), max_steps=4)
    assert failed.outcome == "fail"
    assert failed.figures["searched"] == failed.violations[0].figures["searched"] == f"{SEARCHED} not followed"
    assert failed.figures["steps"] == 5  # the measured figures are as before
    passed = run("steps", bounded(fair()))
    assert passed.outcome == "pass" and passed.figures["searched"] == f"{SEARCHED} not followed"
    detours = run("detours", bounded(iliad()))
    assert detours.outcome == "fail" and "searched" in detours.violations[0].figures
    harder = run("harder_than_partner", bounded(iliad(compare_with="t-signup")), signup())
    assert harder.outcome == "fail" and harder.figures["searched"] == f"{SEARCHED} not followed"


def test_a_search_cut_short_is_incomplete_and_says_how_far_it_got() -> None:
    result = run("steps", bounded(iliad(), stop="max_states"), max_steps=4)
    assert result.outcome == "incomplete" and "a shorter one may exist" in result.reason
    assert result.figures["searched"].endswith("not followed, cut short (max_states)")


def test_no_bound_no_figure() -> None:
    assert "searched" not in run("steps", iliad(), max_steps=4).figures  # a graph from before bounds existed


def test_a_search_cut_short_makes_the_flow_incomplete_unless_it_searched_every_way() -> None:
    cancel = spec("cancellation")
    assert search_cut_short("goal_reached", cancel) is None
    assert "stopped at max_states; raise explore.max_states" in (search_cut_short("max_states", cancel) or "")
    assert "raise timeouts.flow" in (search_cut_short("timeout", cancel) or "")
    assert search_cut_short("max_states", spec("purchase", "cartly")) is None  # a purchase goes on toward every charge

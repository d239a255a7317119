"""e2e on sparring sites of state a user carries: a goal that showed only because of an earlier step in the
same browser (stored data) is walked again as a new user before it is reported (explore/fresh.py); a
confirmation that goes away by itself after two seconds still counts as one (cancel.no-confirmation); a
bordered exit with no fill beside a filled keep button is styled lighter (cancel.exit-less-prominent)."""

from __future__ import annotations

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def test_a_goal_owed_to_stored_data_is_reported_on_a_way_a_new_user_walks(sites_server, tmp_path):
    """The account link shows "Your reading plan is active" in one click to a browser that started the plan
    before (localStorage). The explorer starts the plan first, goes back and follows the account link: that
    one-click goal is not a new user's, so the reported way is the two steps a new user needs."""
    result = run(load_specs([SITES / "stored" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["status"] == "complete" and flow["goal_reached"]
    labels = [s["label"] for s in flow["path"]]
    assert labels[0] == "Subscribe to the reading plan" and labels[-1] == "My account", labels
    assert flow["metrics"]["steps_to_goal"] == 2
    notes = flow["exploration"]["notes"]
    assert any("reached the goal only after an earlier step" in n for n in notes), notes
    # the one-click edge is recorded as what a new user gets: the account page without a plan
    start = flow["states"][0]["id"]
    one_click = [p for p in flow["states"] if p["depth"] == 1 and p["heading"] == "My account"]
    assert one_click and one_click[0]["kind"] != "goal" and start == "s0"


@pytest.mark.parametrize("store", ["flow.yaml", "idb.yaml"])
def test_a_goal_owed_to_any_store_is_walked_again_as_a_new_user(sites_server, tmp_path, store):
    """The plan kept in local storage or in IndexedDB (which the probe does not read): either way the
    one-click goal is walked again as a new user, and the reported way is the two steps a new user needs."""
    result = run(load_specs([SITES / "stored" / store]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"] and flow["metrics"]["steps_to_goal"] == 2, flow["path"]
    assert any("reached the goal only after an earlier step" in n for n in flow["exploration"]["notes"])


def test_a_link_learnt_before_the_funnel_is_followed_again_inside_it(sites_server, tmp_path):
    """Started on the account page ("no plan yet"), the account link's destination is known before the plan
    is started; after "Subscribe" it is clicked again, not inferred to the page without a plan."""
    result = run(load_specs([SITES / "stored" / "from-account.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["status"] == "complete" and flow["goal_reached"]
    assert [s["label"] for s in flow["path"]] == ["Plans", "Subscribe to the reading plan", "My account"]
    last = flow["path"][-1]
    assert flow["states"][-1]["kind"] == "goal" and last["to"] == flow["states"][-1]["id"]


def test_a_confirmation_shown_for_two_seconds_is_a_confirmation(sites_server, tmp_path):
    result = run(load_specs([SITES / "fleeting" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"] and flow["metrics"]["steps_to_goal"] == 2
    assert "you have been unsubscribed" not in flow["states"][-1].get("heading", "").lower()
    confirmation = flow["rules"]["cancel.no-confirmation"]
    assert confirmation["outcome"] == "pass", confirmation
    assert confirmation["figures"]["source"] == "interim"
    # the dialog's exit is a "ghost" button (a border, no fill, grey text) beside a filled "Keep it"
    prominence = [f for f in result.report["findings"] if f["rule"] == "cancel.exit-less-prominent"]
    assert prominence and prominence[0]["figures"]["exit_styled_as"] == "outline", prominence
    assert prominence[0]["figures"]["keep_styled_as"] == "button"
    assert "styled_as" in prominence[0]["figures"]["weaker_on"]

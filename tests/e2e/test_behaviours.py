"""e2e on the behaviour sites in tests/sites/: hash routing, a scripted div that navigates late, an
aria-modal offer over a scrim, a required select and a checkbox that unlock the exit, an off-site link."""

from __future__ import annotations

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def test_quill_cancel(sites_server, tmp_path):
    result = run(load_specs([SITES / "behaviours" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["status"] == "complete" and flow["goal_reached"]
    steps = [(s["action"], s["label"]) for s in flow["path"]]
    assert steps[:3] == [("click", "Billing"), ("click", "Subscription options"), ("click", "No, cancel my plan")]
    assert sorted(steps[3:5]) == [("check", "I understand my notes stop syncing"), ("select", "Reason: Too pricey")]
    assert steps[5] == ("click", "Confirm cancellation")
    assert flow["metrics"]["steps_to_goal"] == 6
    assert flow["exploration"]["skipped"].get("out of scope", 0) >= 1


def test_script_pagination_trap_is_bounded(sites_server, tmp_path):
    """'Show more' and a scripted 'Next page' with random content on every load: the page template folds
    into a few states and the verdict comes from an exhausted frontier, not from the budget."""
    result = run(load_specs([SITES / "trap" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    exploration = flow["exploration"]
    assert flow["status"] == "complete" and flow["goal_reached"] is False
    assert exploration["stop_reason"] == "frontier_exhausted"
    assert exploration["unexplored"] == 0
    assert exploration["states"] <= 8
    assert sum(s["variants"] for s in flow["states"]) > exploration["states"]  # variants were folded

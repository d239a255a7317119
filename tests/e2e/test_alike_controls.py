"""e2e on a sparring shop with a grid of twelve alike "Add to bag" buttons that act in place: once two of
them gave the same outcome, the rest are not clicked on that screen (explorer.same_outcome_again), and the
purchase is still found the way a customer makes it; past the order, a click taken on another screen is not
taken again (explorer.tried_elsewhere)."""

from __future__ import annotations

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def test_a_grid_of_alike_buttons_is_tried_twice_per_screen(sites_server, tmp_path):
    result = run(load_specs([SITES / "teagrid" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    exploration = flow["exploration"]
    assert flow["status"] == "complete" and flow["goal_reached"]
    assert [s["label"] for s in flow["path"]] == ["Add to bag", "View bag (1)", "Place order"]
    assert exploration["skipped"]["same outcome again"] >= 20  # twelve per screen, two of them tried
    assert exploration["actions"] <= 25
    # past the order (the charge), a click already taken on another screen is not taken again
    assert exploration["skipped"]["tried elsewhere"] >= 1

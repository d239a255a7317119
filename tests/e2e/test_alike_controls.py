"""e2e on a sparring shop with a grid of twelve alike "Add to bag" buttons that act in place: once two of
them gave the same outcome, the rest are not clicked on that screen (explorer.same_outcome_again), and the
purchase is still found the way a customer makes it; past the order, a link off the way to a charge is not
followed (needless.off_the_way)."""

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
    # each basket size (none, one, two, many: amounts are part of a screen's state) is a screen of its own with
    # its own grid, so the grid is tried twice on each: 26 'Add to bag' clicks and 44 actions in all, not the
    # 130 more it skipped, and never a screen per bag count beyond the four buckets
    assert exploration["actions"] <= 50 and exploration["states"] <= 16
    # past the order (the charge), the header's Help link leads off the way to a charge: not clicked. (The
    # grid's and the bag's buttons are buy words, which are never skipped as tried elsewhere; that rule's own
    # cases are in tests/explore_unit/test_catalogue.py.)
    assert exploration["skipped"]["off the way"] >= 1

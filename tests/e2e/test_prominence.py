"""e2e on a one-page cancellation funnel: "Before you go" shows two big filled offer buttons, whose words no pack
knows ("Take 3 months at half price"), and the exit on the same screen. As a small grey link under the list of
what the user loses, below the fold, the exit is weaker on every cue a person sees (size, weight, fill,
contrast, position) and `cancel.exit-less-prominent` fires; as a third button like the offers, it does not."""

from __future__ import annotations

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def test_a_small_grey_link_below_big_filled_offers_is_less_prominent(sites_server, tmp_path):
    result = run(load_specs([SITES / "onepage" / "weak.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"] and [s["label"] for s in flow["path"]] == ["Cancel my subscription"]
    rule = flow["rules"]["cancel.exit-less-prominent"]
    assert rule["outcome"] == "fail", rule
    figures = rule["figures"]
    assert figures["keep_label"] in ("Take 3 months at half price", "Try the Lite plan for free")
    weaker = set(figures["weaker_on"])
    assert {"font_size", "area", "font_weight", "styled_as", "contrast", "above_fold"} <= weaker, figures
    assert figures["score"] >= 7 and "styled as a link vs a button" in figures["comparison"]


def test_an_exit_styled_like_the_offers_is_not(sites_server, tmp_path):
    result = run(load_specs([SITES / "onepage" / "equal.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"]
    rule = flow["rules"]["cancel.exit-less-prominent"]
    assert rule["outcome"] == "pass" and rule["figures"]["screens"] == 1, rule  # compared, and found equal

"""e2e on a sparring site whose cancellation is confirmed only by a toast that fades out over two seconds and is
removed: the settled look after the click no longer shows it, yet the user read it (explore/glimpses.py). With
the toast (a role=status one, a box pinned to the corner with no role, or the next page's flash message pinned
to its top on arrival) there is no `cancel.no-confirmation`; with no toast at all, the finding fires."""

from __future__ import annotations

import json

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e

TOASTED = SITES / "toasted"


@pytest.mark.parametrize(
    ("spec", "shown_as"), [("flow.yaml", "status"), ("plain.yaml", "toast"), ("flash.yaml", "toast")]
)
def test_a_toast_gone_before_the_look_confirms_the_cancellation(sites_server, tmp_path, spec, shown_as):
    result = run(load_specs([TOASTED / spec]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"], flow["exploration"]
    graph = json.loads((tmp_path / "flows" / flow["name"] / "graph.json").read_text())
    assert "cancelled" not in graph["states"][-1]["text"].lower()  # the screen that stayed does not say it
    last = next(a for a in graph["actions"] if a["label"] == "Yes, cancel membership")
    assert [g["how"] for g in last["glimpses"]] == [shown_as]  # recorded on the action that showed it
    confirmation = flow["rules"]["cancel.no-confirmation"]
    assert confirmation["outcome"] == "pass", confirmation
    assert confirmation["figures"]["source"] == "shown for a moment"
    assert confirmation["figures"]["shown_as"] == shown_as
    assert "has been cancelled" in confirmation["figures"]["excerpt"]


def test_no_toast_no_confirmation(sites_server, tmp_path):
    result = run(load_specs([TOASTED / "none.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"], flow["exploration"]
    assert flow["rules"]["cancel.no-confirmation"]["outcome"] == "fail"
    assert any(f["rule"] == "cancel.no-confirmation" for f in result.report["findings"])

"""e2e on a sparring site that changes between visits: its cancel survey's reasons (radio buttons) and its
one-tap answers (a "Choose" button per row) come in a new order on every load, and every step fades and slides
in. Controls are found again by role, name and the row they stand in, and a shuffled list is one screen, so
restores reach the screen they aim at and the flow ends on the right way."""

from __future__ import annotations

import json

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def test_a_survey_shuffled_on_every_load_is_explored_and_restored(sites_server, tmp_path):
    result = run(load_specs([SITES / "shuffled" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["status"] == "complete" and flow["goal_reached"], flow["exploration"]
    labels = [s["label"] for s in flow["path"]]
    assert labels[:2] == ["Manage membership", "Cancel membership"] and labels[3:] == [
        "Continue",
        "Choose",
        "Confirm cancellation",
    ], labels
    assert flow["metrics"]["steps_to_goal"] == 6
    exploration = flow["exploration"]
    assert not any("another screen" in n for n in exploration["notes"]), exploration["notes"]
    assert exploration["unrestorable_states"] == 0 and exploration["restores"] >= 3, exploration
    # the "Choose" that leads on is the one in the "Not likely" row, whatever its place in the list
    graph = json.loads(next(tmp_path.glob("flows/*/graph.json")).read_text())
    step = flow["path"][4]
    edges = [e for e in graph["actions"] if e["source"] == step["from"] and e["target"] == step["to"]]
    assert edges and all("not likely" in e["key"] for e in edges), edges

"""e2e on a sparring site written in Finnish, a language no pack knows (tests/sites/sanaton): an account page
with fourteen tabs and six site links, one filled button opening a non-modal dialog (close, secondary,
primary), a survey whose forward button stays disabled until a reason is picked, and a last step with a
forward button. No label carries a pack word, so the frontier falls back on structure (explore/structure.py):
the button each screen puts forward, and the choices that unlock a disabled one first."""

from __future__ import annotations

import json

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e

TABS = 14  # the account page's tabs; in page order they all came before the dialog's way on


def test_a_wordless_cancellation_follows_the_buttons_the_pages_put_forward(sites_server, tmp_path):
    result = run(load_specs([SITES / "sanaton" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    exploration = flow["exploration"]
    assert flow["goal_reached"], exploration
    labels = [s["label"] for s in flow["path"]]
    assert labels[0] == "Päätä jäsenyys" and labels[1] == "Jatka"  # the filled button, then the dialog's primary
    assert labels[-2:] == ["Jatka eteenpäin", "Vahvista päättäminen"]  # unlocked by a choice, then forward
    assert labels[2] in {"Liian kallis", "Ei aikaa", "Jokin muu"}
    graph = json.loads((tmp_path / "flows" / "sanaton-cancel" / "graph.json").read_text(encoding="utf-8"))
    first_goal = min(a["order"] for a in graph["actions"] if a["target"] in graph["goals"] and not a["inferred"])
    assert first_goal == len(labels)  # the goal was the fifth action taken: no tab, no link before it
    assert exploration["actions"] < TABS  # the whole run, with the survey's other answers tried after the goal

"""e2e on sparring sites of issue 24: funnel stages that share their controls (tests/sites/stages), forms as
people fill them (tests/sites/ferry: a required date and other typed fields, paid extras beside a refusal that
names nothing, a survey's "Other" with its text box), and what a control does (tests/sites/renewal: a dialog's
"Cancel" that keeps the subscription, an account page's "Switch to annual" that is no retention offer)."""

from __future__ import annotations

import json

import pytest

from auditor.analyse import analyse
from auditor.classify import Vocabulary
from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def _flow(result, name):
    return next(f for f in result.report["flows"] if f["name"] == name)


def _specs(site, name):
    return [s for s in load_specs([SITES / site / "flow.yaml"]) if s.name == name]


def test_funnel_stages_with_the_same_buttons_are_screens_of_their_own(sites_server, tmp_path):
    """Stage 1 ("Are you sure?") and stage 3 ("Still sure?") offer the same two buttons on one page; past
    the save offer between them, stage 3 is a new screen, so its "Continue" is tried and cancels. Each stage's
    card fades in after a delay: a look waits for the enter animation (without that wait it saw no buttons)."""
    result = run(load_specs([SITES / "stages" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["status"] == "complete" and flow["goal_reached"]
    steps = [s["label"] for s in flow["path"]]
    assert steps == ["Cancel membership", "Continue", "No thanks", "Continue"]
    assert flow["metrics"]["steps_to_goal"] == 4 and flow["metrics"]["detours"] == 1


def test_a_booking_form_is_filled_as_a_person_would_and_no_paid_extra_is_ticked(sites_server, tmp_path):
    """A required date (with min and max), a time with min/max/step, a number, a pattern-checked postcode,
    a datalist and a contenteditable box are filled with values the browser accepts; the refusal ("Some
    required information is missing.") names nothing, so the unticked boxes are what a user would try, but
    not the two priced extras ("+$4.99", "+4,99 €"). The charge on the reported path is the booking's own
    $39.00, and the refused submit is no step of that path."""
    result = run(_specs("ferry", "voyago-book"), tmp_path)
    flow = _flow(result, "voyago-book")
    assert flow["status"] == "complete" and flow["goal_reached"]
    steps = [(s["action"], s["label"]) for s in flow["path"]]
    assert steps == [("check", "I accept the conditions of carriage"), ("click", "Pay now")]
    filled = set(flow["path"][-1]["inputs"])
    assert {"Travel date (filler)", "Departure time (filler)", "Passengers (filler)"} <= filled
    assert {"Postcode (filler)", "Vehicle (filler)", "Special requests (filler)"} <= filled  # a contenteditable
    graph = result.graphs[0]
    first = min((a for _, _, a in graph.actions() if a.charges), key=lambda a: a.order)
    assert json.loads(first.charges[0]["body"])["amount"] == "39.00"  # the first charge found: no extra ticked
    ticked = flow["exploration"]["form_fixes"]
    assert ticked and all("carriage" in t["ticked"] for t in ticked)
    left = {(p["label"].split(" +")[0], p["price"]) for t in ticked for p in t["priced"]}
    assert left == {("Cancellation cover", "$4.99"), ("Priority boarding", "4,99 €")}


def test_a_surveys_other_gets_its_text_box_filled(sites_server, tmp_path):
    result = run(_specs("ferry", "voyago-leave"), tmp_path)
    flow = _flow(result, "voyago-leave")
    assert flow["status"] == "complete" and flow["goal_reached"]
    graph = result.graphs[0]
    after_other = [
        (a, graph.screen(v))
        for u, v, a in graph.actions()
        if a.label == "Cancel membership" and "Tell us more" in " ".join(f.label for f in graph.screen(u).fields)
    ]
    assert after_other, "the survey's Other was never picked"
    assert all(a.inputs == ("Tell us more (filler)",) for a, _ in after_other)
    assert all(v.id in graph.goals for _, v in after_other)  # not refused: "Please tell us more" never showed


def test_a_cancel_that_closes_the_last_dialog_keeps_and_switch_to_annual_is_no_offer(sites_server, tmp_path):
    result = run(load_specs([SITES / "renewal" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["status"] == "complete" and flow["goal_reached"]
    steps = [(s["label"], s["intent"]) for s in flow["path"]]
    labels = [label for label, _ in steps]
    assert labels == ["My account", "Manage auto-renewal", "Stop auto-renewal", "Stop auto-renewal"]
    assert steps[-1][1] == "exit"  # the dialog's forward button is the exit...
    graph = result.graphs[0]
    cancel = [(u, v, a.key) for u, v, a in graph.actions() if a.label == "Cancel" and graph.screen(u).dialog]
    assert cancel, "the dialog's Cancel was never tried"
    analysed = analyse(graph, Vocabulary.default())
    assert all(analysed.intent(*edge) == "keep" for edge in cancel)  # ...and its "Cancel" keeps
    kinds = {s["title"]: s["kind"] for s in flow["states"]}
    assert kinds["The Lumen – My account"] != "offer"
    assert flow["metrics"]["detours"] == 0
    assert "cancel.retention-detours" not in {f["rule"] for f in result.report["findings"]}

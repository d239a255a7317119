"""e2e on a sparring shop of issue 24 (tests/sites/papeterie): buying as a customer does. A German stationery
shop whose product page has a quantity stepper and a basket badge, and whose checkout offers a returning
customer's sign-in box beside a guest checkout, then a step indicator ahead of "Zahlungspflichtig bestellen"."""

from __future__ import annotations

import json

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def shop(sites_server, tmp_path_factory):
    result = run(load_specs([SITES / "papeterie" / "flow.yaml"]), tmp_path_factory.mktemp("papeterie"))
    return result.report["flows"][0], result.graphs[0], result.report["findings"]


def test_the_order_button_is_reached_by_its_words_not_by_the_step_indicator(shop):
    """On the overview step the step indicator's buttons come first in the page and say nothing of buying;
    "Zahlungspflichtig bestellen" is a pack word, so it is the first action taken there and it charges."""
    flow, graph, _ = shop
    assert flow["goal_reached"], flow["status"]
    steps = [s["label"] for s in flow["path"]]
    assert steps[0] == "Zum Warenkorb hinzufügen" and steps[-1] == "Zahlungspflichtig bestellen", steps
    first_charge = min((a for _, _, a in graph.actions() if a.charges), key=lambda a: a.order)
    assert first_charge.label == "Zahlungspflichtig bestellen"
    overview = next(u for u, _, a in graph.actions() if a is first_charge)
    taken = sorted((a for u, _, a in graph.actions() if u == overview), key=lambda a: a.order)
    assert taken[0] is first_charge, [a.label for a in taken]
    assert json.loads(first_charge.charges[0]["body"])["items"] >= 1  # the basket the path filled


def test_the_quantity_steppers_plus_leads_to_a_screen_of_its_own(shop):
    """The stepper's value counts in the screen's state: "+" from 1 to 2 is a new screen, not a loop."""
    _, graph, _ = shop
    plus = [(u, v) for u, v, a in graph.actions() if a.label == "Menge erhöhen"]
    assert plus and any(u != v for u, v in plus), plus
    added = [v for u, v, a in graph.actions() if a.label == "Zum Warenkorb hinzufügen" and u == graph.start]
    assert added and graph.start not in added, added  # the badge counts: an empty basket filled is a new screen


def test_a_sign_in_box_beside_a_guest_checkout_is_no_password_check(shop):
    """The checkout's first step has a password field, but "Als Gast bestellen" goes on without it: no auth
    screen on the way to the charge, so no re-auth window is probed and no reauth finding is made."""
    flow, _, findings = shop
    assert not flow["exploration"].get("reauth_window"), flow["exploration"].get("reauth_window")
    assert flow["rules"]["purchase.reauth-window"]["outcome"] == "inapplicable"
    assert not [f for f in findings if f["rule"].startswith("purchase.reauth")]
    assert "Als Gast bestellen" in [s["label"] for s in flow["path"]]


def test_a_checkout_url_that_once_showed_its_step_is_not_written_off_after_a_fresh_start(shop):
    """The basket lives in session storage. After a fresh start (to see the empty basket) the checkout URL
    shows "Ihr Warenkorb ist leer", not its first step; it showed that step before, so the failure says this
    user differs, and once a replay has filled the basket again the URL restores the checkout steps again
    (Restorer.by_url). Writing the URL off made every later checkout step a full replay: 4 in all, not 2."""
    flow, _, _ = shop
    restored = flow["exploration"]["restored_by"]
    assert restored.get("replay", 0) <= 2 and restored.get("anchor", 0) >= 3, restored

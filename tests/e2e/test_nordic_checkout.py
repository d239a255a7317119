"""e2e on two sparring checkouts (tests/sites/nordabo) that speak only Swedish and Danish: a newspaper
subscription at "99 kr/mån" whose renewal terms show and get their own unticked consent box, and one at
"79 kr./md." whose terms hide in a closed "Vilkår" section with nothing to agree to. With main's four
languages neither read as a subscription (no renewal words, no "kr" price, no "/mån"), and the renewal and
consent rules were inapplicable on both."""

from __future__ import annotations

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def flows(sites_server, tmp_path_factory):
    result = run(load_specs([SITES / "nordabo" / "flow.yaml"]), tmp_path_factory.mktemp("nordabo"))
    return {f["name"]: f for f in result.report["flows"]}


def _outcomes(flow):
    return {rule: verdict["outcome"] for rule, verdict in flow["rules"].items()}


def test_swedish_renewal_terms_shown_and_agreed_to_pass(flows):
    flow = flows["nyhetsbladet-kop"]
    assert flow["goal_reached"]
    assert [s["label"] for s in flow["path"]] == [
        "Jag godkänner villkoren och att prenumerationen förnyas automatiskt",
        "Köp med betalningsskyldighet",
    ]
    outcomes = _outcomes(flow)
    assert outcomes["purchase.renewal-terms-hidden"] == "pass"
    assert flow["rules"]["purchase.renewal-terms-hidden"]["figures"]["phrase"] == "förnyas automatiskt"
    assert outcomes["purchase.no-express-consent"] == "pass"
    assert outcomes["purchase.no-price-at-confirm"] == "pass"
    assert flow["rules"]["purchase.no-price-at-confirm"]["figures"]["prices"] == ["99 kr"]


def test_danish_terms_in_a_closed_section_and_no_consent_fail(flows):
    flow = flows["nyhedsbladet-kob"]
    assert flow["goal_reached"]
    outcomes = _outcomes(flow)
    assert outcomes["purchase.renewal-terms-hidden"] == "fail"
    hidden = flow["rules"]["purchase.renewal-terms-hidden"]["figures"]
    assert hidden["shown"] == "only inside a collapsed section" and hidden["collapsed_hint"] == "Vilkår"
    assert outcomes["purchase.no-express-consent"] == "fail"
    assert outcomes["purchase.no-price-at-confirm"] == "pass"

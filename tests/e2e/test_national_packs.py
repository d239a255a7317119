"""e2e on sparring sites of issue 26, audited against the national packs they are built for, in real Chromium.

tests/sites/resilie, under `fr` (Code de la consommation L215-1-1, D215-1 to D215-3): Cinéfil puts "Résilier
votre contrat" in its footer and asks only who, which contract and from when; Cinéfil Plus hides "Se désabonner"
behind its client area's login. tests/sites/teikibin, under `jp` (特定商取引法 12条の6): two checkouts of a
monthly tea subscription, one whose final screen shows every term and one ("お試し") that omits the period and
the cancellation terms. Their graphs are also the packs' `rules test` fixtures (auditor/rules/packs/fixtures).
"""

from __future__ import annotations

from typing import Any

import pytest

from auditor.rules.pack import load_rules
from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def _audit(site: str, pack: str, out: Any) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    result = run(load_specs([SITES / site / "flow.yaml"]), out, rules=load_rules([pack]))
    return {f["name"]: f for f in result.report["flows"]}, result.report["findings"]


@pytest.fixture(scope="module")
def france(sites_server, tmp_path_factory):
    return _audit("resilie", "fr", tmp_path_factory.mktemp("resilie"))


@pytest.fixture(scope="module")
def japan(sites_server, tmp_path_factory):
    return _audit("teikibin", "jp", tmp_path_factory.mktemp("teikibin"))


def _fired(findings: list[dict[str, Any]], flow: str) -> dict[str, dict[str, Any]]:
    return {f["rule"]: f for f in findings if f["flow"] == flow}


def test_a_footer_link_to_resilier_votre_contrat_passes_every_french_rule(france):
    """No account, one form (name, first name, e-mail, contract number, date), its summary, and a receipt
    saying the contract was cancelled: every rule of the fr pack passes."""
    flows, findings = france
    flow = flows["resilie-cancel"]
    assert flow["goal_reached"], flow["status"]
    assert [s["label"] for s in flow["path"]] == ["Résilier votre contrat", "Continuer", "Confirmer la résiliation"]
    for rule in (
        "fr.cancel-function-label",
        "fr.cancel-function-reachable",
        "fr.cancel-form-data",
        "cancel.login-wall",
        "cancel.no-confirmation",
    ):
        assert flow["rules"][rule]["outcome"] == "pass", (rule, flow["rules"][rule])
    assert flow["rules"]["fr.cancel-form-data"]["figures"]["pages"] == 2  # the form and its summary
    assert not [r for r in _fired(findings, "resilie-cancel") if r.startswith("fr.") or r.startswith("cancel.")]


def test_a_cancellation_behind_the_client_areas_login_is_a_french_finding(france):
    """Cinéfil Plus: the only way out passes "Connexion" (a password); under `fr` that is an error (no account
    may be demanded), as are the missing label, the function out of direct reach, the birth date asked and an
    ending that only says the request is being handled."""
    flows, findings = france
    flow = flows["resilie-compte-cancel"]
    assert flow["goal_reached"], flow["status"]
    assert "Se connecter" in [s["label"] for s in flow["path"]]
    fired = _fired(findings, "resilie-compte-cancel")
    wall = fired["cancel.login-wall"]
    assert wall["severity"] == "error" and wall["figures"]["heading"] == "Connexion", wall
    assert any("D215-1" in ref["section"] for ref in wall["references"]), wall["references"]
    assert fired["fr.cancel-function-label"]["figures"]["label"] == "Se désabonner"
    assert fired["fr.cancel-function-reachable"]["figures"]["found_label"] is None
    assert fired["fr.cancel-form-data"]["figures"]["extra"] == ["Date de naissance"]
    assert "cancel.no-confirmation" in fired


def test_a_complete_japanese_final_screen_passes_every_japanese_rule(japan):
    """Quantity, price, how and when to pay, delivery, the period (until cancelled) and how to cancel, all on
    the screen of "注文を確定する": the jp rules pass, read in Japanese without spaces."""
    flows, findings = japan
    flow = flows["teikibin-order"]
    assert [s["label"] for s in flow["path"]] == ["定期便を申し込む", "注文を確定する"], flow["path"]
    for rule in (
        "jp.final-screen-terms",
        "jp.subscription-period",
        "jp.misleading-subscription",
        "purchase.no-price-at-confirm",
    ):
        assert flow["rules"][rule]["outcome"] == "pass", (rule, flow["rules"][rule])
    assert not [r for r in _fired(findings, "teikibin-order") if r.startswith("jp.")]


def test_a_trial_checkout_without_period_or_cancellation_terms_is_a_japanese_finding(japan):
    """The "お試し" checkout's final screen shows quantity, price, payment and delivery, but neither how long
    the subscription runs nor how to cancel, and calls it a trial."""
    flows, findings = japan
    flow = flows["teikibin-ng-order"]
    assert [s["label"] for s in flow["path"]] == ["お試しを申し込む", "注文を確定する"], flow["path"]
    fired = _fired(findings, "teikibin-ng-order")
    terms = fired["jp.final-screen-terms"]["figures"]
    assert terms["missing"] == ["the terms of cancellation or withdrawal (申込みの撤回・解除に関する事項)"], terms
    assert len(terms["shown"]) == 5
    assert fired["jp.subscription-period"]["severity"] == "error"
    assert fired["jp.misleading-subscription"]["figures"]["claim"] == "お試し"
    assert flow["rules"]["purchase.no-price-at-confirm"]["outcome"] == "pass"  # "¥500" is read as an amount

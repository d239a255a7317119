"""e2e on sparring sites of issue 26 in Italian and Portuguese, read with the core pack's words only.

- tests/sites/edicola: an Italian newspaper's cancellation funnel. "Gestisci abbonamento", a small "Disdici
  l'abbonamento" that opens a save offer in a pop-up whose decline shames ("No grazie, preferisco pagare prezzo
  pieno"), "Vuoi davvero disdire?", then "Il tuo abbonamento è stato disdetto". "Esci" signs out.
- tests/sites/cinemar: a Brazilian streaming checkout at "R$ 39,90/mês" with "Renovação automática" terms,
  sold two ways: terms in view with a box to tick, or terms inside a closed "Detalhes" with nothing to tick.
  Without Portuguese words the renewal and consent rules found no subscription and answered "inapplicable".
"""

from __future__ import annotations

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def edicola(sites_server, tmp_path_factory):
    result = run(load_specs([SITES / "edicola" / "flow.yaml"]), tmp_path_factory.mktemp("edicola"))
    return result.report["flows"][0], result.graphs[0]


@pytest.fixture(scope="module")
def cinemar(sites_server, tmp_path_factory):
    result = run(load_specs([SITES / "cinemar" / "flow.yaml"]), tmp_path_factory.mktemp("cinemar"))
    return {f["name"]: f for f in result.report["flows"]}


def test_the_italian_funnel_is_walked_by_its_italian_words(edicola):
    """Italian labels carry path and exit weight: the explorer goes account → subscription → exit → past
    the offer → confirm, and never follows "Esci" (sign out)."""
    flow, graph = edicola
    assert flow["status"] == "complete" and flow["goal_reached"], flow.get("error")
    steps = [s["label"] for s in flow["path"]]
    assert steps == [
        "Gestisci abbonamento",
        "Disdici l'abbonamento",
        "No grazie, preferisco pagare prezzo pieno",
        "Conferma la disdetta",
    ]
    assert "Esci" not in {a.label for _, _, a in graph.actions()}


def test_the_italian_pop_ups_shaming_decline_and_offer_are_found(edicola):
    flow, _ = edicola
    shaming = flow["rules"]["cancel.confirmshaming"]
    assert shaming["outcome"] == "fail", shaming
    assert shaming["figures"]["label"] == "No grazie, preferisco pagare prezzo pieno"
    assert shaming["figures"]["screen"] == "Prima di andare: 3 mesi al 50% di sconto"
    detours = flow["rules"]["cancel.retention-detours"]
    assert detours["outcome"] == "fail" and detours["figures"]["offers"] == ["Prima di andare: 3 mesi al 50% di sconto"]
    weaker = flow["rules"]["cancel.exit-less-prominent"]
    assert weaker["outcome"] == "fail" and weaker["figures"]["keep_label"] == "Accetta l'offerta", weaker


def test_the_italian_confirmation_is_read_as_one(edicola):
    flow, _ = edicola
    confirmation = flow["rules"]["cancel.no-confirmation"]
    assert confirmation["outcome"] == "pass", confirmation
    assert "è stato disdetto" in confirmation["figures"]["phrase"]


def test_a_portuguese_monthly_renewal_is_judged_and_the_fair_checkout_passes(cinemar):
    """ "Renovação automática" in view and "Li e aceito a renovação automática mensal" ticked before paying."""
    flow = cinemar["cinemar-assinatura"]
    assert flow["goal_reached"], flow.get("error")
    steps = [s["label"] for s in flow["path"]]
    assert steps[-2:] == ["Li e aceito a renovação automática mensal", "Pagar R$ 39,90 e assinar"], steps
    terms = flow["rules"]["purchase.renewal-terms-hidden"]
    assert terms["outcome"] == "pass" and terms["figures"]["phrase"] == "Renovação automática", terms
    consent = flow["rules"]["purchase.no-express-consent"]
    assert consent["outcome"] == "pass" and consent["figures"]["label"].startswith("Li e aceito"), consent


def test_a_portuguese_renewal_behind_details_and_without_a_box_fails_both_rules(cinemar):
    """The price per month ("R$ 39,90/mês") says it is a subscription; its terms are only inside "Detalhes"."""
    flow = cinemar["cinemar-rapida"]
    assert flow["goal_reached"], flow.get("error")
    terms = flow["rules"]["purchase.renewal-terms-hidden"]
    assert terms["outcome"] == "fail", terms
    assert terms["figures"]["shown"] == "only inside a collapsed section"
    assert terms["figures"]["collapsed_hint"] == "Detalhes"
    consent = flow["rules"]["purchase.no-express-consent"]
    assert consent["outcome"] == "fail" and consent["figures"]["label"] == "Pagar R$ 39,90 e assinar", consent

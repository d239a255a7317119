"""The checks issue 17 added for the law at the end of 2026, over small hand-built graphs (no browser): offers
before the end of a cancellation, the medium one may cancel in, the terms shown where the user enrols, a
decline shamed while enrolling, the order button's label, and what the page after a cancel or withdrawal
button asks for."""

from __future__ import annotations

from auditor.rules.pack import load_rules
from tests.test_checks import el, fair, graph, iliad, link, offer, only, phone, run, screen, signup, unreached_graph


# ---- offers_before_goal ----
def test_an_avoidable_offer_still_counts():
    g = graph(
        [
            screen("s0", "/", link("Cancel"), link("Help")),
            offer("s1", "/offer"),
            screen("s2", "/help", el("Confirm cancellation")),
            screen("s3", "/done", text="Your plan has been cancelled"),
        ],
        [
            ("s0", "s1", "Cancel"),
            ("s1", "s3", "Cancel anyway"),
            ("s0", "s2", "Help"),
            ("s2", "s3", "Confirm cancellation"),
        ],
        "s3",
    )
    assert run("detours", g).outcome == "pass"  # a way without the offer exists...
    result = run("offers_before_goal", g)  # ...but the offer is shown on another way to cancel
    assert only(result) == {"heading": "Before you go", "offers": 1, "path": ["Cancel"]}
    assert result.violations[0].evidence.state == "s1"


def test_an_offer_after_the_cancellation_is_done_does_not_count():
    g = graph(
        [
            screen("s0", "/", el("Cancel subscription")),
            screen("s1", "/done", link("See offers"), text="Your subscription has been cancelled."),
            offer("s2", "/winback", heading="Come back for 50% off"),
        ],
        [("s0", "s1", "Cancel subscription"), ("s1", "s2", "See offers"), ("s2", "s0", "Keep my plan")],
        "s1",
    )
    result = run("offers_before_goal", g)
    assert (result.outcome, result.figures) == ("pass", {"offers": 0})


def test_offers_before_goal_fails_on_the_offer_of_the_way_out_and_needs_the_goal():
    assert only(run("offers_before_goal", iliad()))["heading"] == "Before you go"
    assert run("offers_before_goal", fair()).outcome == "pass"
    assert run("offers_before_goal", unreached_graph()).outcome == "incomplete"


# ---- same_medium ----
def test_same_medium_names_the_channel_the_user_is_sent_to():
    result = run(
        "same_medium", phone(flow={"name": "t-cancel", "kind": "cancellation", "compare_with": "t-signup"}), signup()
    )
    figures = only(result)
    assert figures["channel"] == "phone" and figures["phrase"] == "please call"
    assert (figures["partner"], figures["partner_steps"]) == ("t-signup", 2)
    assert result.violations[0].evidence.state == "s1"


def test_same_medium_reads_mail_and_in_person_from_the_vocabulary():
    text = "To cancel, please write to us at PO Box 12 or visit a branch."
    flow = {"name": "t-cancel", "kind": "cancellation", "compare_with": "t-signup"}
    assert only(run("same_medium", phone(text, flow=flow), signup()))["channel"] == "mail, in person"


def test_same_medium_needs_a_partner_that_signed_up_online():
    flow = {"name": "t-cancel", "kind": "cancellation", "compare_with": "t-signup"}
    assert run("same_medium", phone()).outcome == "inapplicable"  # no compare_with
    assert run("same_medium", phone(flow=flow)).outcome == "incomplete"  # the partner's graph is missing
    assert run("same_medium", phone(flow=flow), signup(reached=False)).outcome == "incomplete"
    passed = run("same_medium", fair(flow=flow), signup())
    assert passed.outcome == "pass" and passed.figures["partner"] == "t-signup"
    stopped = run("same_medium", phone(stop="max_states", flow=flow), signup())
    assert stopped.outcome == "incomplete"  # an unseen screen may be the online way
    unnamed = run("same_medium", phone("Your membership: Gold", flow=flow), signup())
    assert unnamed.outcome == "incomplete" and "no screen names another channel" in unnamed.reason


# ---- terms_at_enrolment ----
TERMS = {"price": "the cost", "cadence": "how often", "renewal": "renewal", "cancel_how": "how to cancel"}


def enrolment(text: str) -> object:
    return graph(
        [
            screen("s0", "/", el("Join now")),
            screen("s1", "/join", el("Start my membership"), heading="Join", text=text),
            screen("s2", "/welcome", text="Welcome!"),
        ],
        [("s0", "s1", "Join now"), ("s1", "s2", "Start my membership")],
        "s2",
        flow={"name": "t-signup", "kind": "signup"},
    )


def test_terms_at_enrolment_needs_every_term_on_the_enrolment_screen():
    fine = "$9.99/month. Renews automatically until you cancel. Cancel anytime in Account settings."
    assert run("terms_at_enrolment", enrolment(fine), terms=TERMS).outcome == "pass"
    result = run("terms_at_enrolment", enrolment("$9.99/month. Renews automatically. Cancel anytime."), terms=TERMS)
    figures = only(result)
    assert figures["missing"] == ["how to cancel"] and figures["shown"] == ["the cost", "how often", "renewal"]
    assert (figures["screen"], figures["label"]) == ("Join", "Start my membership")
    assert result.violations[0].evidence.state == "s1"


def test_terms_at_enrolment_is_inapplicable_without_a_subscription_or_for_a_cancellation():
    assert run("terms_at_enrolment", enrolment("Create a free account."), terms=TERMS).outcome == "inapplicable"
    assert run("terms_at_enrolment", fair(), terms=TERMS).outcome == "inapplicable"
    assert run("terms_at_enrolment", signup(reached=False), terms=TERMS).outcome == "incomplete"


# ---- confirmshaming, scope: enrolment ----
def upsell(after_goal: bool = False) -> object:
    decline = link("No, I don't want Free Shipping")
    screens = [
        screen("s0", "/checkout", el("Try Prime free"), *([] if after_goal else [decline]), text="Get free shipping"),
        screen("s1", "/welcome", *([decline] if after_goal else []), text="Welcome to Prime"),
    ]
    return graph(screens, [("s0", "s1", "Try Prime free")], "s1", flow={"name": "t-signup", "kind": "signup"})


def test_decline_shaming_reads_the_screens_before_enrolment_only():
    figures = only(run("confirmshaming", upsell(), scope="enrolment"))
    assert (figures["label"], figures["phrase"]) == ("No, I don't want Free Shipping", "I don't want Free Shipping")
    later = run("confirmshaming", upsell(after_goal=True), scope="enrolment")
    assert (later.outcome, later.figures["screens"]) == ("pass", 1)
    assert run("confirmshaming", upsell(after_goal=True)).outcome == "fail"  # anywhere: the default, as before
    assert run("confirmshaming", unreached_graph(), scope="enrolment").outcome == "incomplete"


# ---- required_label, where: order ----
ORDER = ["zahlungspflichtig bestellen", "kaufen"]


def test_order_label_judges_a_priced_sign_up_and_skips_a_free_one():
    priced = enrolment("Streamo Standard für 9,99 € im Monat.")
    figures = only(run("required_label", priced, phrases=ORDER, where="order"))
    assert figures["label"] == "Start my membership" and figures["where"] == "order"
    free = run("required_label", enrolment("Ein kostenloses Konto."), phrases=ORDER, where="order")
    assert free.outcome == "inapplicable"


def test_order_label_judges_every_charging_control_of_a_purchase():
    g = graph(
        [
            screen("s0", "/cart", el("Jetzt kaufen"), el("Pay now"), text="Summe: 49,90 €"),
            screen("s1", "/thanks", text="Danke"),
            screen("s2", "/thanks2", text="Danke"),
        ],
        [
            ("s0", "s1", "Jetzt kaufen", {"charges": ({"url": "/pay"},)}),
            ("s0", "s2", "Pay now", {"charges": ({"url": "/pay"},)}),
        ],
        flow={"name": "t-buy", "kind": "purchase"},
    )
    result = run("required_label", g, phrases=ORDER, where="order")
    assert [v.figures["label"] for v in result.violations] == ["Pay now"]


# ---- minimal_form ----
DE = load_rules(["de"]).vocabulary
EU = load_rules(["eu"]).vocabulary


def confirmation_page(*fields: dict, pages: int = 1) -> object:
    """The cancel button, then `pages` pages (the first with `fields`), the last ending in the confirming click."""
    extra = [screen(f"p{i}", f"/kuendigen/{i}", el("Weiter"), heading=f"Schritt {i}") for i in range(1, pages)]
    screens = [
        screen("s0", "/", el("Verträge hier kündigen")),
        screen("s1", "/kuendigen", el("Weiter"), el("Jetzt kündigen"), heading="Vertrag kündigen", fields=fields),
        *extra,
        screen("s9", "/fertig", text="Ihre Kündigung ist eingegangen."),
    ]
    hops = ["s1", *(s.id for s in extra)]
    edges = [("s0", "s1", "Verträge hier kündigen")]
    edges += [(a, b, "Weiter") for a, b in zip(hops, hops[1:], strict=False)]
    edges += [(hops[-1], "s9", "Weiter" if extra else "Jetzt kündigen")]
    return graph(screens, edges, "s9")


def form_run(g, vocab, **options):
    from auditor.analyse import analyse
    from auditor.rules.checks import REGISTRY, CheckContext, with_defaults

    spec = REGISTRY["minimal_form"]
    return spec.fn(CheckContext(analyse(g, vocab), vocab), with_defaults(spec, options))


def test_one_page_of_identification_data_passes():
    page = confirmation_page({"label": "E-Mail", "type": "email"}, {"label": "Vertragsnummer", "type": "text"})
    result = form_run(page, DE, allowed="cancel_form_field")
    assert result.outcome == "pass" and result.figures["asked"] == ["E-Mail", "Vertragsnummer"]
    assert result.figures["pages"] == 1 and result.figures["button"] == "Verträge hier kündigen"


def test_a_password_or_a_second_page_breaks_the_single_confirmation_page():
    page = confirmation_page({"label": "E-Mail", "type": "email"}, {"label": "Passwort", "type": "password"})
    figures = only(form_run(page, DE, allowed="cancel_form_field"))
    assert figures["extra"] == ["Passwort"] and figures["pages"] == 1
    split = only(
        form_run(confirmation_page({"label": "E-Mail", "type": "email"}, pages=3), DE, allowed="cancel_form_field")
    )
    assert (split["pages"], split["extra"]) == (3, [])


def withdrawal(*fields: dict, followed: bool = True) -> object:
    screens = [
        screen("s0", "/orders", link("Withdraw from contract here"), el("Cancel subscription")),
        screen("s1", "/withdraw", el("Confirm withdrawal"), fields=fields),
        screen("s2", "/done", text="Your subscription has been cancelled."),
    ]
    edges = [("s0", "s2", "Cancel subscription")] + ([("s0", "s1", "Withdraw from contract here")] if followed else [])
    return graph(screens, edges, "s2")


def test_withdrawal_form_may_ask_name_contract_and_contact_only():
    fine = withdrawal({"label": "Full name"}, {"label": "Order number"}, {"label": "Email", "type": "email"})
    assert form_run(fine, EU, allowed="withdraw_form_field", after="withdraw").outcome == "pass"
    nosy = withdrawal(
        {"label": "Full name"}, {"label": "Phone number", "type": "tel"}, {"label": "Search", "type": "search"}
    )
    figures = only(form_run(nosy, EU, allowed="withdraw_form_field", after="withdraw"))
    assert figures["extra"] == ["Phone number"] and figures["button"] == "Withdraw from contract here"
    unfollowed = form_run(withdrawal(followed=False), EU, allowed="withdraw_form_field", after="withdraw")
    assert unfollowed.outcome == "incomplete"
    assert form_run(fair(), EU, allowed="withdraw_form_field", after="withdraw").outcome == "inapplicable"

"""Purchase checks over small hand-built flow graphs (no browser): a children's gem store that charges small
amounts with no password and opens a re-auth window after a dear one, a fair subscription checkout and an
unfair one. Each check fails with exact figures, passes, and stays incomplete or inapplicable as documented."""

from __future__ import annotations

import re
from typing import Any

import pytest

from auditor.analyse import analyse
from auditor.classify import Vocabulary
from auditor.graph import Action, FlowGraph, Repeat, Screen
from auditor.rules.checks import REGISTRY, CheckContext, CheckResult, with_defaults
from auditor.rules.checks.paths import charge_price
from tests.graphs import add_edges

VOCAB = Vocabulary.default()
H = "http://shop"
PURCHASE_CHECKS = (
    "unguarded_charge",
    "reauth_window",
    "parental_gate",
    "price_at_confirm",
    "prechecked_addon",
    "renewal_terms",
    "express_consent",
)


# ---- building graphs ----
def el(label: str, kind: str = "click", **kw: Any) -> dict[str, Any]:
    """A probe record of a usable control; `kind` click, check or select; override any feature."""
    role = {"click": "button", "check": "checkbox", "select": "combobox"}[kind]
    record = {
        "key": f"main|{kind}|{role}|{label.lower()}#0",
        "kind": kind,
        "role": role,
        "tag": "input" if kind == "check" else "button",
        "label": label,
        "selector": "#" + re.sub(r"\W+", "-", label.lower()).strip("-"),
        "visible": True,
        "enabled": True,
        "obscured_by": None,
        "avoided": False,
        "expanded": None,
        "font_size": 16,
        "contrast": 12.0,
        "area": 6000,
        "above_fold": True,
        "in_dialog": False,
    }
    if kind == "check":
        record["checked"] = False
    return {**record, **kw}


def box(label: str, checked: bool = False, **kw: Any) -> dict[str, Any]:
    return el(label, "check", checked=checked, **kw)


PASSWORD = ({"label": "Password", "type": "password", "name": "password"},)


def screen(state: str, path: str, *elements: dict[str, Any], **kw: Any) -> Screen:
    """A screen of these probe records (the graph.json form: Screen.from_dict types them)."""
    data = {"id": state, "fingerprint": f"f-{state}", "url": H + path, "screenshot": f"{state}.png", **kw}
    return Screen.from_dict({**data, "elements": list(elements), "fields": list(kw.get("fields", ()))})


def charge(body: str = "", url: str = "https://pay.example/charge") -> dict[str, Any]:
    return {"method": "POST", "url": url, "body": body, "time": 1700000000.0}


def graph(
    screens: list[Screen],
    edges: list[tuple[Any, ...]],
    *,
    kind: str = "purchase",
    profile: str = "adult",
    stop: str = "frontier_exhausted",
    window: dict[str, Any] | None = None,
) -> FlowGraph:
    """Edges are (source, target, label[, {Action fields}]); the action uses the source screen's element with
    that label. A charge edge's target is a goal, as the explorer marks it."""
    g = FlowGraph({"name": "t-buy", "kind": kind, "profile": profile})
    for s in screens:
        g.add_screen(s)
    add_edges(g, edges)
    g.exploration = {"status": "complete", "stop_reason": stop}
    if window is not None:
        g.exploration["reauth_window"] = window
    return g


def run(name: str, g: FlowGraph, **options: Any) -> CheckResult:
    spec = REGISTRY[name]
    return spec.fn(CheckContext(analyse(g, VOCAB), VOCAB), with_defaults(spec, options))


def figures(result: CheckResult) -> list[dict[str, Any]]:
    assert result.outcome == "fail", result
    return [dict(v.figures) for v in result.violations]


def only(result: CheckResult) -> dict[str, Any]:
    found = figures(result)
    assert len(found) == 1, found
    return found[0]


# ---- the stories ----
GEMS_100 = '{"item":"gems_100","price":0.99,"currency":"USD"}'
GEMS_2000 = '{"item":"gems_2000","price":"19.99"}'
PROBED = {
    "probed": True,
    "trigger": "Buy 2000 gems",
    "charge": "Confirm",
    "open_after_minutes": [1, 5, 10],
    "closed_at_minutes": 20,
    "max_probe_minutes": 60,
}


def gem_store(profile: str = "adult", window: dict[str, Any] | None = None, **kw: Any) -> FlowGraph:
    """Gem Quest: 100 and 500 gems charge at a tap; 2000 gems ask for a password, and right after that
    purchase the same tap charges with none (the re-auth probe's repeat, keyed "@+0min")."""
    buy_2000 = el("Buy 2000 gems")
    return graph(
        [
            screen(
                "s0",
                "/store",
                el("Buy 100 gems"),
                el("Buy 500 gems"),
                buy_2000,
                heading="Gem store",
                text="Gem store 100 gems $0.99 Buy 100 gems 500 gems $4.99 Buy 500 gems 2000 gems $19.99 Buy 2000 gems",
            ),
            screen("s1", "/store/thanks", el("Buy 100 more gems"), heading="100 gems added!", text="100 gems added!"),
            screen("s2", "/store/thanks", heading="500 gems added!", text="500 gems added!"),
            screen(
                "s3",
                "/store/confirm",
                el("Confirm"),
                heading="Enter your password",
                text="Enter your password to buy 2000 gems for $19.99",
                fields=PASSWORD,
            ),
            screen("s4", "/store/thanks", el("Back to store"), heading="2000 gems added!", text="2000 gems added!"),
            screen("s5", "/store/thanks", heading="2000 more gems added!", text="2000 more gems added!"),
            screen("s6", "/store/thanks", heading="100 more gems added!", text="100 more gems added!"),
        ],
        [
            ("s0", "s1", "Buy 100 gems", {"charges": (charge(GEMS_100),)}),
            ("s0", "s2", "Buy 500 gems", {"charges": (charge("item=gems_500&token=[redacted]"),)}),
            ("s0", "s3", "Buy 2000 gems"),
            ("s3", "s4", "Confirm", {"charges": (charge(GEMS_2000),), "inputs": ("Password",)}),
            ("s4", "s0", "Back to store"),
            ("s1", "s6", "Buy 100 more gems", {"charges": (charge(GEMS_100),)}),
            (
                "s0",
                "s5",
                "Buy 2000 gems",
                {
                    "key": buy_2000["key"] + "@+0min",
                    "repeat": Repeat(buy_2000["key"], 0),
                    "charges": (charge(GEMS_2000),),
                },
            ),
        ],
        kind="in_app_purchase",
        profile=profile,
        window=window,
        **kw,
    )


def fair_checkout(profile: str = "adult", **kw: Any) -> FlowGraph:
    """Brightbox: the price per week up front, renewal terms in view, an unticked consent box the user ticks,
    an unticked extra, a password screen whose button names the amount; "Gift a box" asks again."""
    consent, dessert = "I agree to the automatic renewal terms", "Add dessert (+$3.00/week)"
    checkout_text = (
        "Checkout Weekly box $12.00 per week. Your subscription renews automatically every week until you "
        f"cancel. {dessert} {consent} Continue"
    )
    return graph(
        [
            screen("s0", "/", el("Choose Weekly box"), heading="Brightbox", text="Weekly box $12.00/week"),
            screen(
                "s1", "/checkout", box(dessert), box(consent), el("Continue"), heading="Checkout", text=checkout_text
            ),
            screen(
                "s2",
                "/checkout",
                box(dessert),
                box(consent, checked=True),
                el("Continue"),
                heading="Checkout",
                text=checkout_text,
            ),
            screen(
                "s3",
                "/checkout/confirm",
                el("Pay $12.00"),
                heading="Confirm with your password",
                text="Confirm with your password. You will be charged $12.00 today. Pay $12.00",
                fields=PASSWORD,
            ),
            screen(
                "s4", "/welcome", el("Gift a box"), heading="Welcome to Brightbox", text="Your first box is on its way."
            ),
        ],
        [
            ("s0", "s1", "Choose Weekly box"),
            ("s1", "s2", consent),
            ("s2", "s3", "Continue"),
            ("s3", "s4", "Pay $12.00", {"charges": (charge("plan=weekly&agree=yes&password=[redacted]"),)}),
            ("s4", "s3", "Gift a box"),
        ],
        profile=profile,
        **kw,
    )


ADDON = "Add 2-year protection plan (+$4.99/month)"


def unfair_checkout(*cart: dict[str, Any], thanks: str | None = None, **kw: Any) -> FlowGraph:
    """Cartly: a pre-ticked protection plan, terms folded into a closed <details>, "Continue" charges on a
    screen with no amount, the renewal told only after payment."""
    cart = cart or (box(ADDON, checked=True),)
    thanks = thanks or (
        "Thank you! Order total $203.98. Your protection plan renews automatically at $4.99/month until you cancel."
    )
    return graph(
        [
            screen(
                "s0",
                "/cartly",
                el("Add to cart"),
                heading="Aurora ANC Wireless Headphones",
                text="Aurora ANC Wireless Headphones $198.99",
            ),
            screen(
                "s1",
                "/cartly/cart",
                *cart,
                el("Terms", tag="summary"),
                el("Continue"),
                heading="Your cart",
                text="Your cart Aurora ANC Wireless Headphones $198.99 "
                + " ".join(e["label"] for e in cart)
                + " Terms",
            ),
            screen(
                "s2",
                "/cartly/checkout",
                el("Continue"),
                heading="Checkout",
                text="Card details Name on card Card number Continue",
                fields=({"label": "Card number", "type": "text"},),
            ),
            screen("s3", "/cartly/thanks", heading="Thank you!", text=thanks),
        ],
        [
            ("s0", "s1", "Add to cart"),
            ("s1", "s2", "Continue"),
            (
                "s2",
                "s3",
                "Continue",
                {"charges": (charge('{"item":"aurora","card":{"number":"[card]"},"protection":true}'),)},
            ),
        ],
        **kw,
    )


def one_charge(*middle: Screen, kind: str = "purchase", profile: str = "adult", **kw: Any) -> FlowGraph:
    """Start -> (the middle screens, each left by "Next") -> "Buy $5.00" charges -> done."""
    screens = [screen("s0", "/", el("Next" if middle else "Buy $5.00"), heading="Shop", text="Shop")]
    edges: list[tuple[Any, ...]] = []
    for i, s in enumerate(middle, start=1):
        screens.append(s)
        edges.append((f"s{i - 1}", s.id, "Next"))
    last = screens[-1].id
    screens.append(screen("done", "/done", heading="Done", text="Thank you"))
    edges.append((last, "done", "Buy $5.00", {"charges": (charge(),)}))
    return graph(screens, edges, kind=kind, profile=profile, **kw)


def password_screen(state: str = "s1", label: str = "Buy $5.00") -> Screen:
    return screen(
        state, "/verify", el(label), el("Next"), heading="Verify it's you", text="Enter your password", fields=PASSWORD
    )


def no_charge(**kw: Any) -> FlowGraph:
    return graph([screen("s0", "/", el("Shop")), screen("s1", "/shop")], [("s0", "s1", "Shop")], **kw)


# ---- registry, kinds, no charge ----
def test_the_purchase_checks_are_registered_with_foundin_their_docs():
    for name in PURCHASE_CHECKS:
        spec = REGISTRY[name]
        assert spec.doc and "Figures" in spec.doc, name
    assert REGISTRY["prechecked_addon"].options["words"]["default"] == []  # the words are the vocabulary's
    assert VOCAB.phrases["addon"][:6] == ("add", "protection", "insurance", "plan", "trial", "membership")  # en first


@pytest.mark.parametrize("name", PURCHASE_CHECKS)
def test_other_kinds_are_inapplicable(name):
    other = no_charge(kind="cancellation", profile="child")
    result = run(name, other)
    assert (result.outcome, result.reason) == ("inapplicable", "a cancellation, not a purchase")


@pytest.mark.parametrize("name", PURCHASE_CHECKS)
def test_no_charge_cannot_tell(name):
    result = run(name, no_charge(profile="child", stop="max_states"))
    assert result.outcome == "incomplete"
    assert result.reason.startswith("no charge was reached (exploration stopped at max_states)")
    assert result.figures == {"states": 2, "stop_reason": "max_states"}


def test_a_goal_reached_with_no_request_seen_marks_the_charge():
    """A static checkout (or a payment SDK in a frame) sends no request the spec can name: the action that
    reached the goal screen is the charge, and the purchase checks judge the path to it as any other."""
    static = graph(
        [screen("s0", "/", el("Buy $5.00"), heading="Shop", text="Shop"), screen("done", "/done", text="Order placed")],
        [("s0", "done", "Buy $5.00")],
    )
    static.mark_goal("done")
    assert only(run("unguarded_charge", static))["label"] == "Buy $5.00"
    assert run("unguarded_charge", no_charge()).outcome == "incomplete"  # no goal, no request: nothing charged


# ---- the gem store ----
def test_gem_store_cheap_items_charge_with_no_password():
    result = run("unguarded_charge", gem_store())
    assert figures(result) == [
        {"price": "0.99 USD", "label": "Buy 100 gems", "path": ["Buy 100 gems"], "charges_without_gate": 3},
        {"price": "$4.99", "label": "Buy 500 gems", "path": ["Buy 500 gems"], "charges_without_gate": 3},
    ]
    evidence = result.violations[0].evidence
    assert (evidence.state, evidence.url, evidence.selector, evidence.label, evidence.path) == (
        "s0",
        H + "/store",
        "#buy-100-gems",
        "Buy 100 gems",
        (),
    )


def test_gem_store_second_dear_purchase_needs_no_password():
    result = run("reauth_window", gem_store())
    assert only(result) == {
        "first_price": "19.99",
        "later_price": "19.99",
        "later_label": "Buy 2000 gems",
        "window_minutes": None,
        "closed_at_minutes": None,
        "measured": False,
    }
    evidence = result.violations[0].evidence
    assert (evidence.state, evidence.selector) == ("s0", "#buy-2000-gems")
    assert evidence.path == ("Buy 2000 gems", "Confirm", "Back to store")


def test_gem_store_reauth_window_uses_the_probe():
    assert only(run("reauth_window", gem_store(window=PROBED))) == {
        "first_price": "19.99",
        "later_price": "19.99",
        "later_label": "Buy 2000 gems",
        "window_minutes": 10,
        "closed_at_minutes": 20,
        "measured": True,
    }


def test_gem_store_child_profile_has_no_parental_gate():
    result = run("parental_gate", gem_store(profile="child"))
    assert figures(result) == [
        {"price": "0.99 USD", "label": "Buy 100 gems", "path": ["Buy 100 gems"]},
        {"price": "$4.99", "label": "Buy 500 gems", "path": ["Buy 500 gems"]},
        {"price": "0.99 USD", "label": "Buy 100 more gems", "path": ["Buy 100 gems", "Buy 100 more gems"]},
    ]
    assert result.violations[2].evidence.state == "s1"
    assert run("parental_gate", gem_store()).outcome == "inapplicable"


def test_gem_store_one_tap_rebuy_shows_no_price_and_no_subscription_is_sold():
    result = run("price_at_confirm", gem_store())
    assert only(result) == {"label": "Buy 100 more gems", "screen": "100 gems added!", "excerpt": "100 gems added!"}
    assert (result.violations[0].evidence.state, result.violations[0].evidence.path) == ("s1", ("Buy 100 gems",))
    assert run("prechecked_addon", gem_store()).figures == {"boxes": 0}
    for name in ("renewal_terms", "express_consent"):
        result = run(name, gem_store())
        assert (result.outcome, result.reason) == (
            "inapplicable",
            "no subscription seen: no screen mentions renewal or a price per period",
        )


def test_charge_price_comes_from_the_body_then_the_label_then_the_screen():
    g = gem_store()
    steps = {a.label: (u, v, a) for u, v, a in g.actions() if a.charges and "@" not in a.key}
    assert charge_price(VOCAB, g, steps["Buy 100 gems"], within=40) == "0.99 USD"  # body: amount field and currency
    assert charge_price(VOCAB, g, steps["Confirm"], within=40) == "19.99"  # body: amount field
    assert charge_price(VOCAB, g, steps["Buy 500 gems"], within=40) == "$4.99"  # the screen's price nearest the label
    assert charge_price(VOCAB, g, steps["Buy 100 more gems"], within=40) == "0.99 USD"
    fair = fair_checkout()
    pay = next(s for s in fair.actions() if s[2].charges)
    assert charge_price(VOCAB, fair, pay, within=40) == "$12.00"  # the label (the body holds no amount)
    priced = one_charge()
    step = next(s for s in priced.actions() if s[2].charges)
    bodied = (
        step[0],
        step[1],
        Action(**{**step[2].__dict__, "charges": (charge('{"total":"5.00","display":"€5.00"}'),)}),
    )
    assert charge_price(VOCAB, priced, bodied, within=40) == "€5.00"  # a price phrase in the body comes first


# ---- unguarded_charge ----
def test_unguarded_charge_passes_behind_a_password():
    assert run("unguarded_charge", one_charge(password_screen())).figures == {"charges": 1, "gates": 1}


def test_unguarded_charge_counts_a_parental_challenge_only_for_a_child():
    challenge = screen("s1", "/grown-ups", el("Next"), el("Buy $5.00"), text="Ask a parent: what is 7 x 8?")
    assert run("unguarded_charge", one_charge(challenge, profile="child")).outcome == "pass"
    assert only(run("unguarded_charge", one_charge(challenge))) == {
        "price": "$5.00",
        "label": "Buy $5.00",
        "path": ["Next", "Buy $5.00"],
        "charges_without_gate": 1,
    }


def test_unguarded_charge_cannot_tell_a_pass_when_exploration_stopped_early():
    result = run("unguarded_charge", one_charge(password_screen(), stop="max_states"))
    assert result.outcome == "incomplete"
    assert result.reason == "every charge found passes a password, but exploration stopped at max_states"


# ---- reauth_window ----
def test_reauth_window_fails_on_the_probe_alone():
    probe = {"probed": True, "trigger": "Buy $5.00", "open_after_minutes": [0, 1], "closed_at_minutes": 5}
    result = run("reauth_window", one_charge(password_screen(), window=probe))
    assert only(result) == {
        "first_price": "$5.00",
        "later_price": None,
        "later_label": "Buy $5.00",
        "window_minutes": 1,
        "closed_at_minutes": 5,
        "measured": True,
    }
    assert result.violations[0].evidence.state == "s1"


def test_reauth_window_passes_when_the_probe_met_the_password_again():
    probe = {"probed": True, "open_after_minutes": [], "closed_at_minutes": 0}
    result = run("reauth_window", one_charge(password_screen(), window=probe))
    assert (result.outcome, result.figures["measured"], result.figures["closed_at_minutes"]) == ("pass", True, 0)


def test_reauth_window_cannot_tell_when_no_second_purchase_was_tried():
    result = run("reauth_window", one_charge(password_screen()))
    assert result.outcome == "incomplete"
    assert result.reason.startswith("no second purchase was tried after the authenticated one")
    failed_probe = {"probed": True, "open_after_minutes": [], "closed_at_minutes": None, "reason": "no way back"}
    assert run("reauth_window", one_charge(password_screen(), window=failed_probe)).outcome == "incomplete"


def test_reauth_window_is_inapplicable_without_an_authenticated_charge():
    result = run("reauth_window", one_charge())
    assert (result.outcome, result.reason) == (
        "inapplicable",
        "no charge was behind a password, so there is no re-authentication to measure",
    )


def test_reauth_window_fails_on_a_later_purchase_from_the_thank_you_screen():
    """Not the probe's repeat: the screen after a dear purchase offers another that charges at once."""
    g = graph(
        [
            screen("s0", "/", el("Buy chest"), text="Chest of gems $49.99"),
            password_screen("s1", "Confirm"),
            screen("s2", "/thanks", el("Buy another chest for $49.99"), text="Thanks!"),
            screen("s3", "/thanks", text="Thanks again!"),
        ],
        [
            ("s0", "s1", "Buy chest"),
            ("s1", "s2", "Confirm", {"charges": (charge('{"amount": 49.99}'),)}),
            ("s2", "s3", "Buy another chest for $49.99", {"charges": (charge(),)}),
        ],
    )
    found = only(run("reauth_window", g))
    assert (found["first_price"], found["later_price"], found["later_label"]) == (
        "49.99",
        "$49.99",
        "Buy another chest for $49.99",
    )
    assert run("unguarded_charge", g).outcome == "pass"  # only reachable through the password


# ---- parental_gate ----
def test_parental_gate_passes_behind_a_parental_challenge():
    challenge = screen("s1", "/grown-ups", el("Buy $5.00"), text="For grown-ups: what is 7 x 8?")
    result = run("parental_gate", one_charge(challenge, profile="child"))
    assert (result.outcome, result.figures) == ("pass", {"charges": 1, "gates": 1})


def test_parental_gate_cannot_tell_a_pass_when_exploration_stopped_early():
    result = run("parental_gate", one_charge(password_screen(), profile="child", stop="timeout"))
    assert result.outcome == "incomplete"


# ---- the fair checkout passes all seven ----
@pytest.mark.parametrize("name", PURCHASE_CHECKS)
def test_fair_checkout_passes(name):
    assert run(name, fair_checkout(profile="child")).outcome == "pass"


def test_fair_checkout_figures():
    g = fair_checkout()
    assert run("unguarded_charge", g).figures == {"charges": 1, "gates": 1}
    assert run("reauth_window", g).figures == {
        "first_price": "$12.00",
        "later_price": None,
        "later_label": None,
        "window_minutes": None,
        "closed_at_minutes": None,
        "measured": False,
        "authenticated": 1,
    }
    assert run("price_at_confirm", g).figures == {"charges": 1, "prices": ["$12.00"]}
    assert run("prechecked_addon", g).figures == {"boxes": 2}
    assert run("renewal_terms", g).figures == {"phrase": "renews automatically", "screen": "Checkout", "charges": 1}
    assert run("express_consent", g).figures == {"label": "I agree to the automatic renewal terms", "charges": 1}
    assert run("parental_gate", g).outcome == "inapplicable"


# ---- the unfair checkout ----
def test_unfair_checkout_fails_the_four():
    g = unfair_checkout()
    addon = run("prechecked_addon", g)
    assert only(addon) == {"label": ADDON, "screen": "Your cart", "price": "$4.99"}
    assert (addon.violations[0].evidence.state, addon.violations[0].evidence.path) == ("s1", ("Add to cart",))
    assert addon.violations[0].evidence.selector == "#add-2-year-protection-plan-4-99-month"
    assert only(run("renewal_terms", g)) == {
        "shown": "after payment",
        "label": "Continue",
        "collapsed_hint": "Terms",
        "seen_on": "Thank you!",
        "subscription": "renews automatically",
    }
    price = run("price_at_confirm", g)
    assert only(price) == {
        "label": "Continue",
        "screen": "Checkout",
        "excerpt": "Card details Name on card Card number Continue",
    }
    assert (price.violations[0].evidence.state, price.violations[0].evidence.path) == (
        "s2",
        ("Add to cart", "Continue"),
    )
    assert only(run("express_consent", g)) == {"label": "Continue", "prechecked": None}
    # and, with no password anywhere, the charge is unguarded; there is nothing to re-authenticate
    assert only(run("unguarded_charge", g))["path"] == ["Add to cart", "Continue", "Continue"]
    assert run("reauth_window", g).outcome == "inapplicable"


def test_prechecked_addon_ignores_a_box_the_user_ticked_and_a_plain_agreement():
    g = graph(
        [
            screen("s0", "/cart", box(ADDON), box("I agree to the membership terms", checked=True), el("Pay $5.00")),
            screen(
                "s1",
                "/cart",
                box(ADDON, checked=True),
                box("I agree to the membership terms", checked=True),
                el("Pay $5.00"),
            ),
            screen("s2", "/done", text="Thanks"),
        ],
        [("s0", "s1", ADDON), ("s1", "s2", "Pay $5.00", {"charges": (charge(),)})],
    )
    assert run("prechecked_addon", g).figures == {"boxes": 2}


def test_prechecked_addon_words_are_an_option():
    g = unfair_checkout(box("Gift wrapping", checked=True))
    assert run("prechecked_addon", g).outcome == "pass"
    assert only(run("prechecked_addon", g, words=["gift"]))["label"] == "Gift wrapping"
    assert only(run("prechecked_addon", unfair_checkout(box("Extended warranty +$29", checked=True))))["price"] == "$29"


def test_renewal_terms_never_shown_and_a_subscription_told_by_its_price_alone():
    g = unfair_checkout(box("Monthly plan $4.99/month", checked=True), thanks="Thank you! Your order is on its way.")
    found = only(run("renewal_terms", g))
    assert found == {
        "shown": "never",
        "label": "Continue",
        "collapsed_hint": "Terms",
        "seen_on": None,
        "subscription": "$4.99/month",
    }


def test_renewal_terms_collapsed_hint_needs_a_closed_toggle():
    open_terms = el("Terms", tag="summary", expanded="true")
    g = graph(
        [
            screen("s0", "/", open_terms, el("More info", expanded="false"), el("Pay"), text="Plan $9.99 per month"),
            screen("s1", "/done", text="Welcome"),
        ],
        [("s0", "s1", "Pay", {"charges": (charge(),)})],
    )
    assert only(run("renewal_terms", g))["collapsed_hint"] == "More info"


def test_express_consent_reports_a_pre_ticked_consent_box():
    g = unfair_checkout(box("I agree that my plan renews automatically", checked=True))
    assert only(run("express_consent", g)) == {
        "label": "Continue",
        "prechecked": "I agree that my plan renews automatically",
    }


def test_express_consent_wants_the_tick_on_the_route_to_the_charge():
    """Ticking an already ticked box, or a box that says nothing of renewal or terms, is no consent."""
    consent = "I agree to the automatic renewal terms"
    g = graph(
        [
            screen("s0", "/", box("Send me news"), box(consent), el("Pay $9.99/month"), text="Plan"),
            screen("s1", "/", box("Send me news", checked=True), box(consent), el("Pay $9.99/month"), text="Plan"),
            screen("s2", "/done", text="Welcome"),
        ],
        [("s0", "s1", "Send me news"), ("s1", "s2", "Pay $9.99/month", {"charges": (charge(),)})],
    )
    assert only(run("express_consent", g)) == {"label": "Pay $9.99/month", "prechecked": None}

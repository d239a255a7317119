"""Which requests are charges: the spec's patterns first, then a purchase flow's shipped defaults
(auditor/charges.yaml), which `--no-default-charges` turns off; the name of the pattern that held it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.charges import ChargeRules, defaults
from auditor.oneoff import init_text
from auditor.spec import FlowSpec, Goal, RequestMatch, SourceRef, load_specs

SHOP = "https://shop.test"


def rules(kind: str = "purchase", **changes: object) -> ChargeRules:
    spec = FlowSpec(name="f", kind=kind, start=f"{SHOP}/", goal=Goal(), source=SourceRef("f.yaml", 1))  # type: ignore[arg-type]
    return ChargeRules.of(replace(spec, **changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "method, url, body, pattern",
    [
        ("POST", "https://api.stripe.com/v1/payment_intents/pi_1/confirm", "", "default: stripe-confirm"),
        ("POST", "https://api-m.paypal.com/v2/checkout/orders/5O1/capture", "", "default: paypal-capture"),
        ("POST", "https://checkout-test.adyen.com/v71/payments", "", "default: adyen-payment"),
        (
            "POST",
            "https://apple-pay-gateway.apple.com/paymentservices/paymentSession",
            "",
            "default: apple-pay-session",
        ),
        ("POST", f"{SHOP}/api/orders", "", "default: same-site-payment-word"),
        ("PUT", f"{SHOP}/cart/placeOrder", "", "default: same-site-payment-word"),  # camelCase names `order`
        ("POST", f"{SHOP}/api/v2/submit", '{"action":"pay_now"}', "default: same-site-payment-word"),  # the body
        ("POST", f"{SHOP}/billing/update", "", "default: same-site-payment-word"),
    ],
)
def test_the_defaults_hold_payment_requests(method: str, url: str, body: str, pattern: str) -> None:
    assert rules().held_by(method, url, body) == pattern


@pytest.mark.parametrize(
    "method, url, body",
    [
        ("GET", f"{SHOP}/checkout", ""),  # reading a page is not paying
        ("POST", f"{SHOP}/api/cart/add", "sku=1"),
        ("POST", f"{SHOP}/login", "user=sam&next=%2Faccount"),
        ("POST", f"{SHOP}/api/payload", "display=1"),  # `pay` inside another word
        ("POST", "https://other.test/api/orders", ""),  # not the flow's site (the scope refuses it anyway)
    ],
)
def test_the_defaults_leave_other_requests_alone(method: str, url: str, body: str) -> None:
    assert rules().held_by(method, url, body) is None


def test_the_spec_comes_first_and_the_defaults_only_guard_purchase_flows_unless_turned_off() -> None:
    own = rules(charges=(RequestMatch("POST", "*/api/orders*"),))
    assert own.held_by("POST", f"{SHOP}/api/orders", "") == "charges: POST */api/orders*"
    assert rules(kind="in_app_purchase").held_by("POST", f"{SHOP}/api/charge", "") is not None
    assert rules(kind="cancellation").held_by("POST", f"{SHOP}/api/orders", "") is None
    off = rules(default_charges=False, charges=(RequestMatch("POST", "*/pay*"),))
    assert off.held_by("POST", f"{SHOP}/api/orders", "") is None and off.held_by("POST", f"{SHOP}/pay", "")
    assert len(defaults().providers) >= 10


def test_the_cli_flag_turns_the_defaults_off() -> None:
    from auditor.cli_session import with_run_options

    spec = FlowSpec(name="f", kind="purchase", start=f"{SHOP}/", goal=Goal(), source=SourceRef("f.yaml", 1))
    assert with_run_options([spec], None, "off", 5.0)[0].default_charges
    assert not with_run_options([spec], None, "off", 5.0, default_charges=False)[0].default_charges
    from auditor.cli import cli

    help_text = CliRunner().invoke(cli, ["audit", "--help"]).output
    assert "--no-default-charges" in help_text


@pytest.mark.parametrize("kind", ["purchase", "in_app_purchase"])
def test_init_for_a_purchase_writes_a_charges_block_that_loads(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(init_text("https://shop.test/", kind, str(path)))
    (spec,) = load_specs([path])
    assert spec.charges and spec.charges[0].method == "POST"
    assert "--no-default-charges" in path.read_text()


def test_the_edge_reads_a_body_sent_as_post_data_entries() -> None:
    import base64

    from auditor.edge import body_of

    entries = [{"bytes": base64.b64encode(b"action=place_")}, {"bytes": base64.b64encode(b"order")}]
    assert body_of({"postDataEntries": [{"bytes": e["bytes"].decode()} for e in entries]}) == "action=place_order"
    assert body_of({"postData": "a=1"}) == "a=1" and body_of({}) is None


def test_a_request_the_edge_cannot_place_goes_to_the_flows_still_running() -> None:
    """An in-process frame's request names a frame no target event placed. Let through, it is logged as sent by
    every open flow whose scope allows it, never by a flow whose context has closed; refused as off-site, it is
    counted for a running flow."""
    from auditor.charges import ChargeRules
    from auditor.edge import Edge, Tenant
    from auditor.spec import FlowSpec, Goal, SourceRef

    class Session:  # the CDP session's one method the edge calls
        def __init__(self) -> None:
            self.calls: list[str] = []

        async def send(self, method: str, params: dict | None = None) -> dict:
            self.calls.append(method)
            return {}

    def tenant(start: str) -> tuple[Tenant, list[tuple[str, str]], list[dict]]:
        spec = FlowSpec(name="f", kind="cancellation", start=start, goal=Goal(), source=SourceRef("f.yaml", 1))
        sent: list[tuple[str, str]] = []
        refused: list[dict] = []
        held = lambda entry, navigation: None  # noqa: E731
        return (
            Tenant(ChargeRules.of(spec), held, lambda e, n: refused.append(e), sent=lambda m, u: sent.append((m, u))),
            sent,
            refused,
        )

    session = Session()
    edge = Edge(session)  # type: ignore[arg-type]
    closed, closed_sent, closed_refused = tenant("https://shop.test/")
    running, running_sent, running_refused = tenant("https://shop.test/")
    other, other_sent, _ = tenant("https://elsewhere.test/")
    closed.open = False
    edge.tenants = {"c1": closed, "c2": running, "c3": other}

    def paused(url: str) -> dict:
        return {
            "requestId": "r",
            "frameId": "in-process",
            "resourceType": "XHR",
            "request": {"method": "POST", "url": url},
        }

    asyncio.run(edge._judge(paused("https://shop.test/api/profile")))
    asyncio.run(edge._judge(paused("https://tracker.test/pixel")))
    assert running_sent == [("POST", "https://shop.test/api/profile")]
    assert closed_sent == [] and other_sent == []
    assert [e["host"] for e in running_refused] == ["tracker.test"] and closed_refused == []
    assert session.calls == ["Fetch.continueRequest", "Fetch.failRequest"]

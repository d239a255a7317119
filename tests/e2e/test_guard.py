"""e2e: the charge guard. Real Chromium pays on a page in every way a page can send a request; the server
on 127.0.0.1 counts what reaches it, and not one charge may arrive."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import async_playwright

from auditor.browser import launch, new_context
from auditor.run import run
from auditor.spec import FlowSpec, Goal, RequestMatch, Secret, SourceRef

pytestmark = pytest.mark.e2e

WAYS = ["Pay by fetch", "Pay by XHR", "Pay by form", "Pay by beacon"]


def _spec(url: str) -> FlowSpec:
    return FlowSpec(
        name="guard",
        kind="purchase",
        start=f"{url}/guard/index.html",
        goal=Goal(),
        source=SourceRef("guard.yaml", 1),
        charges=(RequestMatch("POST", "*/guard/api/charge*"),),
        inputs={"Password": Secret("hunter2-guard")},
    )


async def _pay(url: str) -> tuple[list[dict], list[str]]:
    spec = _spec(url)
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        context, log = await new_context(browser, spec, playwright)
        page = await context.new_page()
        done = []
        for label in WAYS:
            await page.goto(spec.start)
            await page.get_by_role("button", name=label).click()
            await page.wait_for_timeout(300)
            done.append(label)
        await page.goto(spec.start)
        await page.get_by_role("button", name="Pay in frame").click()
        frame = page.frame_locator("iframe")
        await frame.get_by_role("button", name="Pay from frame").click()
        await page.wait_for_timeout(300)
        done.append("frame")
        async with context.expect_page() as popup_info:
            await page.get_by_role("button", name="Pay in popup").click()
        popup = await popup_info.value
        await popup.wait_for_load_state()
        await page.wait_for_timeout(500)
        done.append("popup")
        await page.get_by_role("button", name="Go to checkout").click()
        await page.get_by_role("button", name="Pay after route change").click()
        await page.wait_for_timeout(300)
        done.append("route change")
        await context.close()
        await browser.close()
    return log.charges, done


def test_every_way_of_paying_is_intercepted(sites_server):
    sites_server.clear_hits()
    charges, done = asyncio.run(_pay(sites_server.url))
    assert sites_server.count("/guard/api/charge") == 0  # nothing reached the server
    assert len(charges) >= len(done) == 7
    assert all(c["method"] == "POST" and c["url"].endswith("/guard/api/charge") for c in charges)
    bodies = " ".join(c["body"] for c in charges)
    assert "4242" not in bodies and "hunter2-guard" not in bodies  # card and input values redacted


def test_audit_of_the_guard_page_records_charges_and_sends_none(sites_server, tmp_path):
    sites_server.clear_hits()
    spec = _spec(sites_server.url)
    result = run([spec], tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"]  # a purchase flow's goal is the first intercepted charge
    graph_text = (tmp_path / flow["graph"]).read_text()
    assert '"charges": [\n' in graph_text or '"charges": [{' in graph_text or '"method": "POST"' in graph_text
    assert sites_server.count("/guard/api/charge") == 0
    assert "hunter2-guard" not in graph_text


def test_guard_page_really_charges_without_the_guard(sites_server):
    """The counter works: the same click with no guard does reach the server (so 0 above means something)."""

    from tests.hostile.paysite import click_unguarded

    sites_server.clear_hits()
    click_unguarded(f"{sites_server.url}/guard/index.html", ["Pay by fetch"])
    assert sites_server.count("/guard/api/charge") == 1


def test_third_party_requests_are_refused_and_counted(sites_server, tmp_path):
    """Subresources from hosts outside allow_domains (a pixel, a script, a beacon) are never fetched."""
    from auditor.spec import load_specs
    from tests.conftest import SITES

    sites_server.clear_hits()
    result = run(load_specs([SITES / "thirdparty" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["status"] == "complete" and flow["goal_reached"]
    assert sites_server.count("/thirdparty/index.html") >= 1  # the product itself was served
    assert sites_server.count("/thirdparty/*", host="localhost") == 0  # nothing reached the other host
    assert flow["exploration"]["third_party_blocked"].get("localhost", 0) >= 3


def test_chromiums_cache_keeps_working_behind_the_guard(tmp_path, monkeypatch):
    """The guard is the network edge, not a route (a route turns Chromium's HTTP cache off): a cacheable
    script every page loads reaches the server once per fresh start, not once per page, while pages (not
    cacheable) are fetched as often as they are shown (a fresh start empties the cache: session.forget_user)."""
    from auditor.demo import demo_specs
    from auditor.demo.server import FRAMEWORK_PATH, DemoServer, Weight
    from auditor.spec import load_specs

    with DemoServer(weight=Weight(delay_ms=0, script_kb=64)) as server:
        monkeypatch.setenv("DEMO_URL", server.url)  # for this test only: later tests load the shared demo's specs
        specs = [s for s in load_specs(demo_specs()) if s.name == "iliad-cancel"]
        server.clear_hits()
        flow = run(specs, tmp_path).report["flows"][0]
        pages = sum(1 for h in server.hits if h.path.endswith(".html") or "." not in h.path.rsplit("/", 1)[-1])
        scripts = server.count(FRAMEWORK_PATH)
    x = flow["exploration"]
    assert flow["goal_reached"]
    assert scripts >= 1 and 4 * scripts <= pages  # kept by the browser: not fetched for every page shown
    assert x["requests"]["network"] >= pages  # the edge saw every page, and let it through


def test_requests_are_paced_to_max_rps(sites_server, tmp_path):
    """--max-rps spaces a flow's requests to the site: at one every 2 s (a burst of one), N requests take
    2(N-1) s, where the same flow unpaced takes less than that."""
    from dataclasses import replace

    from auditor.spec import load_specs
    from tests.conftest import SITES

    spec = load_specs([SITES / "tiny" / "flow.yaml"])[0]
    paced = run([replace(spec, max_rps=0.5)], tmp_path / "paced").report["flows"][0]["exploration"]
    free = run([replace(spec, max_rps=0.0)], tmp_path / "free").report["flows"][0]["exploration"]
    sent = paced["requests"]["network"]
    assert sent >= 3 and free["requests"]["network"] == sent
    assert paced["seconds"] >= 2 * (sent - 1) * 0.95  # every request after the first waited its turn
    assert free["seconds"] < 2 * (sent - 1) * 0.95


def test_a_purchase_spec_with_no_charges_places_no_order_on_the_demo_shop(demo_server, tmp_path):
    """Safe by default: the demo shop's purchase flow with its `charges` taken out. The default patterns
    (auditor/charges.yaml) hold its order request; the report names the pattern that held each one."""
    from dataclasses import replace

    from auditor.demo import demo_specs
    from auditor.spec import load_specs

    spec = next(s for s in load_specs(demo_specs()) if s.name == "cartly-purchase")
    demo_server.clear_hits()
    flow = run([replace(spec, charges=())], tmp_path).report["flows"][0]
    assert demo_server.count("/cartly/api/order*") == 0  # not one order reached the shop
    assert flow["goal_reached"] and flow["charges"]  # the order was reached, and held
    assert {c["pattern"] for c in flow["charges"]} == {"default: same-site-payment-word"}
    assert all(c["url"].split("?")[0].endswith("/cartly/api/order") for c in flow["charges"])

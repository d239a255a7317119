"""e2e: the charge guard against a shop that tries every way around it (tests/hostile/paysite.py), in real
Chromium: redirect hops (307 POST to the charge, 302/307 to another host), a beacon and keepalive fetches
sent while the auditor leaves or closes a tab, a SharedWorker, a popup and an iframe that pay. Not one charge,
and not one request to the other host, may reach the server."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from playwright.async_api import async_playwright

from auditor.browser import GuardLog, find_chromium, launch, new_context
from auditor.spec import FlowSpec, Goal, RequestMatch, Secret, SourceRef
from tests.hostile.paysite import CHARGE, PASSWORD, RETRY_AFTER_S, PaySite, click_unguarded

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def paysite():
    with PaySite() as site:
        yield site


def _spec(site: PaySite, *, own: bool) -> FlowSpec:
    """`own`: the spec names its charge and the default patterns are off (so every hop is the spec's to
    catch); else no `charges` at all, and the defaults alone must hold everything."""
    spec = FlowSpec(
        name="paysite",
        kind="purchase",
        start=f"{site.url}/pay/",
        goal=Goal(),
        source=SourceRef("paysite.yaml", 1),
        inputs={"Password": Secret(PASSWORD)},
    )
    if own:
        return replace(spec, charges=(RequestMatch("*", f"*{CHARGE}*"),), default_charges=False)
    return spec


async def _every_way(spec: FlowSpec) -> GuardLog:
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        context, log = await new_context(browser, spec, playwright)
        page = await context.new_page()
        for label in ("Pay through a redirect", "Pay with a form", "Sign in", "Partner offer", "Show badge"):
            await page.goto(spec.start)  # leaving the page before: its pagehide beacons
            await page.get_by_role("button" if label != "Partner offer" else "link", name=label).click()
            await page.wait_for_timeout(400)
        await page.goto(spec.start)
        await page.get_by_role("button", name="Pay in a worker").click()
        await page.wait_for_timeout(800)
        await page.get_by_role("button", name="Pay in a frame").click()
        await page.wait_for_timeout(500)
        async with context.expect_page() as opened:
            await page.get_by_role("button", name="Pay in a popup").click()
        popup = await opened.value
        await popup.wait_for_load_state()
        await page.wait_for_timeout(300)
        await popup.close()  # the auditor leaves the popup: its pagehide and visibilitychange
        await page.close()  # and closes the tab (the frame's unload handlers too)
        last = await context.new_page()
        await last.goto(spec.start)
        await context.close()  # a context closed with a live tab
        await asyncio.sleep(0.5)
        await browser.close()
    return log


@pytest.mark.parametrize("own", [True, False], ids=["spec-charges", "default-patterns"])
def test_no_way_of_paying_reaches_the_server(paysite, own):
    before_charge, before_other = paysite.count(CHARGE), paysite.count(host="localhost")
    log = asyncio.run(_every_way(_spec(paysite, own=own)))
    assert paysite.count(CHARGE) == before_charge  # not one charge arrived
    assert paysite.count(host="localhost") == before_other  # nothing reached the other host
    assert paysite.count("/pay/") > 0  # the shop itself was served
    urls = [str(c["url"]) for c in log.charges]
    bodies = " ".join(str(c["body"]) for c in log.charges)
    assert PASSWORD not in bodies and "4242424242424242" not in bodies
    assert all(c["pattern"] for c in log.charges)  # each says which pattern held it
    if own:  # the spec's pattern held every way, each at its redirect hop or as it left
        for way in ("via=redirect", "way=beacon-pagehide", "way=keepalive-pagehide", "way=keepalive-hidden"):
            assert any(way in url for url in urls), way
        assert any("way=sharedworker" in url for url in urls)
        assert sum("via=redirect" in url for url in urls) >= 4  # fetch, form, popup, frame
    else:
        assert {c["pattern"] for c in log.charges} == {"default: same-site-payment-word"}


def test_the_shop_really_charges_without_the_guard(paysite):
    """The counters work: with no guard, the redirect pays, the sign-in goes to the other host, and closing
    the tab sends its beacons."""
    before_charge, before_other = paysite.count(CHARGE), paysite.count(host="localhost")
    click_unguarded(f"{paysite.url}/pay/", ["Pay through a redirect", "Sign in"])
    assert paysite.count(CHARGE) - before_charge >= 3  # the redirected fetch, then beacons on leaving
    assert paysite.count(host="localhost") > before_other  # the password went to the other host


def test_a_retry_after_pause_holds_the_requests_already_queued(paysite):
    """At --max-rps 1 (a burst of one) a page asks for eight things at once: one leaves, seven queue for their
    turns, a second apart. The first answer is 429 with Retry-After: 3. None of the seven may reach the site
    before the pause ends, though the first two turns came earlier."""
    spec = replace(_spec(paysite, own=True), start=f"{paysite.url}/pay/burst", max_rps=1.0)

    async def burst() -> None:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            context, _ = await new_context(browser, spec, playwright)
            page = await context.new_page()
            await page.goto(spec.start)
            await page.wait_for_timeout(RETRY_AFTER_S * 1000 + 9000)
            await context.close()
            await browser.close()

    asyncio.run(burst())
    busy = [h for h in paysite.hits if h.path == "/pay/busy"]
    assert len(busy) == 8
    first, later = busy[0], busy[1:]
    assert min(h.at for h in later) >= first.at + RETRY_AFTER_S - 0.05  # all waited out the pause


async def _speculate(site: PaySite, *, guarded: bool) -> None:
    """Open both speculating pages (inline rules, and rules named by a `Speculation-Rules` header) and stay a
    while: guarded, as an audit does; else in a stock Chromium launch, as the proof that the rules do fetch."""
    spec = _spec(site, own=True)
    async with async_playwright() as playwright:
        if guarded:
            browser = await launch(playwright)
            context, _ = await new_context(browser, spec, playwright)
        else:
            browser = await playwright.chromium.launch(executable_path=find_chromium(playwright))
            context = await browser.new_context()
        page = await context.new_page()
        for path in ("/pay/speculate", "/pay/speculate-header"):
            await page.goto(f"{site.url}{path}")
            await page.wait_for_timeout(1500)
        await context.close()
        await browser.close()


def test_a_speculation_rule_cannot_fetch_a_charge(paysite):
    """Speculation rules make Chromium's prefetch service fetch, past the route and the edge; the launch
    profile's preloading is off (profile.py), so nothing is prefetched or prerendered at all."""
    before, rules = paysite.count(CHARGE), paysite.count("/pay/rules.json")
    asyncio.run(_speculate(paysite, guarded=True))
    assert paysite.count("/pay/rules.json") > rules  # the header's rules were read: the page did ask
    assert paysite.count(CHARGE) == before


def test_a_speculation_rule_fetches_in_a_stock_chromium(paysite):
    """The counter works: a plain launch prefetches and prerenders the charge, by both kinds of rules."""
    inline, by_header = paysite.count(f"{CHARGE}/inline"), paysite.count(f"{CHARGE}/by-header")
    asyncio.run(_speculate(paysite, guarded=False))
    assert paysite.count(f"{CHARGE}/inline") > inline
    assert paysite.count(f"{CHARGE}/by-header") > by_header


def test_flows_side_by_side_share_one_edge_and_each_keeps_its_own_site(paysite):
    """`--jobs 2`: two flows open their contexts at the same moment, one auditing the shop at 127.0.0.1, the
    other at `localhost`. One edge serves both (a second would pause every request again, and judge the other
    flow's requests by its own scope), and each flow's pages load from its own host, none refused."""
    ours, theirs = _spec(paysite, own=True), replace(_spec(paysite, own=True), start=f"{paysite.other}/pay/")

    async def side_by_side() -> tuple[list[GuardLog], list[str], int]:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            opened = await asyncio.gather(*(new_context(browser, s, playwright) for s in (ours, theirs)))
            titles = []
            for (context, _), spec in zip(opened, (ours, theirs), strict=True):
                page = await context.new_page()
                await page.goto(spec.start)
                titles.append(await page.title())
            edges = len(browser._auditor_edge.result().tenants)  # type: ignore[attr-defined]
            for context, _ in opened:
                await context.close()
            await browser.close()
        return [log for _, log in opened], titles, edges

    before = paysite.count("/pay/", host="localhost")
    logs, titles, tenants = asyncio.run(side_by_side())
    assert tenants == 2  # both contexts admitted at the one edge
    assert all(titles), titles  # each page came from its own host
    assert paysite.count("/pay/", host="localhost") > before
    for log in logs:
        assert not log.blocked and not log.third_party, (log.blocked, log.third_party)

"""e2e: a look at a page waits for its frames to parse their documents (explore/observe.settle).

The page around an iframe can be quiet, with no request in flight, while the frame's document sits unparsed
behind a slow stylesheet (or a large script): probed then, the frame is an empty body and the control in it
(here the only way to cancel) is missing from the screen.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from playwright.async_api import async_playwright

from auditor.browser import launch, new_context
from auditor.explore.observe import observe
from auditor.explore.settle import RequestTracker
from tests.hostile.server import SLOW_CSS_SECONDS, HostileServer
from tests.hostile.test_sites import flow

pytestmark = pytest.mark.e2e


async def _look(url: str, guarded: bool = True) -> tuple[list[tuple[str, str, float]], float]:
    """The (frame, label, font size) of every control on the first look at `url`, and the seconds the look
    took. Unguarded, a frame of another host loads (the guard refuses it)."""
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        context = (await new_context(browser, flow("frames", url), playwright))[0] if guarded else None
        context = context or await browser.new_context()
        page = await context.new_page()
        tracker = RequestTracker(page)
        await page.goto(url, wait_until="domcontentloaded")
        started = time.monotonic()
        obs = await observe(page, tracker, scope=("127.0.0.1",), avoid_selectors=[], settle_cap=4)
        seconds = time.monotonic() - started
        await browser.close()
        return [(e.frame, e.label, e.font_size) for e in obs.elements], seconds


def test_a_control_in_a_frame_still_parsing_is_seen():
    with HostileServer() as server:
        controls, seconds = asyncio.run(_look(f"{server.url}/slowframe/"))
    assert [label for frame, label, _ in controls if frame != "main"] == ["Cancel subscription"]
    assert seconds < 4  # it waited for the frame, not for the cap
    assert seconds > SLOW_CSS_SECONDS / 2


def test_a_frame_of_another_host_that_never_finishes_is_not_waited_for():
    with HostileServer() as server:
        controls, seconds = asyncio.run(_look(f"{server.url}/slowframe/other", guarded=False))
    assert controls == []
    assert seconds < 2  # not the 4 s cap: that frame is not looked into, so not waited for


def test_a_look_waits_for_the_pages_stylesheets():
    """A stylesheet that arrives after the page is quiet (a slow CDN; a guard that holds each request a moment)
    is waited for: measured without it, the "Keep" button is the browser's default 13px and looks weaker than
    the link beside it."""
    with HostileServer() as server:
        controls, seconds = asyncio.run(_look(f"{server.url}/slowstyle/"))
    sizes = {label: size for _, label, size in controls}
    assert sizes["Keep my plan"] == 30
    assert sizes["Cancel anyway"] < 30
    assert SLOW_CSS_SECONDS / 2 < seconds < 4

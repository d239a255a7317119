"""e2e: the page says when it asked for a new window (explore/hooks.js), so the explorer waits for a tab the
browser reports only a moment later (later still on a busy machine) instead of calling the click a no-op."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import async_playwright

from auditor.browser import launch, new_context
from tests.hostile.server import HostileServer
from tests.hostile.test_sites import flow

pytestmark = pytest.mark.e2e

ASKED = "() => window.__auditorHooks.requested()"
PREVENT = "() => document.querySelector('a').addEventListener('click', (e) => e.preventDefault())"
SAME_TAB = "() => document.querySelector('a').setAttribute('target', '_self')"
IN_A_FRAME = """() => {
  document.body.insertAdjacentHTML('beforeend', '<iframe name="status"></iframe>');
  document.querySelector('a').setAttribute('target', 'status');
}"""


async def _asked(url: str, steps: list[str], click: str) -> tuple[int, int, int]:
    """(windows asked for, asked again right after, pages in the context) after running `steps` on `url`
    and clicking `click`."""
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        context, _ = await new_context(browser, flow("windows", url), playwright)
        page = await context.new_page()
        await page.goto(url)
        for script in steps:
            await page.evaluate(script)
        await page.click(click)
        asked = await page.evaluate(ASKED)
        again = await page.evaluate(ASKED)
        await asyncio.sleep(0.5)
        pages = len(context.pages)
        await browser.close()
        return asked, again, pages


@pytest.fixture(scope="module")
def hostile():
    with HostileServer() as server:
        yield server


def test_a_link_aimed_at_a_new_tab_is_a_request(hostile):
    assert asyncio.run(_asked(f"{hostile.url}/popup/", [], "a")) == (1, 0, 2)


def test_window_open_is_a_request(hostile):
    assert asyncio.run(_asked(f"{hostile.url}/popup/manage", [], "button")) == (1, 0, 2)


def test_a_prevented_same_tab_or_frame_link_is_not(hostile):
    assert asyncio.run(_asked(f"{hostile.url}/popup/", [PREVENT], "a")) == (0, 0, 1)
    assert asyncio.run(_asked(f"{hostile.url}/popup/", [SAME_TAB], "a")) == (0, 0, 1)
    assert asyncio.run(_asked(f"{hostile.url}/popup/", [IN_A_FRAME], "a")) == (0, 0, 1)  # window.status: a string

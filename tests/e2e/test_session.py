"""e2e: a fresh start forgets the user. Later starts keep the browser context (a new one costs a renderer
process) but must leave nothing of the user before: cookies, local and session storage, IndexedDB, the tab's
history and window.name, the tabs it opened."""

from __future__ import annotations

import asyncio
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from auditor.browser import launch
from auditor.explore.events import Journal
from auditor.explore.session import Session
from auditor.explore.stats import Stats
from auditor.scope import scope_of
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e

REMEMBER = """async () => {
  localStorage.setItem('user', 'before');
  sessionStorage.setItem('user', 'before');
  document.cookie = 'user=before; max-age=3600; path=/';
  await new Promise((done) => {
    const r = indexedDB.open('user-db', 1);
    r.onsuccess = () => { r.result.close(); done(); };
  });
  history.pushState({}, '', '#step-2');
  window.name = 'user-before';
}"""
RECALL = """async () => ({
  local: localStorage.getItem('user'),
  session: sessionStorage.getItem('user'),
  cookie: document.cookie,
  databases: (await indexedDB.databases()).map((d) => d.name),
  history: navigation.entries().length,
  name: window.name,
})"""


def test_a_fresh_start_forgets_the_user(sites_server, monkeypatch):
    monkeypatch.setenv("SITES_URL", sites_server.url)
    spec = load_specs([SITES / "tiny" / "flow.yaml"])[0]

    async def starts() -> tuple[dict, dict, Stats]:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            stats = Stats()
            session = Session(playwright, browser, spec, scope_of(spec), Journal(), stats)
            await session.open()
            assert session.page is not None
            await session.page.evaluate(REMEMBER)
            before = await session.page.evaluate(RECALL)
            assert session.context is not None
            await session.context.new_page()  # a tab the user opened
            pages_before = len(session.context.pages)
            await session.open()
            after = await session.page.evaluate(RECALL)
            pages = len(session.context.pages) if session.context else 0
            await session.close()
            await browser.close()
            return {**before, "pages": pages_before}, {**after, "pages": pages}, stats

    before, after, stats = asyncio.run(starts())
    assert before["local"] == before["session"] == "before" and "user=before" in before["cookie"]
    assert "user-db" in before["databases"] and before["history"] == 2
    assert before["name"] == "user-before" and before["pages"] == 2
    assert after == {
        "local": None,
        "session": None,
        "cookie": "",
        "databases": [],
        "history": 1,
        "name": "",
        "pages": 1,
    }
    assert stats.contexts == 1  # the same context, with the user forgotten


class _Account(BaseHTTPRequestHandler):
    """An account page the server lets the browser keep for ten minutes (`private, max-age`), numbered by
    how often it was served."""

    served = 0

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path != "/account":
            self.send_error(404)
            return
        type(self).served += 1
        body = f"<!doctype html><title>Account</title><h1>Account</h1><p>visit {self.served}</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "private, max-age=600")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_fresh_start_never_shows_the_last_users_cached_page(tmp_path: Path):
    """Chromium's HTTP cache works behind the guard, so a fresh start must empty it too: a page the server let
    the last user's browser keep is that user's, and the new user gets it from the server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Account)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start = f"http://127.0.0.1:{server.server_address[1]}/account"
    flow = tmp_path / "flow.yaml"
    flow.write_text(f"flows:\n  - name: cached\n    kind: cancellation\n    start: {start}\n    goal: {{text: done}}\n")
    spec = load_specs([flow])[0]

    async def starts() -> list[str]:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            session = Session(playwright, browser, spec, scope_of(spec), Journal(), Stats())
            seen = []
            for _ in range(2):
                obs = await session.open()
                seen.append(obs.text)
                assert session.page is not None
                await session.page.goto(start)  # the same user: the browser's cache answers
            await session.close()
            await browser.close()
            return seen

    try:
        first, second = asyncio.run(starts())
    finally:
        server.shutdown()
        server.server_close()
    assert "visit 1" in first and "visit 2" in second
    assert _Account.served == 2  # the reloads came from the cache: it does work


def test_a_page_the_back_forward_cache_gives_back_settles_at_once(sites_server, monkeypatch):
    """Back to the start page by history: the back-forward cache gives it back parsed long ago, with no new
    DOMContentLoaded. The look after it is settled (not cut at the settle cap, as a wait for that event was)."""
    monkeypatch.setenv("SITES_URL", sites_server.url)
    spec = load_specs([SITES / "tiny" / "flow.yaml"])[0]

    async def back() -> tuple[object, str, str]:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            session = Session(playwright, browser, spec, scope_of(spec), Journal(), Stats())
            await session.open()
            assert session.page is not None
            entry = await session.page.evaluate("navigation.currentEntry.key")
            async with session.page.expect_navigation():
                await session.page.click("a[href='settings.html']")
            obs = await session.back_to(entry)
            await session.close()
            await browser.close()
            return (obs.unsettled if obs else "not back", obs.url if obs else "", spec.start)

    unsettled, url, start = asyncio.run(back())
    assert unsettled is None
    assert url == start


def test_a_page_that_replaced_json_is_still_read_whole(sites_server, monkeypatch):
    """The page replaced JSON.stringify and gave arrays a toJSON (an old Prototype.js): the probe's record,
    sent as JSON, comes back wrong, and is asked for again through Playwright's own serialization."""
    monkeypatch.setenv("SITES_URL", sites_server.url)
    spec = load_specs([SITES / "oldlib" / "flow.yaml"])[0]

    async def look() -> list[str]:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            session = Session(playwright, browser, spec, scope_of(spec), Journal(), Stats())
            obs = await session.open()
            await session.close()
            await browser.close()
            return [e.label for e in obs.elements]

    labels = asyncio.run(look())
    assert "Cancel subscription" in labels and "Help" in labels


WRITES = {
    "local storage": "() => localStorage.setItem('plan', 'reading')",
    "session storage": "() => sessionStorage.setItem('basket', '2')",
    "a cookie": "() => { document.cookie = 'plan=reading; path=/'; }",
    "IndexedDB": """() => new Promise((done) => {
        const r = indexedDB.open('plan-db', 1);
        r.onsuccess = () => { r.result.close(); done(); };
    })""",
    "a POST": "() => fetch('settings.html', {method: 'POST', body: 'x'}).then(() => null, () => null)",
    # kept while its document lives (it goes with it): looked at before the page is left
    "a shared worker": "() => { try { new SharedWorker('data:text/javascript,onconnect=()=>0'); } catch (e) {} }",
}


@pytest.mark.parametrize("how", sorted(WRITES))
def test_what_a_page_stores_or_sends_makes_the_user_no_new_user(sites_server, monkeypatch, how):
    """userdata.py: after the start the user is pristine; a page script storing anywhere (IndexedDB too, which
    the probe does not read, and with the page left at once; a shared worker's memory) or sending a POST makes
    it not, until the next fresh start."""
    monkeypatch.setenv("SITES_URL", sites_server.url)
    spec = load_specs([SITES / "tiny" / "flow.yaml"])[0]

    async def write() -> tuple[bool, bool, str | None, bool]:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            session = Session(playwright, browser, spec, scope_of(spec), Journal(), Stats())
            await session.open()
            assert session.page is not None
            at_start = session.user.pristine
            await session.page.evaluate(WRITES[how])
            session.changed_by(session.drain("test")[2])
            if how == "a shared worker":
                await session.observe()
            async with session.page.expect_navigation():  # leave the page that wrote, as a click would
                await session.page.click("a[href='settings.html']")
            obs = await session.observe()
            await session.read_cookies()
            after, why = session.user.pristine, session.user.change
            await session.open()
            again = session.user.pristine
            await session.close()
            await browser.close()
            return at_start, after and bool(obs.url), why, again

    at_start, after, why, again = asyncio.run(write())
    assert at_start and not after and again, (how, why)

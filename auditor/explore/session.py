"""The browser session of one flow: its context and page, the popups it follows, the charge guard's log, the
request tracker, and screenshots. Everything the explorer does to a page goes through here, so the loop and
the restorer never hold Playwright objects of their own.

A session starts afresh (a new tab, no cookies, no stored data: a fresh user, see `open`) whenever a replay
needs a clean start; `tainted` says whether the user changed server state since (a non-GET request that was
not an intercepted charge), which decides whether a URL can be trusted to show a recorded screen again.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, BrowserContext, Page, Playwright
from playwright.async_api import Error as PlaywrightError

from auditor.browser import GuardLog, new_context
from auditor.classify import Vocabulary
from auditor.errors import first_line
from auditor.explore import shots, signin, timers, walls
from auditor.explore.act import Outcome, click_again, perform
from auditor.explore.events import ContextWatch, Journal
from auditor.explore.glimpses import Glimpses
from auditor.explore.loading import goto, load_start
from auditor.explore.observe import Observation, control_of, observe
from auditor.explore.settle import RequestTracker, changes_late
from auditor.explore.setup import run_setup
from auditor.explore.states import Look
from auditor.explore.stats import Stats
from auditor.explore.trace import Tracer
from auditor.explore.userdata import UserData
from auditor.records import Control
from auditor.spec import FlowSpec

LATE_CHANGE_MS = 600  # after a click that changed nothing, how long to watch for a delayed effect
# Go to another entry of this page's history (the Navigation API's key), if the page has it; True when the
# traversal started. A failed traversal rejects its promises: they are caught so the page logs nothing.
TRAVERSE_JS = """(key) => {
  const nav = window.navigation;
  if (!nav || !nav.currentEntry || nav.currentEntry.key === key) return false;
  if (!nav.entries().some((e) => e.key === key)) return false;
  const done = nav.traverseTo(key);
  done.committed.catch(() => {});
  done.finished.catch(() => {});
  return true;
}"""
AT_ENTRY_JS = "(key) => !!(window.navigation && navigation.currentEntry && navigation.currentEntry.key === key)"

Drained = tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[str, str]]]  # charges, blocked, requests


class Session:
    """One flow's context and page; reopened for every fresh start."""

    def __init__(
        self, playwright: Playwright, browser: Browser, spec: FlowSpec, scope: Any, journal: Journal, stats: Stats
    ) -> None:
        self.playwright, self.browser, self.spec, self.scope = playwright, browser, spec, scope
        self.journal, self.stats = journal, stats
        self.avoid_selectors = [a[4:] for a in spec.explore.avoid if a.startswith("css=")]
        self.context: BrowserContext | None = None
        self.watch: ContextWatch | None = None
        self.page: Page | None = None
        self.tracker: RequestTracker | None = None
        self.guard: GuardLog | None = None
        self.third_party: Counter[str] = Counter()  # hosts outside allow_domains whose requests were refused
        self.sent = 0  # requests the guard let through (Chromium's own cache may have answered some)
        self.tainted = False  # a state-changing request happened in this context
        self.cookies = signin.Cookies()  # the user's cookies since the fresh start: was the session lost? (signin.py)
        self.user = UserData()  # whether the user still holds only what a new one does (userdata.py)
        self.start_status = walls.StartStatus()  # what the start URL answered on the latest start (walls.py)
        self.tracer = Tracer()  # a Playwright trace of each context, when the run asks for one (trace.py)
        self.glimpses = Glimpses()  # what the pages said for a moment (toasts, live regions; glimpses.py)
        # what a chat's message box is told, by the page's language (a cancellation's request; the explorer sets it)
        self.say: Callable[[str], str | None] = lambda lang: None

    async def open(self, *, check_status: bool = False) -> Observation:
        """A fresh start: a new user (no cookies, no stored data) in a new tab, the setup steps, then the start
        URL; the first look at it (after its short timers: a splash that moves on by itself).

        The first start makes the context: the guard, the page clock (so short timers can be run forward and
        a probe can move time instead of waiting: timers.py), the dialog watch. Later starts keep it and forget
        the user instead (`forget_user`): a new context costs a renderer process and about a second of CPU, more
        than the page loads of a replay. A saved session (storage_state) is the user: a new context loads it."""
        if self.context is None or self.spec.storage_state or not await self._forget():
            await self._new_context()
        assert self.context is not None
        self.page = await self.context.new_page()
        await close_all_but(self.context, self.page)  # the tabs of the user before
        self.tracker = RequestTracker(self.page)
        self.tainted = False
        self.cookies.fresh()
        self.user.fresh()
        await run_setup(self.page, self.spec)
        timeouts = self.spec.explore.timeouts
        try:
            response = await load_start(
                self.page, self.spec.start, timeouts.navigation, timeouts.settle, check_status=check_status
            )
            self.start_status = await walls.start_status(response)
        finally:
            self.drain("while the start page loaded")
        obs = await self._patiently(await self.observe())
        self.drain("while the start page loaded")
        await self.read_cookies()  # what the user holds at the start
        return obs

    async def read_cookies(self) -> None:
        assert self.context is not None
        await self.cookies.dropped(self.context)
        self.user.cookies(self.cookies.jar)

    async def _forget(self) -> bool:
        assert self.context is not None and self.guard is not None
        problem = await forget_user(self.context, self.page, self.guard.origins)
        if problem is not None:
            self.journal.note(f"could not clear the browser's data for a fresh start ({problem}); made a new context")
        return problem is None

    async def _new_context(self) -> None:
        await self.close()
        self.stats.contexts += 1
        self.context, self.guard = await new_context(self.browser, self.spec, self.playwright)
        await self.tracer.started(self.context)
        self.watch = ContextWatch(self.context, self.journal)  # before the first page: its dialogs too
        await timers.install(self.context)
        await self.glimpses.install(self.context)
        self.context.set_default_timeout(self.spec.explore.timeouts.action * 1000)

    async def goto(self, url: str) -> Observation:
        """Load a URL in this context and look at it (raises PlaywrightError when it cannot be loaded)."""
        assert self.page is not None
        timeouts = self.spec.explore.timeouts
        await goto(self.page, url, timeouts.navigation, timeouts.settle)
        return await self.observe()

    async def back_to(self, entry: str) -> Observation | None:
        """Go back (or forward) in this page's history to `entry`, as the browser's back button does, and look.
        A page kept in the back-forward cache comes back as it was left, with no request; else the browser
        loads the entry again. None when the page has no such entry or did not get there in time."""
        assert self.page is not None
        try:
            if not await self.page.evaluate(TRAVERSE_JS, entry):
                return None
        except PlaywrightError:
            return None
        deadline = time.monotonic() + self.spec.explore.timeouts.navigation
        while time.monotonic() < deadline:
            with suppress(PlaywrightError):  # the old document may go away while we ask
                if await self.page.evaluate(AT_ENTRY_JS, entry):
                    return await self.observe()
            await asyncio.sleep(0.02)
        return None

    async def observe(self) -> Observation:
        assert self.page is not None and self.tracker is not None
        with self.stats.timed("observe"):
            obs = await observe(
                self.page,
                self.tracker,
                scope=self.scope,
                avoid_selectors=self.avoid_selectors,
                settle_cap=self.spec.explore.timeouts.settle,
            )
        self.user.looked(obs.stored, obs.opaque)
        return obs

    def drain(self, where: str) -> Drained:
        """The guard's log since the last drain; blocked off-site navigations also go into the journal."""
        assert self.guard is not None
        charges, blocked, requests = self.guard.drain()
        for entry in blocked:
            self.journal.blocked_navigation(entry, where)
        return charges, blocked, requests

    def changed_by(self, requests: list[tuple[str, str]]) -> None:
        """After an action: a non-GET request that reached the server changed its state in this context
        (intercepted charges never reached it, so they are not in `requests`)."""
        if any(m != "GET" for m, _ in requests):
            self.tainted = True
        self.user.sent(m for m, _ in requests)

    async def act(self, before: Observation, element: Control, *, decline: bool = False) -> tuple[Outcome, Observation]:
        """Perform one action and look again; when nothing changed, watch briefly for a late effect (a
        timer that navigates, a slow render) before calling it a no-op. With `decline`, a confirm() the
        action raises is answered Cancel instead of OK. What the page said for a moment on the way (a toast
        gone by the look) goes on the look as `glimpses`."""
        assert self.page is not None and self.watch is not None
        mark = self.glimpses.mark()
        self.watch.decline_confirm = decline
        try:
            with self.stats.timed("act"):
                outcome = await perform(
                    before, element, self.spec.inputs, self.spec.explore.timeouts.action, self.say(before.lang)
                )
        finally:
            self.watch.decline_confirm = False
        await self._adopt_popup(before)
        obs = await self._patiently(await self.observe())
        unchanged = Look.of(obs).fingerprint == Look.of(before).fingerprint
        # a tick or a choice takes effect at once; a click may navigate later, unless it already has
        late = element.kind == "click" and obs.document_id == before.document_id
        if late and not outcome.error and unchanged:
            assert self.tracker is not None
            changed, ran = await changes_late(self.page, self.tracker, LATE_CHANGE_MS)
            self.stats.virtual_ms += ran
            if await self._adopt_popup(before) or changed:  # a tab may open a moment after the click
                obs = await self.observe()
                unchanged = Look.of(obs).fingerprint == Look.of(before).fingerprint
            if unchanged and outcome.replaced:
                obs = await self._click_again(before, element, obs)
        obs.glimpses = self.glimpses.since(mark, obs)
        await self.read_cookies()
        return outcome, obs

    async def act_on(self, obs: Observation, key: str) -> tuple[Outcome, Observation] | None:
        """The action with this key (a control, maybe with its confirm() declined); None when the page does
        not show the control."""
        element = obs.find(key)
        if element is None:
            return None
        return await self.act(obs, element, decline=control_of(key)[1])

    async def _patiently(self, obs: Observation) -> Observation:
        """The screen a patient user would see: when a short timer is pending (or an interval ticks while a
        control is disabled, a countdown), run it forward in virtual time and look again; the screen before
        it becomes `interim`, seen on the way."""
        assert self.page is not None
        found = obs.pending  # read by the probe in the same look (timers.py's ledger)
        if not found:
            return obs
        countdown = bool(found.get("intervals")) and any(e.visible and not e.enabled for e in obs.elements)
        if found.get("soonest") is None and not countdown:
            return obs
        with self.stats.timed("timers"):
            ran = await timers.run_forward(self.page, countdown=countdown)
        if not ran:
            return obs
        self.stats.virtual_ms += ran
        await self._adopt_popup(obs)
        later = await self.observe()
        if Look.of(later).fingerprint != Look.of(obs).fingerprint:
            later.interim = [*obs.interim, obs.summary]
        return later

    async def _click_again(self, before: Observation, element: Control, obs: Observation) -> Observation:
        """The click changed nothing and its node was re-rendered meanwhile: it was probably lost (see
        act.click_again). Click once more, in place, and look again."""
        problem = await click_again(before, element, self.spec.explore.timeouts.action)
        if problem is not None:
            self.journal.note(f"{element.label!r} was re-rendered during the click; clicking again failed: {problem}")
            return obs
        self.journal.note(f"{element.label!r} was re-rendered during the click and was clicked again in place")
        await self._adopt_popup(before)
        return await self.observe()

    async def _adopt_popup(self, before: Observation) -> bool:
        """A control that opened its next step in a new tab or window: follow the newest one, close the rest
        (the page it was clicked on included). True when the page changed. When that may not be the flow's
        next step (several windows opened at once, a popup storm; or the tab had moved on by itself, so it
        held the step and the window is an extra, an ad), the replaced tab is recorded: the flow was not seen
        through."""
        assert self.page is not None and self.watch is not None
        opened = await self.watch.opened_by(self.page, self.spec.explore.timeouts.action)
        if not opened:
            return False
        old, self.page = self.page, opened[-1]
        self.tracker = RequestTracker(self.page)
        moved = await moved_on(old, before)
        if len(opened) > 1 or moved:
            why = f"{len(opened)} windows opened at once" if len(opened) > 1 else "the tab had moved on itself"
            self.journal.replaced_tab({"replaced": old.url, "was": before.url, "url": self.page.url, "why": why})
        else:
            self.journal.note(f"followed a new tab or window opened from {old.url}")
        for page in (old, *opened[:-1]):
            with suppress(PlaywrightError):
                await page.close()
        return True

    async def check_signed_in(self, vocab: Vocabulary, obs: Observation, after: str, goal: bool) -> None:
        """After an action: record a lost session when the site dropped cookies and shows a login screen."""
        assert self.context is not None
        lost = signin.lost_session(vocab, obs, self.cookies.lost, after)
        if lost and not goal:
            self.journal.lost_session(lost)

    async def screenshot(self, path: Path, obs: Observation) -> bool:
        """The screen's screenshot (shots.py); False when the browser could not take it (recorded as a failure)."""
        return self.page is not None and await shots.screen(self.page, path, obs.url, self.stats, self.journal)

    async def close(self) -> None:
        if self.guard is not None:
            self.third_party.update(self.guard.third_party)
            self.guard.third_party.clear()
            self.sent += self.guard.sent
            self.guard.sent = 0
        if self.context is not None:
            await self.tracer.stopped(self.context)
            with suppress(PlaywrightError):
                await self.context.close()
        self.context = self.page = self.tracker = self.watch = None


async def moved_on(page: Page, before: Observation) -> bool:
    """Whether the tab left the screen `before` was looked at on: another URL, or another document (the
    probe's token), or gone."""
    try:
        if page.url != before.url:
            return True
        return bool(await page.evaluate("() => window.__auditorDocument || null") != before.document_id)
    except PlaywrightError:
        return True


async def forget_user(context: BrowserContext, page: Page | None, origins: set[str]) -> str | None:
    """Make a context hold what a new one would for its next tab: no cookies, and nothing stored for any
    origin the user visited (local and session storage, IndexedDB, caches: CDP's Storage.clearDataForOrigin,
    "all"), and an empty HTTP cache: that call leaves it, and a page the server let the browser keep
    (`Cache-Control: private, max-age`: an account page) would show the last user's data to the new one.
    Its pages close when the new tab opens (`Session.open`). What is kept is not the user's: the guard, the
    page clock, the init scripts. The browser's complaint when it refused (a new context must be made then),
    else None."""
    try:
        blank = page if page is not None and not page.is_closed() else await context.new_page()
        cdp = await context.new_cdp_session(blank)
        for origin in sorted(origins):
            await cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        await cdp.send("Network.clearBrowserCache")  # this context's cache (each context has its own)
        await cdp.detach()
        await context.clear_cookies()
    except PlaywrightError as exc:
        return first_line(exc)
    return None


async def close_all_but(context: BrowserContext, keep: Page) -> None:
    """Close every page of the context but `keep`."""
    for page in context.pages:
        if page is not keep:
            with suppress(PlaywrightError):
                await page.close()

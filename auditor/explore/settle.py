"""Waiting until a page is ready to be looked at: loaded, its requests answered, its styles applied, its DOM
quiet and its enter animations over (`settle`), and watching for a late change after a click that changed
nothing (`changes_late`)."""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request

from auditor.scope import host_allowed

# One look's wait, in the page, in one evaluation (each evaluation is a round trip through Playwright's driver,
# and a look used to make four): a document still being parsed answers "loading" at once (the caller waits for
# it); then, within `cap` ms in all:
# - the page's stylesheets that have not arrived yet (a browser paints nothing before its head stylesheets
#   load, so no user ever sees the page unstyled): a look never measures the prominence of a page without its
#   styles (a "Keep" button at the browser's default 13px beside a 16px link). A sheet that failed (a resource
#   entry, no `sheet`) is not waited for; nor are alternate or disabled ones;
# - a DOM mutation-quiet window. The auditor's own waits use the timers the ledger (timers.py) does not count,
#   so they never look like the page's pending work. A page with nothing under way that could still change it
#   (loaded, no timer due within the window, no interval ticking that fast, no animation frame asked for,
#   nothing animating) is only watched for a glimpse (`glimpse` ms: the render a click's handler queued); any
#   change in it and the whole quiet window is waited, as for a page with work under way;
# - with `animations`, the enter animations and transitions that end (a dialog fading and sliding in, a step's
#   card moving into place), so a look never catches a screen half-way in: its controls at opacity 0 or off
#   their place. Endless ones (a spinner, a pulsing badge) are not waited for: they never end.
# It resolves [calm, animated]: whether the quiet window came, and "none", "ended" or "" (not asked); a cap
# spent gives [false, "cap"]. Requests in flight are the caller's (RequestTracker).
SETTLE_JS = """([quiet, glimpse, cap, animations]) => new Promise((resolve) => {
  if (document.readyState === 'loading') { resolve('loading'); return; }
  const t = window.__auditorTimers || window;
  const stops = [];
  let over = false;
  const finish = (value) => {
    if (over) return;
    over = true;
    t.clearTimeout(capTimer);
    stops.forEach((stop) => stop());
    resolve(value);
  };
  const capTimer = t.setTimeout(() => finish([false, 'cap']), cap);
  const styles = (next) => {
    const fetched = new Set(performance.getEntriesByType('resource').map((e) => e.name));
    const pending = [...document.querySelectorAll('link[rel~="stylesheet" i]')].filter((l) =>
      !l.sheet && !l.disabled && !/\\balternate\\b/i.test(l.rel) && l.href && !fetched.has(l.href));
    if (!pending.length) { next(); return; }
    Promise.all(pending.map((l) => new Promise((r) => {
      l.addEventListener('load', r, {once: true});
      l.addEventListener('error', r, {once: true});
    }))).then(() => { if (!over) next(); });
  };
  const calmly = (next) => {
    const idle = () => {
      const due = window.__auditorPending ? window.__auditorPending(quiet + glimpse) : null;
      return !!due && !due.waiting && !due.intervals && !due.frames && document.readyState === 'complete'
        && !(document.getAnimations && document.getAnimations().some((a) => a.playState === 'running'));
    };
    let timer = null;
    const done = () => { obs.disconnect(); window.removeEventListener('load', loaded); next(); };
    const wait = (ms) => { t.clearTimeout(timer); timer = t.setTimeout(done, ms); };
    const loaded = () => { if (idle()) wait(glimpse); };  // loaded within the window: a glimpse from then on
    const obs = new MutationObserver(() => wait(idle() ? glimpse : quiet));
    stops.push(() => { t.clearTimeout(timer); obs.disconnect(); window.removeEventListener('load', loaded); });
    obs.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
    if (document.readyState !== 'complete') window.addEventListener('load', loaded);
    wait(idle() ? glimpse : quiet);
  };
  const animated = () => {
    if (!animations) { finish([true, '']); return; }
    const ending = !document.getAnimations ? [] : document.getAnimations().filter((a) => a.playState === 'running'
      && a.effect && Number.isFinite(a.effect.getComputedTiming().endTime));
    if (!ending.length) { finish([true, 'none']); return; }
    Promise.all(ending.map((a) => a.finished.catch(() => null))).then(() => finish([true, 'ended']));
  };
  styles(() => calmly(animated));
})"""


# Watched only while something is under way that could still change the page: a timer or interval due within
# the watch (the ledger of timers.py, overdue ones too), a running animation or transition. A page with none
# of these changes later only on a request, which the settle before the look already waits for. With timers
# only, the watch is set and the page clock is run forward over it ("timers"); a running animation does not
# run on the page clock, so it is watched in real time.
LATE_WATCH_JS = """(ms) => new Promise((resolve) => {
  if (!window.__auditorRegistry) { resolve(true); return; }  // a document the probe never saw: it navigated
  const due = window.__auditorPending ? window.__auditorPending(ms) : null;
  const timers = !due || due.waiting > 0 || due.intervals > 0;
  const moving = document.getAnimations ? document.getAnimations().some((a) => a.playState === 'running') : true;
  if (!timers && !moving) { resolve(false); return; }
  const late = {changed: false};
  const obs = new MutationObserver(() => { late.changed = true; obs.disconnect(); });
  obs.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  late.stop = () => { obs.disconnect(); return late.changed; };
  if (due && !moving) {
    Object.defineProperty(window, '__auditorLate', {value: late, configurable: true});
    resolve('timers');
    return;
  }
  (window.__auditorTimers || window).setTimeout(() => resolve(late.stop()), ms);
})"""
LATE_SEEN_JS = "() => { const late = window.__auditorLate; delete window.__auditorLate; return !late || late.stop(); }"


async def changes_late(page: Page, tracker: RequestTracker, ms: int) -> tuple[bool, int]:
    """Did the page change within `ms` (a script that navigates or renders after a delay)? A document the
    probe never looked at (one that a timer navigated to before this watch began) is a change too. Also the
    milliseconds run forward on the page clock instead of waited (0 when the watch took real time)."""
    try:
        found = await page.evaluate(LATE_WATCH_JS, ms)
        if found != "timers":
            return bool(found), 0
        await page.clock.run_for(ms)
        changed = bool(await page.evaluate(LATE_SEEN_JS))
    except PlaywrightError:
        return True, 0  # the document went away: a navigation started
    return changed or bool(tracker.inflight), ms  # a timer that sent a request: its answer may change the page


class RequestTracker:
    """Counts a page's in-flight requests so settling waits for fetches that will re-render the screen."""

    def __init__(self, page: Page) -> None:
        self.inflight: set[Request] = set()
        self.status: int | None = None  # HTTP status of the last main-frame document
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)
        page.on("response", self._response)
        self.page = page

    def _start(self, request: Request) -> None:
        if request.resource_type in ("document", "xhr", "fetch", "script"):
            self.inflight.add(request)

    def _end(self, request: Request) -> None:
        self.inflight.discard(request)

    def _response(self, response: Any) -> None:
        request = response.request
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            self.status = response.status

    def describe_inflight(self, limit: int = 3) -> str:
        urls = sorted(r.url for r in self.inflight)
        more = f" and {len(urls) - limit} more" if len(urls) > limit else ""
        return ", ".join(u[:120] for u in urls[:limit]) + more

    async def idle(self, deadline: float) -> None:
        while self.inflight and time.monotonic() < deadline:
            await asyncio.sleep(0.02)


async def settle(
    page: Page,
    tracker: RequestTracker,
    cap: float,
    scope: tuple[str, ...] = (),
    quiet_ms: int = 120,
    glimpse_ms: int = 25,
) -> str | None:
    """Wait for in-flight requests, then (SETTLE_JS) for the document to be parsed, the page's stylesheets, a
    DOM mutation-quiet window (`quiet_ms`, or a `glimpse_ms` one for a page with nothing under way) and its enter
    animations; never longer than `cap` seconds. A page the back-forward cache gives back (a restore by history)
    was parsed long ago and fires no DOMContentLoaded again, so the document is asked first: Playwright's own
    wait for that event would wait out the whole cap (measured: 3 s on each of 9 history restores of a flow).
    Returns None when the page went quiet, else why it did not (a page that never settles is still probed, once
    the cap is spent, and the reason is recorded rather than waited out again and again)."""
    deadline = time.monotonic() + cap
    reason = "it was still loading"
    animated = ""  # what became of the enter animations running after the quiet window (SETTLE_JS)
    while time.monotonic() < deadline:
        try:
            reason = "it was still loading"
            await tracker.idle(deadline)
            left = int(max(deadline - time.monotonic(), 0.05) * 1000)
            waited = await page.evaluate(SETTLE_JS, [quiet_ms, glimpse_ms, left, not animated])
            if waited == "loading":  # still parsed: Playwright's wait survives the document being replaced
                left = int(max(deadline - time.monotonic(), 0.05) * 1000)
                await page.wait_for_load_state("domcontentloaded", timeout=left)
                continue
            calm, ended = waited
            if not animated:  # once per settle: a page that animates on and on is not waited out
                animated = ended
                if animated == "ended":
                    continue  # what their end changed gets a quiet window of its own
            calm = calm and ended != "cap"
            if await _frame_parsed(page, deadline, scope):
                continue  # a frame was still parsing its document: look for a quiet window again
            if not tracker.inflight:
                return None if calm else "its content kept changing"
            reason = f"requests were still in flight ({tracker.describe_inflight()})"
        except PlaywrightError:
            await asyncio.sleep(0.05)  # navigated while we waited: wait for the new document
    return reason


async def _frame_parsed(page: Page, deadline: float, scope: tuple[str, ...]) -> bool:
    """Wait (up to `deadline`) for an in-scope child frame still parsing its document; True when there was one.

    A frame's document can arrive while the page around it is already quiet and then sit parsing (a large
    script in its head) with no request in flight and no mutation in the page: probed then, the frame is an
    empty body, and its controls (an embedded billing or consent widget) are missing from the screen. Frames
    of other hosts are not probed, so not waited for (an ad frame that never finishes costs nothing)."""
    for frame in page.frames[1:]:
        if frame.is_detached() or frame.url in ("", "about:blank") or not host_allowed(frame.url, scope):
            continue
        with suppress(PlaywrightError):
            if await frame.evaluate("document.readyState") == "loading":
                timeout = max(deadline - time.monotonic(), 0.05) * 1000
                await frame.wait_for_load_state("domcontentloaded", timeout=timeout)
                return True
    return False

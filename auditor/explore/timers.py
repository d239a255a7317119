"""Time as a patient user spends it: a step that lands after a timer is seen without waiting it out.

Every context gets Playwright's page clock (time flows as usual) and, after it, a small init script that
keeps a ledger of the page's pending timers. After an action, when a short timer is pending (a "Processing…"
screen that moves on in 2 s, a toast that turns into the next step), or an interval ticks while a control
is disabled (a 5 s countdown before "I agree" can be ticked), the clock is run forward in virtual time, up
to CAP_MS, instead of waiting: the page runs those timers at once. The screen before them is kept as
something the user saw on the way (`Observation.interim`), not as a step of their own.
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

CAP_MS = 5_000  # a patient user waits this long for a step that lands by itself
SLACK_MS = 50  # run a little past a timer's due time, so what it schedules at once runs too

LEDGER_JS = """(() => {
  if (window.__auditorPending) return;
  const pending = new Map();
  const st = window.setTimeout, ct = window.clearTimeout, si = window.setInterval, ci = window.clearInterval;
  const own = {setTimeout: st.bind(window), clearTimeout: ct.bind(window)};
  Object.defineProperty(window, '__auditorTimers', {value: own});
  window.setTimeout = function (fn, delay, ...args) {
    let id;
    const run = typeof fn === 'function' ? function () { pending.delete(id); return fn.apply(this, arguments); } : fn;
    id = st.call(window, run, delay, ...args);
    pending.set(id, {due: Date.now() + (Number(delay) || 0), every: 0});
    return id;
  };
  window.clearTimeout = function (id) { pending.delete(id); return ct.call(window, id); };
  window.setInterval = function (fn, delay, ...args) {
    const id = si.call(window, fn, delay, ...args);
    pending.set(id, {due: Date.now() + (Number(delay) || 0), every: Number(delay) || 1});
    return id;
  };
  window.clearInterval = function (id) { pending.delete(id); return ci.call(window, id); };
  const frames = new Set();  // animation frames asked for and not yet run: a script animating, or about to render
  const raf = window.requestAnimationFrame, caf = window.cancelAnimationFrame;
  if (raf && caf) {
    window.requestAnimationFrame = function (fn) {
      if (typeof fn !== 'function') return raf.call(window, fn);
      let id;
      id = raf.call(window, function () { frames.delete(id); return fn.apply(this, arguments); });
      frames.add(id);
      return id;
    };
    window.cancelAnimationFrame = function (id) { frames.delete(id); return caf.call(window, id); };
  }
  window.__auditorPending = (cap) => {
    const now = Date.now();
    let soonest = null, intervals = 0, waiting = 0;
    for (const t of pending.values()) {
      if (t.every) { if (t.every <= cap) intervals++; continue; }
      const left = t.due - now;
      if (left <= cap) waiting++;  // overdue ones too: due, not yet run
      if (left > 0 && left <= cap) soonest = soonest === null ? left : Math.min(soonest, left);
    }
    return {soonest: soonest, intervals: intervals, waiting: waiting, frames: frames.size};
  };
})();"""

PENDING_JS = "(cap) => window.__auditorPending ? window.__auditorPending(cap) : null"


async def install(context: BrowserContext) -> None:
    """The page clock, then the ledger (init scripts run in the order they are added: the ledger wraps the
    clock's timers, so what it counts is what `run_for` runs)."""
    await context.clock.install()
    await context.add_init_script(LEDGER_JS)


async def pending(page: Page) -> dict[str, Any] | None:
    """The soonest short timer (ms from now, or None) and how many short intervals tick, in the main frame."""
    try:
        found = await page.evaluate(PENDING_JS, CAP_MS)
    except PlaywrightError:
        return None
    return found if isinstance(found, dict) else None


async def run_forward(page: Page, *, countdown: bool) -> int:
    """Run the page's short timers in virtual time, one due time after another, up to CAP_MS in all; with
    `countdown`, also let short intervals tick for the whole cap. Returns the virtual milliseconds run."""
    ran = 0
    while ran < CAP_MS:
        found = await pending(page)
        if not found:
            break
        soonest, ticking = found.get("soonest"), countdown and bool(found.get("intervals"))
        if ticking:
            step = CAP_MS - ran
        elif soonest is not None:
            step = min(CAP_MS - ran, int(soonest) + SLACK_MS)
        else:
            break
        try:
            await page.clock.run_for(step)
        except PlaywrightError:  # a timer navigated (the document went away), or the timers loop without end:
            return ran + step  # either way the page must be looked at again
        ran += step
    return ran

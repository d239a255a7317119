"""Screenshots of screens: the whole page as the user saw it, password fields masked.

A screen is shot once, when it is first seen, but that is a hundred shots in a demo audit, so they are taken
through Chromium's own capture (CDP `Page.captureScreenshot`) with its fast PNG encoding: lossless like any
PNG, about half the time of Playwright's screenshot (which adds round trips for the mask and the caret and
compresses harder), files about 1.6x larger. Password fields are masked by a style sheet adopted for the shot
(no node added: the page's own mutation observers see nothing) that paints them #FF00FF with no text, as
Playwright's mask does.

A page taller than MAX_SHOT_HEIGHT is shot from the top only, through a viewport made that tall for the shot:
a full-page capture, clipped or not, lays the whole page out as one viewport (about a minute and gigabytes
for a 20 MB page).
"""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from auditor.errors import first_line
from auditor.explore.events import Journal
from auditor.explore.stats import Stats
from auditor.files import write_atomic

MAX_SHOT_HEIGHT = 10_000  # CSS px: a taller page is screenshotted from the top only (a 20 MB page is ~4M px)
SHOT_TIMEOUT = 10.0  # seconds
MASK_CSS = (
    "input[type=password] { background: #ff00ff !important; background-image: none !important;"
    " color: transparent !important; -webkit-text-fill-color: transparent !important;"
    " text-shadow: none !important; caret-color: transparent !important; }"
    " input[type=password]::placeholder { color: transparent !important; }"
)
# Adopt (true) or drop (false) the mask sheet; resolves, once the web fonts are ready, with the page's size in
# CSS px.
MASK_JS = """async ([adopt, css]) => {
  const mine = window.__auditorMask;
  if (mine) document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== mine);
  if (adopt && document.querySelector('input[type=password]')) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    Object.defineProperty(window, '__auditorMask', {value: sheet, configurable: true});
  }
  if (adopt && document.fonts) await document.fonts.ready;
  const root = document.documentElement, body = document.body || root;
  return [Math.max(root.scrollWidth, body.scrollWidth), Math.max(root.scrollHeight, body.scrollHeight)];
}"""

TO_TOP_JS = "() => { const at = [window.scrollX, window.scrollY]; window.scrollTo(0, 0); return at; }"


async def screen(page: Page, path: Path, url: str, stats: Stats, journal: Journal) -> bool:
    """A screen's screenshot, timed; False when the browser could not take it (recorded as a failure), and a
    note when only the top of a tall page was shot."""
    try:
        with stats.timed("screenshot"):
            height = await shoot(page, path)
    except (PlaywrightError, TimeoutError) as exc:
        stats.failed(None, "", f"screenshot: {first_line(exc)}")
        return False
    if height is not None:
        journal.note(f"the screenshot of {url} shows its first {MAX_SHOT_HEIGHT}px only; the page is {height}px tall")
    return True


async def shoot(page: Page, path: Path) -> int | None:
    """Write the screenshot of `page` to `path`; None, or the page's height when only its top was shot."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = await page.evaluate(MASK_JS, [True, MASK_CSS])
    try:
        viewport = page.viewport_size
        if height > MAX_SHOT_HEIGHT and viewport is not None:
            await page.set_viewport_size({"width": viewport["width"], "height": MAX_SHOT_HEIGHT})
            scrolled = await page.evaluate(TO_TOP_JS)  # the clip must lie in the viewport: show the top
            try:
                await _capture(page, path, (viewport["width"], MAX_SHOT_HEIGHT), beyond_viewport=False)
            finally:
                await page.evaluate("([x, y]) => window.scrollTo(x, y)", scrolled)
                await page.set_viewport_size(viewport)
            return height
        await _capture(page, path, (width, height), beyond_viewport=True)
        return None
    finally:
        await page.evaluate(MASK_JS, [False, MASK_CSS])


async def _capture(page: Page, path: Path, size: tuple[int, int], *, beyond_viewport: bool) -> None:
    """The top left `size` (CSS px) of the document, from its top whatever the scroll; a clip's scale is per CSS
    pixel, so the image has one pixel per CSS pixel on any screen density, as element boxes are given in."""
    width, height = size
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    cdp = await page.context.new_cdp_session(page)
    try:
        params = {"format": "png", "optimizeForSpeed": True, "captureBeyondViewport": beyond_viewport, "clip": clip}
        shot = await asyncio.wait_for(cdp.send("Page.captureScreenshot", params), SHOT_TIMEOUT)
    finally:
        await cdp.detach()
    write_atomic(path, base64.b64decode(shot["data"]), durable=False)  # replaces a planted link, never follows it

"""What can stop a flow at its start page before any step: an expired saved session (a login screen where a
signed-in page was expected) and a bot wall (a CAPTCHA, a "verify you are human" page, a 403/429/503
challenge). Either ends the flow as `incomplete` with a plain reason; the start page's screenshot is kept.
The auditor never solves a challenge and never retries one: one look at the start page decides.

The words that say so are the packs' vocabulary (`login_screen`, `bot_wall`; `bot_wall_frame`, written under
`zxx`, no language, for the addresses of challenge widgets' frames and scripts); the behaviour is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Response

from auditor.classify import Vocabulary
from auditor.errors import AuditIncomplete
from auditor.explore.loading import CHALLENGE_STATUSES
from auditor.explore.observe import Observation
from auditor.spec import FlowSpec

FEW_CONTROLS = 5  # a page offering no more than this besides a challenge widget is the widget's page

# The addresses of the page's frames and scripts, and whether a challenge widget's own element is shown: the
# widgets of reCAPTCHA, hCaptcha and Turnstile all carry `data-sitekey` (their embed API).
WIDGETS_JS = """() => {
  const shown = (el) => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 30 && r.height > 30 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const out = [];
  for (const el of document.querySelectorAll('iframe[src], script[src]')) {
    out.push({src: el.src, shown: el.tagName === 'IFRAME' && shown(el)});
  }
  for (const el of document.querySelectorAll('[data-sitekey]')) out.push({src: '', sitekey: true, shown: shown(el)});
  return out;
}"""


@dataclass(frozen=True)
class StartStatus:
    """What the start URL's response said: its HTTP status and text, and a Retry-After if it gave one."""

    status: int | None = None
    text: str = ""
    retry_after: str | None = None


async def start_status(response: Response | None) -> StartStatus:
    if response is None:
        return StartStatus()
    try:
        retry = await response.header_value("retry-after")
    except PlaywrightError:
        retry = None
    return StartStatus(response.status, response.status_text, retry)


async def check_start(
    spec: FlowSpec, vocab: Vocabulary, obs: Observation, start: StartStatus, page: Page | None
) -> None:
    """A start page that cannot be audited ends the flow (AuditIncomplete), its screenshot kept: a bot wall,
    an error status, or, with a saved session, a login screen (the session expired)."""
    shot = f" (screenshot: {obs.screenshot})" if obs.screenshot else ""
    wall = bot_wall(vocab, obs, start, await widgets(page) if page is not None else [])
    if wall:
        raise AuditIncomplete(f"{wall}; the auditor never solves a challenge nor retries{shot}")
    refused = refused_status(start, spec.start)
    if refused:
        raise AuditIncomplete(refused + shot)
    login = login_screen(vocab, obs) if spec.storage_state else None
    if login:
        raise AuditIncomplete(
            f"the saved session no longer signs in: the start URL shows a login screen ({login}) at {obs.url}; "
            f"sign in again with `auditor login {spec.source.file} --save {spec.storage_state}`{shot}"
        )


def login_screen(vocab: Vocabulary, obs: Observation) -> str | None:
    """Why the page is a login screen (a password field, or a `login_screen` phrase in its title or main
    heading), or None."""
    if any(f.is_password for f in obs.fields):
        return "it asks for a password"
    found = vocab.find("login_screen", f"{obs.title} \n {obs.heading}")
    return f'it says "{found}"' if found else None


async def widgets(page: Page) -> list[dict[str, Any]]:
    try:
        found = await page.evaluate(WIDGETS_JS)
    except PlaywrightError:
        return []
    return list(found) if isinstance(found, list) else []


def bot_wall(vocab: Vocabulary, obs: Observation, start: StartStatus, found: list[dict[str, Any]]) -> str | None:
    """Why the start page is a bot wall, in plain words, or None. Signals: a challenge status (403, 429,
    503), a `bot_wall` phrase on the page, a challenge widget (a frame or script from a `bot_wall_frame`
    address, or an element with `data-sitekey`) that is shown on a page offering little else."""
    phrase = vocab.find("bot_wall", f"{obs.title} \n {obs.heading} \n {obs.text[:3000]}")
    widget = next((w["src"] for w in found if w.get("src") and vocab.find("bot_wall_frame", w["src"])), None)
    shown = any(w.get("shown") and (w.get("sitekey") or vocab.find("bot_wall_frame", w["src"])) for w in found)
    few = len([e for e in obs.usable() if not e.avoided]) <= FEW_CONTROLS
    signs = []
    if phrase:
        signs.append(f'it says "{phrase}"')
    if widget or shown:
        host = widget.split("/")[2] if widget and widget.count("/") >= 2 else "on the page"
        signs.append(f"a CAPTCHA or challenge widget ({host})")
    status = start.status
    if status in CHALLENGE_STATUSES:
        why = f"the start page answered HTTP {status}{f' {start.text}' if start.text else ''}"
        if status == 429:
            wait = f", Retry-After: {start.retry_after}" if start.retry_after else ""
            also = f": {', '.join(signs)}" if signs else ""
            return f"{why} (rate limited{wait}){also}"
        if signs:
            return f"{why}, a bot wall: {', '.join(signs)}"
        return None  # a plain 403 or 503: said as any failing start page is (see `refused_status`)
    if phrase or (shown and few):
        return f"the start page is a bot wall: {', '.join(signs)}"
    return None


def refused_status(start: StartStatus, url: str) -> str | None:
    """A start page that answered an error status and is no bot wall: said as loading.load_start says it."""
    if start.status is None or start.status < 400:
        return None
    reason = f" {start.text}" if start.text else ""
    return f"the start page answered HTTP {start.status}{reason} ({url})"

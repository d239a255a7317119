"""Finding and launching Chromium, one fresh context per flow attempt, and the request guard.

Playwright's own browser download does not work on every machine, so the auditor finds a Chromium itself:
`AUDITOR_CHROMIUM`, then Playwright's installed build, then Debian's `/usr/bin/chromium`.

The guard is the browser's network edge (edge.py), which every request of every context passes before it
leaves Chromium: redirect hops, beacons while a tab closes and workers' requests included. For each request:
- a charge (charges.py: the spec's `charges`, and a purchase flow's default patterns) is answered with a
  synthetic 200 and recorded with the pattern that held it, never sent;
- a navigation outside `allow_domains` is answered with an empty 204 and recorded: the request never leaves
  the browser, and a 204 keeps the page where it was (an abort would replace it with Chromium's error page,
  so a site that redirects itself off-site on load would be audited as that error page); any other request
  off-site is refused and counted;
- the rest is logged (what the user sent) and paced (--max-rps, Retry-After).
No context-level route is installed: Playwright turns Chromium's HTTP cache off in a context that has one,
and every restore and replay would then fetch a product's bundles again.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Playwright, Response
from playwright.async_api import Error as PlaywrightError

from auditor.charges import ChargeRules
from auditor.edge import Edge, Tenant
from auditor.errors import BrowserNotFound, InputError, first_line
from auditor.explore.hooks import install_hooks
from auditor.pace import Pace, retry_after
from auditor.profile import quiet_profile, remove_when_gone
from auditor.redaction import forms
from auditor.spec import FlowSpec

LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
# Playwright turns the back-forward cache off (so that going back always makes a request it can route); the
# explorer wants it on: going back to a screen then gives the page back as it was left, with no request at all,
# which is the cheapest restore there is (explore/restore.py). Nothing unguarded can come of it: a page from
# the cache sends nothing when it is shown, and what it sends later goes through the guard as usual.
KEEP_DEFAULTS_OFF = ["--disable-back-forward-cache"]
INTERCEPTED_PAGE = (
    "<!doctype html><title>Charge intercepted</title><h1>Charge intercepted</h1>"
    "<p>retention-auditor intercepted this payment request in the browser and answered it itself. "
    'It was never sent; no money moved.</p><p><a href="{back}">Back to the site</a></p>'
)
INSTALL_HINT = "install one with `apt-get install -y chromium` or point AUDITOR_CHROMIUM at a Chromium binary"


def find_chromium(playwright: Playwright | None = None) -> str:
    """Return the path of the Chromium to drive, in the documented order of preference."""
    env = os.environ.get("AUDITOR_CHROMIUM")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env
        raise BrowserNotFound(f"AUDITOR_CHROMIUM={env} is not an executable file; {INSTALL_HINT}")
    if playwright is not None:
        bundled = playwright.chromium.executable_path
        if bundled and Path(bundled).is_file():
            return bundled
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise BrowserNotFound(f"no Chromium found; {INSTALL_HINT}")


async def launch(playwright: Playwright) -> Browser:
    """Launch headless Chromium with flags that keep it off the network except for the audited site, on a fresh
    profile whose preloading is off (profile.py: a page's speculation rules would otherwise fetch past the
    guard). The flows' contexts are the browser's new contexts, as with a plain launch; the profile's own
    default context is left with no page (its first blank tab would be one more renderer doing nothing), and
    the profile is removed when the browser goes."""
    executable = find_chromium(playwright)
    profile = quiet_profile()
    try:
        default = await playwright.chromium.launch_persistent_context(
            profile, executable_path=executable, args=list(LAUNCH_ARGS), ignore_default_args=KEEP_DEFAULTS_OFF
        )
    except Exception as exc:  # Playwright raises plain Error with a long log; keep the first line
        shutil.rmtree(profile, ignore_errors=True)
        first = first_line(exc)
        raise BrowserNotFound(f"could not start Chromium at {executable}: {first}") from exc
    browser = default.browser
    assert browser is not None, "a context Playwright launched always has its browser"
    browser.on("disconnected", lambda _: remove_when_gone(profile))
    for blank in default.pages:
        await blank.close()
    return browser


@dataclass
class GuardLog:
    """What the guard did, in order; the explorer drains it after each action to attach it to the edge."""

    charges: list[dict[str, object]] = field(default_factory=list)
    blocked: list[dict[str, object]] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, url) of requests let through
    third_party: Counter[str] = field(default_factory=Counter)  # host -> subresources refused (not fetched)
    sent: int = 0  # requests let through (Chromium's own cache may answer some of them)
    origins: set[str] = field(default_factory=set)  # where requests were let through: whose storage to clear

    def drain(self) -> tuple[list[dict[str, object]], list[dict[str, object]], list[tuple[str, str]]]:
        out = (self.charges, self.blocked, self.requests)
        self.charges, self.blocked, self.requests = [], [], []
        return out


def redact(body: str | None, secrets: Iterable[str] = (), limit: int = 200) -> str:
    """A short excerpt of a request body for the record: the spec's input values, card-like numbers and
    password-like fields are replaced before anything is kept."""
    if not body:
        return ""
    text = body
    for form in forms(secrets, min_length=1):  # in a body even a short value is worth hiding
        text = text.replace(form, "[input]")
    text = re.sub(r"(?<!\d)(?:\d(?:[ +-]|%20)?){12,19}(?!\d)", "[card]", text)
    text = re.sub(
        r"(?i)(pass(?:word)?|passwd|pin|cvc|cvv|csc|secret|token)([\"']?\s*[:=]\s*[\"']?)[^&\"',}\s]+",
        r"\1\2[redacted]",
        text,
    )
    return text[:limit]


def context_options(spec: FlowSpec) -> dict[str, Any]:
    """Who and where the user is: a saved session, language, time zone, position, extra headers, a proxy."""
    options: dict[str, Any] = {}
    if spec.storage_state:
        options["storage_state"] = spec.storage_state
    if spec.locale:
        options["locale"] = spec.locale  # navigator.language and the Accept-Language header
    if spec.timezone:
        options["timezone_id"] = spec.timezone
    if spec.geolocation:
        geo = spec.geolocation
        options["geolocation"] = {"latitude": geo.latitude, "longitude": geo.longitude, "accuracy": geo.accuracy}
        options["permissions"] = ["geolocation"]
    if spec.headers:
        options["extra_http_headers"] = {name: value.reveal() for name, value in spec.headers.items()}
    if spec.proxy:
        options["proxy"] = spec.proxy.to_playwright()
    return options


def paused(pace: Pace, response: Response) -> None:
    """A 429 or 503 that says when to come back: the flow's requests to that host wait until then."""
    if response.status in (429, 503):
        seconds = retry_after(response.headers.get("retry-after"))
        if seconds:
            parts = urlsplit(response.url)
            pace.hold(f"{parts.scheme}://{parts.netloc}", seconds)


def intercepted_page(url: str, referer: str) -> bytes:
    """What a held form POST shows instead of the shop's answer: a page that says what happened."""
    back = html.escape(referer or f"{urlsplit(url).scheme}://{urlsplit(url).netloc}/")
    return INTERCEPTED_PAGE.format(back=back).encode()


async def new_context(browser: Browser, spec: FlowSpec, playwright: Playwright) -> tuple[BrowserContext, GuardLog]:
    """A fresh, isolated context for one flow attempt, guarded before any page exists: admitted at the
    browser's network edge."""
    options: dict[str, Any] = {"viewport": {"width": spec.viewport.width, "height": spec.viewport.height}}
    if spec.device:
        if spec.device not in playwright.devices:
            raise InputError(
                f"unknown device {spec.device!r} (a Playwright device name, e.g. 'iPhone 13')",
                file=spec.source.file,
                line=spec.source.line,
            )
        options = dict(playwright.devices[spec.device])
    options.update(context_options(spec))
    log, pace = GuardLog(), Pace(spec.max_rps)
    rules = ChargeRules.of(spec)
    secrets = [secret.reveal() for secret in spec.inputs.values()]

    def held(entry: dict[str, object], navigation: bool) -> None:
        log.charges.append({**entry, "body": redact(str(entry.get("body") or ""), secrets)})

    def refused(entry: dict[str, object], navigation: bool) -> None:
        if navigation:
            log.blocked.append(entry)
        else:
            log.third_party[str(entry["host"])] += 1

    def sent(method: str, url: str) -> None:
        log.requests.append((method, url))
        parts = urlsplit(url)
        log.origins.add(f"{parts.scheme}://{parts.netloc}")
        log.sent += 1

    tenant = Tenant(rules, held, refused, intercepted_page, pace, sent)
    try:
        edge = await Edge.of(browser)
        opening = browser.new_context(**options, service_workers="block", accept_downloads=False)
        context = await edge.admit(opening, tenant)
    except PlaywrightError as exc:  # never run unguarded: no edge, no audit
        raise InputError(f"could not install the charge guard: {first_line(exc)}", file=spec.source.file) from exc
    context.on("close", lambda _: setattr(tenant, "open", False))
    context.on("response", lambda response: paused(pace, response))
    await install_hooks(context)  # listener marks and scroll reveal for the probe (explore/hooks.js)
    return context, log

"""Loading a page by URL, and saying in plain words why it did not load.

The start page decides whether a flow can be audited at all, so its failures end the flow as `incomplete`
with a message a site owner understands: "the connection was refused", "did not finish loading within 4s",
"redirect loop at URL", "the start page answered HTTP 500". Playwright's own text stays in brackets for
whoever needs the exact Chromium error.

Navigations wait for DOMContentLoaded, then for `load` only as long as a settle may take: a page whose image or
tracking pixel never finishes is usable once its document is parsed, and must not cost a whole navigation
timeout (or fail the flow) for a resource nobody needs.
"""

from __future__ import annotations

import re
from contextlib import suppress

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from auditor.errors import AuditIncomplete, first_line

CHALLENGE_STATUSES = frozenset({403, 429, 503})  # what bot walls and rate limits answer with
NET_ERRORS = {  # Chromium net error -> what it means for the person reading the report
    "ERR_CONNECTION_REFUSED": "the connection was refused (nothing listens there)",
    "ERR_NAME_NOT_RESOLVED": "its host name does not resolve",
    "ERR_NAME_RESOLUTION_FAILED": "its host name does not resolve",
    "ERR_ADDRESS_UNREACHABLE": "its address is unreachable",
    "ERR_CONNECTION_TIMED_OUT": "the connection timed out",
    "ERR_TIMED_OUT": "the connection timed out",
    "ERR_CONNECTION_RESET": "the server reset the connection",
    "ERR_CONNECTION_CLOSED": "the server closed the connection without answering",
    "ERR_EMPTY_RESPONSE": "the server closed the connection without answering",
    "ERR_INVALID_RESPONSE": "the server sent an invalid response",
    "ERR_INVALID_HTTP_RESPONSE": "the server sent an invalid response",
    "ERR_CERT_": "its TLS certificate was rejected",
    "ERR_SSL_": "the TLS handshake failed",
    "ERR_ABORTED": "the navigation was aborted (a download, or a blocked or cancelled request)",
}


class RedirectWatch:
    """Remembers the last failed document request of a page, to name the URLs of a redirect loop."""

    def __init__(self, page: Page) -> None:
        self.failed: Request | None = None
        self.page = page
        page.on("requestfailed", self._failed)

    def _failed(self, request: Request) -> None:
        if request.resource_type == "document":
            self.failed = request

    def chain(self) -> list[str]:
        """The distinct URLs the last failed navigation was redirected through, in order."""
        urls: list[str] = []
        request = self.failed
        while request is not None:
            urls.append(request.url)
            request = request.redirected_from
        return list(dict.fromkeys(reversed(urls)))

    def stop(self) -> None:
        self.page.remove_listener("requestfailed", self._failed)


def net_error(exc: BaseException) -> str | None:
    found = re.search(r"net::(ERR_[A-Z_]+)", str(exc))
    return found.group(1) if found else None


def load_failure(exc: PlaywrightError, url: str, seconds: float, redirects: list[str]) -> str:
    """Why `url` did not load, in plain words, Chromium's error name in brackets."""
    code = net_error(exc)
    if isinstance(exc, PlaywrightTimeout) or (code is None and "Timeout" in str(exc)):
        return f"could not load the start URL {url}: it did not finish loading within {seconds:g}s"
    if code == "ERR_TOO_MANY_REDIRECTS":
        through = f" (it redirects through {', '.join(redirects[:4])} and back)" if len(redirects) > 1 else ""
        return f"could not load the start URL {url}: redirect loop at {url}{through} (net::{code})"
    if code is not None:
        meaning = next((text for prefix, text in NET_ERRORS.items() if code.startswith(prefix)), None)
        if meaning:
            return f"could not load the start URL {url}: {meaning} (net::{code})"
    first = first_line(exc)
    return f"could not load the start URL {url}: {first}"


async def goto(page: Page, url: str, seconds: float, load_wait: float) -> Response | None:
    """Navigate and wait for the document (up to `seconds`), then for its subresources (up to `load_wait`)."""
    response = await page.goto(url, timeout=seconds * 1000, wait_until="domcontentloaded")
    with suppress(PlaywrightError):
        await page.wait_for_load_state("load", timeout=max(load_wait, 0.05) * 1000)
    return response


async def load_start(page: Page, url: str, seconds: float, load_wait: float, *, check_status: bool) -> Response | None:
    """Open the start URL; a failure to load (and with `check_status` an HTTP error status) is AuditIncomplete
    with a plain message. The status is checked on the first load only: a replay that meets a 500 later is a
    restore that failed, not a site that cannot be audited."""
    watch = RedirectWatch(page)
    try:
        response = await goto(page, url, seconds, load_wait)
    except PlaywrightError as exc:
        raise AuditIncomplete(load_failure(exc, url, seconds, watch.chain())) from exc
    finally:
        watch.stop()
    # a challenge or rate-limit status is judged by the explorer, after it has looked at and screenshotted the
    # page: a bot wall is said as one (walls.py)
    if check_status and response is not None and response.status >= 400 and response.status not in CHALLENGE_STATUSES:
        reason = f" {response.status_text}" if response.status_text else ""
        raise AuditIncomplete(f"the start page answered HTTP {response.status}{reason} ({url})")
    return response

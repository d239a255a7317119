"""A context's own cache of static assets, kept behind the charge guard because the guard's routing turns
Chromium's cache off.

Playwright answers every request of a routed context through the route handler and, while any route is set,
tells Chromium not to use its HTTP cache (it sends `Network.setCacheDisabled` along with `Fetch.enable` for
every URL; a narrower route pattern changes neither). Without a cache, every restore and replay fetches a
product's bundles again: megabytes from a server 50-150 ms away, on every screen. A guard that saw fewer
requests is no way out: a popup, a frame or a worker may pay, and only a context-level route is in place
before any of them sends its first request. So the cache lives behind the guard: a subresource fetched with
GET and answered 200 with headers that let a browser keep it (`Cache-Control: max-age`, or `Expires`; not
`no-store`, `no-cache`, `Vary: *`, nor a response that sets a cookie) is kept in memory for as long as they
allow, and the guard answers the same GET from here. One cache per context, like a fresh profile's; bounded
in bytes.
"""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Response

LIMIT_BYTES = 64 * 1024 * 1024  # per context: a product's bundles, not its media library
DROPPED_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding", "set-cookie"})


def fresh_for(headers: dict[str, str]) -> float:
    """How many seconds a browser may reuse a response with these (lower-cased) headers without asking the
    server again; 0 when it must not."""
    if "set-cookie" in headers or headers.get("vary", "").strip() == "*":
        return 0.0
    directives = {}
    for part in headers.get("cache-control", "").lower().split(","):
        name, _, value = part.strip().partition("=")
        directives[name] = value.strip('"')
    if {"no-store", "no-cache"} & directives.keys():
        return 0.0
    if "max-age" in directives:
        with suppress(ValueError):
            return max(float(directives["max-age"]), 0.0)
        return 0.0
    if "expires" in headers:
        with suppress(TypeError, ValueError, IndexError):
            expires = parsedate_to_datetime(headers["expires"])
            now = parsedate_to_datetime(headers["date"]) if "date" in headers else None
            if now is not None:
                return max((expires - now).total_seconds(), 0.0)
            return max(expires.timestamp() - time.time(), 0.0)
    return 0.0


@dataclass
class Kept:
    status: int
    headers: dict[str, str]
    body: bytes
    until: float  # time.monotonic() after which it is stale


@dataclass
class AssetCache:
    limit: int = LIMIT_BYTES
    kept: dict[str, Kept] = field(default_factory=dict)
    size: int = 0
    hits: int = 0  # requests the guard answered from here

    def get(self, url: str) -> Kept | None:
        kept = self.kept.get(url)
        if kept is None or kept.until < time.monotonic():
            return None
        self.hits += 1
        return kept

    async def keep(self, response: Response) -> None:
        """Keep a finished subresource's response when its headers allow it (see the module docstring)."""
        request = response.request
        if request.method != "GET" or response.status != 200 or request.is_navigation_request():
            return
        if request.url in self.kept:
            return
        lifetime = fresh_for(response.headers)
        if lifetime <= 0:
            return
        try:
            body = await response.body()
        except PlaywrightError:  # the page went away before the body could be read: not kept
            return
        if self.size + len(body) > self.limit:
            return
        headers = {k: v for k, v in response.headers.items() if k not in DROPPED_HEADERS}
        self.kept[request.url] = Kept(response.status, headers, body, time.monotonic() + lifetime)
        self.size += len(body)

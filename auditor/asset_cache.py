"""A context's own cache of static assets, kept behind the charge guard because the guard's routing turns
Chromium's cache off.

Playwright answers every request of a routed context through the route handler and, while any route is set,
tells Chromium not to use its HTTP cache (it sends `Network.setCacheDisabled` along with `Fetch.enable` for
every URL; a narrower route pattern changes neither). Without a cache, every restore and replay fetches a
product's bundles again: megabytes from a server 50-150 ms away, on every screen. A guard that saw fewer
requests is no way out: a popup, a frame or a worker may pay, and only a context-level route is in place
before any of them sends its first request (a CDP session of our own attaches to a popup only after it has
started loading). So the cache lives behind the guard. A script, style sheet, font or image requested with
GET goes to the server as usual the first time; when the browser got 200 with headers that let it keep the
answer (`Cache-Control: max-age`, or `Expires`; not `no-store`, `no-cache`, `Vary: *`, nor a response that
sets a cookie), the next request for it is fetched once more by Playwright's own client (`route.fetch`, with
the context's cookies and the request's headers) and that answer is kept for as long as the headers allow:
every later request is answered with it. The bodies stay in Playwright's driver (the guard holds handles),
so a 1.5 MB bundle is not copied through Python on every page. One cache per context, like a fresh
profile's; bounded in entries. (Fetching with the browser first keeps every asset that is not cacheable, and
every first load, on the browser's own network stack.)
"""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from playwright.async_api import APIResponse, Request, Response

STATIC = frozenset({"script", "stylesheet", "font", "image"})  # what a browser's cache mostly serves
MAX_ENTRIES = 2000  # per context: a product's bundles, not its media library


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


def cacheable(request: Request) -> bool:
    """A request the cache may answer: a static subresource fetched with GET."""
    return request.method == "GET" and request.resource_type in STATIC and not request.is_navigation_request()


@dataclass
class AssetCache:
    kept: dict[str, tuple[APIResponse, float]] = field(default_factory=dict)  # url -> (response, stale after)
    keepable: set[str] = field(default_factory=set)  # urls the browser got a cacheable answer for

    def saw(self, response: Response) -> None:
        """The browser got this answer: remember whether the next request for it may be kept."""
        if cacheable(response.request) and response.status == 200 and fresh_for(response.headers) > 0:
            self.keepable.add(response.url)

    def get(self, url: str) -> APIResponse | None:
        kept = self.kept.get(url)
        if kept is None or kept[1] < time.monotonic():
            return None
        return kept[0]

    def keep(self, url: str, response: APIResponse) -> bool:
        """Keep a fetched response when its status and headers allow it; True when kept."""
        lifetime = fresh_for(response.headers) if response.status == 200 else 0.0
        if lifetime <= 0 or len(self.kept) >= MAX_ENTRIES:
            return False
        self.kept[url] = (response, time.monotonic() + lifetime)
        return True

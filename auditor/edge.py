"""The network edge: one CDP Fetch interception at the browser target, which every request of every context
passes before it leaves Chromium. It is the guard's one choke point.

Measured on Chromium 156 (docs/charge-guard.md), it sees what a context-level route (Playwright's) misses: a
redirect's later hops, a beacon or `fetch(keepalive)` sent while a tab closes or navigates away (Chromium sends
those from the browser process, after the page is gone), a SharedWorker's requests. And unlike a route, it
leaves Chromium's HTTP cache on (Playwright turns the cache off in any context that has a route). For every
request it asks: is it a charge (charges.py), and is its host in the flow's scope. A charge is answered here
and never sent, a request off-site is refused (a navigation gets an empty 204, so the page stays where it
was), and what is let through is logged for its flow (what the user sent: explore/userdata.py) and waits for
its turn at the flow's pace (`--max-rps`, Retry-After).

Which flow a request belongs to: each context is admitted with its `Tenant` (its rules, scope and log), and
the edge learns which frames belong to which context from Chromium's target events. A request whose frame it
cannot place (a worker's, an in-process iframe's) is held when any tenant's rules hold it, refused when no
tenant's scope allows its host, and logged as sent by every open tenant whose scope allows it: never less
safe than its own flow's rules, and never hidden from its own flow's record of what the user sent.
"""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, CDPSession
from playwright.async_api import Error as PlaywrightError

from auditor.charges import ChargeRules
from auditor.pace import Pace
from auditor.scope import host_allowed

HELD_JSON = json.dumps({"ok": True}).encode()


@dataclass
class Tenant:
    """One context's guard at the edge; `held` and `refused` record into the context's log."""

    rules: ChargeRules
    held: Callable[[dict[str, object], bool], None]  # a charge entry, and whether it was a navigation
    refused: Callable[[dict[str, object], bool], None]  # an off-site request, and whether it was a navigation
    page: Callable[[str, str], bytes] = field(default=lambda url, referer: b"")  # the page shown for a held form
    pace: Pace | None = None  # the flow's --max-rps and Retry-After pauses, applied to what leaves
    sent: Callable[[str, str], None] = field(default=lambda method, url: None)  # a request let through
    open: bool = True  # its context is open (a request no frame places is logged for each open tenant)

    def charge(self, method: str, url: str, body: str | None) -> str | None:
        return self.rules.held_by(method, url, body)

    def allows(self, url: str) -> bool:
        return host_allowed(url, self.rules.scope)


def body_of(request: dict[str, Any]) -> str | None:
    """A paused request's body as text: `postData`, or its `postDataEntries` (bytes, base64) when Chromium
    sends those instead."""
    if request.get("postData"):
        return str(request["postData"])
    entries = request.get("postDataEntries") or []
    if not entries:
        return None
    raw = b"".join(base64.b64decode(entry.get("bytes", "")) for entry in entries)
    return raw.decode("utf-8", "replace")


class Edge:
    """The browser's one Fetch interception, shared by the contexts it admits (`Edge.of(browser)`)."""

    def __init__(self, cdp: CDPSession) -> None:
        self.cdp = cdp
        self.tenants: dict[str, Tenant] = {}  # browserContextId -> its tenant (kept after the context closes)
        self.unplaced: list[Tenant] = []  # tenants whose context id could not be learnt
        self.frames: dict[str, str] = {}  # target or frame id -> browserContextId
        self.lock = asyncio.Lock()
        self.tasks: set[asyncio.Task[None]] = set()

    @classmethod
    async def of(cls, browser: Browser) -> Edge:
        """The browser's one edge, started on first use. Flows run side by side (`--jobs`) ask for it at the
        same moment: the start is kept on the browser before its first await, so they all wait for the same
        one. Two edges would each pause every request of the browser, and judge another flow's requests by
        their own flow's scope only (it is not their tenant), refusing a concurrent audit of another site."""
        starting: asyncio.Future[Edge] | None = getattr(browser, "_auditor_edge", None)
        if starting is None:
            starting = asyncio.ensure_future(cls._start(browser))
            browser._auditor_edge = starting  # type: ignore[attr-defined]
        try:
            return await asyncio.shield(starting)
        except PlaywrightError:
            if getattr(browser, "_auditor_edge", None) is starting:
                del browser._auditor_edge  # type: ignore[attr-defined]  # the next context tries again
            raise

    @classmethod
    async def _start(cls, browser: Browser) -> Edge:
        """Fetch on every URL, target discovery for attribution."""
        cdp = await browser.new_browser_cdp_session()
        edge = cls(cdp)
        cdp.on("Fetch.requestPaused", edge._paused)
        cdp.on("Target.targetCreated", edge._target)
        cdp.on("Target.targetInfoChanged", edge._target)
        await cdp.send("Target.setDiscoverTargets", {"discover": True})
        await cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]})
        return edge

    async def admit(self, opening: Awaitable[BrowserContext], tenant: Tenant) -> BrowserContext:
        """Open a context and admit it: the context id Chromium gave it is the one that was not there before."""
        async with self.lock:
            before = await self._context_ids()
            context = await opening
            new = [c for c in await self._context_ids() if c not in before]
        if len(new) == 1:
            self.tenants[new[0]] = tenant
        else:
            self.unplaced.append(tenant)
        return context

    async def _context_ids(self) -> list[str]:
        return list((await self.cdp.send("Target.getBrowserContexts")).get("browserContextIds", []))

    def _target(self, event: dict[str, Any]) -> None:
        info = event.get("targetInfo", {})
        if info.get("browserContextId"):
            self.frames[info["targetId"]] = info["browserContextId"]

    def _tenants_for(self, frame: str | None) -> tuple[list[Tenant], bool]:
        """The tenant a request's frame belongs to, else every tenant; and whether it was placed."""
        placed = self.tenants.get(self.frames.get(frame or "", ""))
        if placed is not None:
            return [placed], True
        return [*self.tenants.values(), *self.unplaced], False

    def _paused(self, event: dict[str, Any]) -> None:
        task = asyncio.ensure_future(self._decide(event))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _decide(self, event: dict[str, Any]) -> None:
        """Answer one paused request; a request the edge fails to judge is failed, never let through."""
        try:
            await self._judge(event)
        except PlaywrightError:
            pass  # the request went with its target: nothing to answer
        except Exception:
            with suppress(PlaywrightError):
                failure = {"requestId": event["requestId"], "errorReason": "BlockedByClient"}
                await self.cdp.send("Fetch.failRequest", failure)
            raise

    async def _judge(self, event: dict[str, Any]) -> None:
        request, request_id = event["request"], event["requestId"]
        method, url, body = request["method"], request["url"], body_of(request)
        navigation = event.get("resourceType") == "Document"
        tenants, placed = self._tenants_for(event.get("frameId"))
        for tenant in tenants:
            pattern = tenant.charge(method, url, body)
            if pattern is not None:
                entry = {"method": method, "url": url, "body": body or "", "time": time.time()}
                tenant.held({**entry, "pattern": pattern, "seen_at": "edge"}, navigation)
                referer = request.get("headers", {}).get("Referer", "")
                answer = tenant.page(url, referer) if navigation else HELD_JSON
                kind = "text/html; charset=utf-8" if navigation else "application/json"
                await self._fulfill(request_id, 200, kind, answer)
                return
        if tenants and not any(tenant.allows(url) for tenant in tenants):
            host = urlsplit(url).hostname or url
            entry = {"method": method, "url": url, "host": host, "reason": "outside allow_domains"}
            for tenant in ([t for t in tenants if t.open] or tenants)[:1]:  # unplaced: a running flow's, if any
                tenant.refused(entry, navigation)
            if navigation:
                await self._fulfill(request_id, 204, "text/plain", b"")
            else:
                failure = {"requestId": request_id, "errorReason": "BlockedByClient"}
                await self.cdp.send("Fetch.failRequest", failure)
            return
        allowed = [t for t in tenants if t.allows(url)]
        for tenant in allowed if placed else [t for t in allowed if t.open]:  # unplaced: whoever may have sent it
            tenant.sent(method, url)
        await self._pace(allowed[:1], url)
        await self.cdp.send("Fetch.continueRequest", {"requestId": request_id})

    @staticmethod
    async def _pace(tenants: list[Tenant], url: str) -> None:
        """Wait for the request's turn at its flow's pace."""
        for tenant in tenants:
            if tenant.pace is not None:
                parts = urlsplit(url)
                await tenant.pace.take(f"{parts.scheme}://{parts.netloc}")

    async def _fulfill(self, request_id: str, status: int, kind: str, body: bytes) -> None:
        await self.cdp.send(
            "Fetch.fulfillRequest",
            {
                "requestId": request_id,
                "responseCode": status,
                "responseHeaders": [{"name": "Content-Type", "value": kind}],
                "body": base64.b64encode(body).decode(),
            },
        )

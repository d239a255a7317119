"""Politeness: how fast a flow may ask the audited site for things, and a pause when the site asks for one.

A browser loading a page sends its requests in a burst, then waits for the user; an explorer clicks all day.
So each flow's requests to a host are spaced to at most `max_rps` a second on average (a generic cell rate
algorithm: bursts up to one second's worth pass at once, as a page load's do, the rest wait their turn). A
response 429 or 503 with `Retry-After` holds that host's requests until then, at most MAX_HOLD_S, those already
waiting for their turn included (a request wakes at its turn, finds the hold and waits on); nothing is retried
for it (a request that got the answer is not sent again; the next one waits). One `Pace` per flow: two
flows at once on one site ask twice as fast, so `--max-rps` is per flow.
"""

from __future__ import annotations

import asyncio
import time
from email.utils import parsedate_to_datetime

MAX_RPS = 20.0  # the default: a page load's worth a second, sustained, and no more
MAX_HOLD_S = 60.0  # a longer Retry-After is honoured for this long (the flow's own timeout still applies)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), None when it says nothing usable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(when - (time.time() if now is None else now), 0.0)


class Pace:
    """One flow's requests to each host (by scheme, host and port), spaced to `rate` a second."""

    def __init__(self, rate: float = MAX_RPS) -> None:
        self.rate = rate
        self.due: dict[str, float] = {}  # host -> when its next request would be on time (the algorithm's TAT)
        self.held: dict[str, float] = {}  # host -> no request before this (Retry-After)

    def delay(self, host: str, now: float) -> float:
        """Seconds the next request to `host` must wait, booking its turn."""
        held = self.held.get(host, 0.0)
        if self.rate <= 0:
            return max(held - now, 0.0)
        interval = 1.0 / self.rate
        due = max(self.due.get(host, now), now, held)
        self.due[host] = due + interval
        burst = max(self.rate - 1, 0.0) * interval  # how far ahead of its turn a request may go
        return max(due - now - burst, held - now, 0.0)

    async def take(self, host: str) -> None:
        """Wait for this request's turn, and then for as long as the host asks for a pause (a Retry-After that
        came while the request was waiting holds it too)."""
        wait = self.delay(host, time.monotonic())
        while wait > 0:
            await asyncio.sleep(wait)
            wait = self.held.get(host, 0.0) - time.monotonic()

    def hold(self, host: str, seconds: float) -> None:
        """The host asked for a pause (Retry-After): no request to it before `seconds` from now."""
        until = time.monotonic() + min(seconds, MAX_HOLD_S)
        self.held[host] = max(self.held.get(host, 0.0), until)

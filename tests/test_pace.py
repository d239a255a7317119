"""Politeness: a flow's requests to a host are spaced to --max-rps after a one-second burst; Retry-After holds."""

from __future__ import annotations

from auditor.pace import MAX_HOLD_S, Pace, retry_after


def test_a_burst_passes_then_requests_are_spaced() -> None:
    pace = Pace(rate=10)
    waits = [pace.delay("http://shop", now=100.0) for _ in range(15)]
    assert waits[:10] == [0.0] * 10  # one second's worth at once, as a page load's requests
    assert all(b > a for a, b in zip(waits[10:], waits[11:], strict=False))  # then one every 0.1 s
    assert abs(waits[10] - 0.1) < 1e-9 and abs(waits[14] - 0.5) < 1e-9
    assert pace.delay("http://other", now=100.0) == 0.0  # per host


def test_a_rate_below_one_a_second_lets_the_first_request_go_at_once() -> None:
    pace = Pace(rate=0.5)
    assert [pace.delay("h", now=0.0) for _ in range(3)] == [0.0, 2.0, 4.0]


def test_the_budget_comes_back_with_time() -> None:
    pace = Pace(rate=10)
    for _ in range(20):
        pace.delay("h", now=0.0)
    assert pace.delay("h", now=5.0) == 0.0


def test_retry_after_holds_the_host_and_is_capped() -> None:
    pace = Pace(rate=0)  # no cap, a hold still holds
    pace.held["h"] = 130.0
    assert pace.delay("h", now=100.0) == 30.0
    pace.hold("h", 3600)
    assert pace.held["h"] <= __import__("time").monotonic() + MAX_HOLD_S


def test_retry_after_values() -> None:
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 02 Dec 2026 10:02:00 GMT", now=1796205600.0) == 120.0  # 10:00:00 GMT
    assert retry_after("soon") is None and retry_after(None) is None


def test_a_pause_holds_the_requests_already_waiting_for_their_turn() -> None:
    """Five requests queue at 10 a second (a burst of one); the first one's answer asks for a 0.5 s pause:
    none of the four waiting ones may leave before the pause ends, though their turns came earlier."""
    import asyncio
    import time

    async def scenario() -> list[float]:
        pace, left = Pace(rate=10), []
        pace.due["h"] = time.monotonic() + 1.0  # the burst is spent: the turns come at 0.1, 0.2, 0.3, 0.4 s

        async def request() -> None:
            await pace.take("h")
            left.append(time.monotonic())

        waiting = [asyncio.ensure_future(request()) for _ in range(4)]
        await asyncio.sleep(0.05)
        pace.hold("h", 0.5)
        paused_until = time.monotonic() + 0.5
        await asyncio.gather(*waiting)
        return [t - paused_until for t in left]

    early = asyncio.run(scenario())
    assert len(early) == 4 and min(early) >= -0.01  # every queued request left after the pause ended

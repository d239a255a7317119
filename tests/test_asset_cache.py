"""The guard's asset cache keeps what a browser's cache may keep, for as long as the headers allow."""

from __future__ import annotations

import pytest

from auditor.asset_cache import fresh_for


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"cache-control": "public, max-age=31536000, immutable"}, 31536000),
        ({"cache-control": "max-age=600"}, 600),
        ({"cache-control": "private, max-age=60"}, 60),  # one user's cache, like this one
        ({"cache-control": "no-store"}, 0),
        ({"cache-control": "no-cache, max-age=600"}, 0),  # must ask the server every time
        ({"cache-control": "max-age=0"}, 0),
        ({"cache-control": "max-age=oops"}, 0),
        ({"cache-control": "max-age=600", "set-cookie": "sid=1"}, 0),  # a response that sets a cookie
        ({"cache-control": "max-age=600", "vary": "*"}, 0),
        ({"expires": "Wed, 02 Dec 2026 10:10:00 GMT", "date": "Wed, 02 Dec 2026 10:00:00 GMT"}, 600),
        ({"expires": "0", "date": "Wed, 02 Dec 2026 10:00:00 GMT"}, 0),
        ({}, 0),  # no word on it: a browser would guess; the guard does not
    ],
)
def test_fresh_for(headers: dict[str, str], seconds: float) -> None:
    assert fresh_for(headers) == seconds

"""Whether the user of a context still holds only what a new user does: nothing stored and nothing sent since
the fresh start.

A screen seen by such a pristine user is what a new user sees there too, as far as the browser can tell: the
cookie jar is as the start left it, every origin's local and session storage is as first seen, no page used or
found IndexedDB, Cache Storage, a service worker, the origin's private file system or a shared worker (whose
contents the probe does not read; hooks.js), and no request other than GET reached the server. That lets the
explorer spare work a changed user would need (a fresh-user proof, a link followed again inside a funnel), and
only that: any doubt (an unreadable store, a page that writes a timestamp on every load) counts as a change.

What it cannot see is the server's own memory of a GET (a link that starts a trial on the server, the same
cookie kept): the callers say how they bound that.
"""

from __future__ import annotations

from collections.abc import Iterable

Jar = frozenset[tuple[str, str, str, str]]  # (domain, path, name, value) of every cookie
UNREADABLE: Jar = frozenset({("", "", "", "unreadable")})  # a jar that could not be read: equal to no real one


class UserData:
    """The user of one context since its latest fresh start; `change` says what first made it not pristine."""

    def __init__(self) -> None:
        self.change: str | None = None
        self._stored: dict[str, str] = {}  # origin -> the digest of its storage when first seen
        self._jar: Jar | None = None

    @property
    def pristine(self) -> bool:
        return self.change is None

    def fresh(self) -> None:
        """A new user: nothing learnt about the last one holds."""
        self.change, self._stored, self._jar = None, {}, None

    def _changed(self, why: str) -> None:
        if self.change is None:
            self.change = why

    def looked(self, stored: Iterable[str], opaque: bool) -> None:
        """A look's storage digests ("origin length:hash", one per frame) and whether a frame used a store the
        digest does not cover. The first digest of an origin is its baseline: a new user arriving there gets
        what the page's own loading writes too."""
        if opaque:
            self._changed("a page used a store the probe does not read (IndexedDB, Cache Storage, a worker...)")
        for entry in stored:
            origin, _, digest = entry.rpartition(" ")
            if self._stored.setdefault(origin, digest) != digest:
                self._changed(f"the storage of {origin} changed")

    def cookies(self, jar: Jar | None) -> None:
        """The context's cookies now (None: they could not be read, which proves nothing): the first jar after
        the fresh start is the baseline."""
        jar = UNREADABLE if jar is None else jar
        if self._jar is None:
            self._jar = jar
        elif jar != self._jar:
            self._changed("the cookies changed")

    def sent(self, methods: Iterable[str]) -> None:
        """The methods of requests that reached the server: anything but GET may have changed its state."""
        if any(m != "GET" for m in methods):
            self._changed("a request other than GET reached the server")

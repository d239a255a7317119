"""A flow's scope: the hosts it may visit (`allow_domains`, by default the start URL's host)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from urllib.parse import urlsplit

from auditor.spec_model import FlowSpec


def host_allowed(url: str, allowed: Iterable[str]) -> bool:
    """True when the URL's host is one of `allowed` (entries may be `*.example.com`)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return True  # about:blank, data: and the like stay inside the page
    return any(fnmatch.fnmatchcase(host, pattern.lower()) for pattern in allowed)


def scope_of(spec: FlowSpec) -> tuple[str, ...]:
    """The hosts a flow may visit: `allow_domains`, or by default the start URL's host."""
    if spec.explore.allow_domains:
        return spec.explore.allow_domains
    return ((urlsplit(spec.start).hostname or "").lower(),)

"""Which requests are charges: the spec's `charges`, then, for a purchase or in_app_purchase flow, the shipped
default patterns (charges.yaml), so that a spec that names none is still safe.

The defaults are data, not code: payment providers' confirm, capture and session endpoints (URL globs), and
the flow's own non-GET requests whose path or body names a paying word (order, checkout, pay, ...). A request
held by a pattern carries the pattern's name into the record, so the report says why it was held. The guard
(browser.py, the route of each context) and the network edge (edge.py, every request of the browser) ask the
same `ChargeRules`.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from auditor.scope import host_allowed, scope_of
from auditor.spec_model import PURCHASE_KINDS, FlowSpec, RequestMatch

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # what the defaults never hold: reading, not acting
BODY_LIMIT = 65536  # the part of a body the word patterns read


def request_matches(pattern: RequestMatch, method: str, url: str) -> bool:
    return (pattern.method in ("*", method.upper())) and fnmatch.fnmatchcase(url, pattern.url)


@dataclass(frozen=True)
class Defaults:
    """The shipped patterns: provider endpoints (name, URL glob) and the same-site words."""

    providers: tuple[tuple[str, str], ...]
    word_rule: str
    words: re.Pattern[str]


@cache
def defaults() -> Defaults:
    """charges.yaml, read once."""
    text = resources.files("auditor").joinpath("charges.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    same = data["same_site"]
    alternatives = "|".join(re.escape(word) for word in same["words"])
    return Defaults(
        providers=tuple((p["name"], p["url"]) for p in data["providers"]),
        word_rule=same["name"],
        words=re.compile(rf"(?<![a-z0-9])(?:{alternatives})s?(?![a-z0-9])"),
    )


def words_of(text: str) -> str:
    """Lower-case text with camelCase split, so `placeOrder` names `order` as `place_order` does."""
    return re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text[:BODY_LIMIT]).lower()


@dataclass(frozen=True)
class ChargeRules:
    """A flow's charge patterns: its spec's own, and the defaults when they apply."""

    spec: tuple[RequestMatch, ...]
    defaults: Defaults | None
    scope: tuple[str, ...]

    @classmethod
    def of(cls, spec: FlowSpec) -> ChargeRules:
        on = spec.kind in PURCHASE_KINDS and spec.default_charges
        return cls(spec.charges, defaults() if on else None, scope_of(spec))

    def held_by(self, method: str, url: str, body: str | None) -> str | None:
        """The name of the first pattern that makes this request a charge, None when none does."""
        method = method.upper()
        for pattern in self.spec:
            if request_matches(pattern, method, url):
                return f"charges: {pattern.method} {pattern.url}"
        if self.defaults is None or method in SAFE_METHODS:
            return None
        for name, glob in self.defaults.providers:
            if fnmatch.fnmatchcase(url, glob):
                return f"default: {name}"
        if host_allowed(url, self.scope):
            path = url.split("?", 1)[0].split("://", 1)[-1].partition("/")[2]
            if self.defaults.words.search(words_of(path)) or self.defaults.words.search(words_of(body or "")):
                return f"default: {self.defaults.word_rule}"
        return None

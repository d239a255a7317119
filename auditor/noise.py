"""Noise normalisation: the text of a page or a label with what changes between visits taken out.

As in Crawljax, noise is stripped by a small ordered chain of normalisers, so random ids, tokens, timestamps,
counters and prices do not make two visits of one screen look different. The explorer's state fingerprints
and the report's finding fingerprints both use it, so a finding keeps its fingerprint across runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Normaliser = Callable[[str], str]

NORMALISERS: tuple[Normaliser, ...] = (
    lambda s: s.lower(),
    lambda s: re.sub(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", "<uuid>", s),
    # tokens: 8+ characters that mix letters and digits (session ids, cache busters, random ids)
    lambda s: re.sub(r"\b(?=[a-z_-]*\d)(?=\d*[a-z])[a-z0-9_-]{8,}\b", "<tok>", s),
    lambda s: re.sub(r"\d+(?:[,.']\d+)*", "#", s),  # counters (1,204), prices (9.99), dates and times
    lambda s: re.sub(r"\s+", " ", s).strip(),
)


def normalise(text: str, chain: Iterable[Normaliser] = NORMALISERS) -> str:
    for step in chain:
        text = step(text)
    return text

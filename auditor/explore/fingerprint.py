"""State identity: two visits are the same screen when their fingerprints match.

As in Crawljax, noise is stripped by a small ordered chain of normalisers before hashing, so random ids,
tokens, timestamps, counters and query strings do not make new states, and crawler traps (endless
pagination, calendars) collapse. The fingerprint hashes what a user sees: the path template, the open dialog,
the visible text and the enabled actions; the query string is left out (it is where tokens live).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from auditor.noise import normalise


def path_template(url: str) -> str:
    """Host and path with ids and numbers abstracted; hash routes (`#/x`, `#!/x`) count as path."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.fragment.startswith(("/", "!")):
        path += "#" + parts.fragment
    return f"{parts.hostname or ''}{normalise(path)}"


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def screen_fingerprint(url: str, dialog: str, text: str, actions: Iterable[str]) -> str:
    """The identity of a screen; `actions` are the normalised signatures of its usable controls."""
    return digest(path_template(url), normalise(dialog), normalise(text), "\x1e".join(sorted(actions)))


def template_key(url: str, dialog: str, heading: str, shape: str = "") -> str:
    """A coarser identity that groups variants of one page (page 2, 3, 4 ... of a listing)."""
    return digest(path_template(url), normalise(dialog), normalise(heading), shape)


def structure_key(url: str, dialog: str, actions: Iterable[str]) -> str:
    """Page template, dialog and controls without the text: screens that can only differ in wording. The
    dialog's words are cut after normalising: cut before, a number's length (a count of 45 or 187) moves the
    cut and two looks at one dialog differ."""
    return digest(path_template(url), normalise(dialog)[:80], "\x1e".join(sorted(actions)))


def word_bag(text: str) -> Counter[str]:
    return Counter(normalise(text).split())


def near_duplicate(a: Counter[str], b: Counter[str], max_words: int = 2) -> bool:
    """At most `max_words` words differ on each side: a random token or two, not a new message."""
    return sum((a - b).values()) <= max_words and sum((b - a).values()) <= max_words


def unordered(text: str, runs: Iterable[str]) -> str:
    """`text` (normalised) with each of `runs` (the words of alike options: a radio group's answers, a list's
    rows) taken out once and put back sorted at the end: a list shuffled on every load is one screen, while
    every word still counts."""
    rest, found = f" {text} ", list[str]()
    for run in sorted({r for r in runs if r}, key=len, reverse=True):
        at = rest.find(f" {run} ")
        if at >= 0:
            rest, found = rest[:at] + rest[at + len(run) + 1 :], [*found, run]
    return " ".join([rest.strip(), *sorted(found)])

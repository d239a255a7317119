"""Counts read as English does: "1 action", "2 actions", "1 finding", in messages, tables and rule templates.

Rule packs write their messages once for any count ("took {steps} actions"); `agree` makes the noun after a
placeholder singular when the value is one, so no pack needs a second template and a lawyer never reads
"1 actions".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# a placeholder, up to two words that qualify the noun ("{steps} user actions", "{n} retention offer screens"),
# then the plural noun it counts; not across a function word ("{n} of the pages" counts no page)
_AFTER_PLACEHOLDER = re.compile(
    r"\{(\w+)\}((?: (?!(?:of|the|in|on|to|for|with|and|or|than|per)\b)[a-z]+){0,2}) ([a-z]+s)\b"
)
_NOT_PLURAL = frozenset({"as", "is", "was", "has", "does", "goes", "this", "its", "us", "plus", "yes", "always"})


def singular(word: str) -> str:
    """English singular of a regular plural noun (actions, entries, boxes); other words as they are."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 finding`, `2 findings` (`many`: an irregular plural)."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def agree(template: str, figures: Mapping[str, Any]) -> str:
    """`template` with the plural noun right after each placeholder whose value is 1 made singular."""

    def fix(match: re.Match[str]) -> str:
        value = figures.get(match.group(1))
        noun = match.group(3)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) == 1 and noun not in _NOT_PLURAL:
            return "{" + match.group(1) + "}" + match.group(2) + " " + singular(noun)
        return match.group(0)

    return _AFTER_PLACEHOLDER.sub(fix, template)

"""Counts read as English does: "1 action", "2 actions", "1 finding", in messages, tables and rule templates.

Rule packs write their messages once for any count ("took {steps} actions"); `agree` makes the noun after a
placeholder singular when the value is one, so no pack needs a second template and a lawyer never reads
"1 actions".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_AFTER_PLACEHOLDER = re.compile(r"\{(\w+)\}( [a-z]+s)\b")


def singular(word: str) -> str:
    """English singular of a regular plural noun (actions, entries, boxes); other words as they are."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 finding`, `2 findings` (`many`: an irregular plural)."""
    return f"{count} {word}" if count == 1 else f"{count} {many or word + 's'}"


def agree(template: str, figures: Mapping[str, Any]) -> str:
    """`template` with the plural noun right after each placeholder whose value is 1 made singular."""

    def fix(match: re.Match[str]) -> str:
        value = figures.get(match.group(1))
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) == 1:
            return "{" + match.group(1) + "} " + singular(match.group(2)[1:])
        return match.group(0)

    return _AFTER_PLACEHOLDER.sub(fix, template)

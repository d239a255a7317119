"""What to type into a field a person fills in: a value its own constraints accept.

A field's type says the shape (a date is `2026-07-01`, a time `12:00`, a month `2026-07`); its `min`, `max`
and `step` say where in the range (the range's first value, `min`, is always on its step); its `pattern` and
`maxlength`/`minlength` what a text must look like (a value is made from the pattern itself: `[0-9]{5}` gives
`00000`); a datalist offers its first suggestion. The browser has the last word: the caller tries the
candidates in order and keeps the first the field reports valid (act.fill_fields). (A select's options are
actions of their own, chosen like a box is ticked: they are steps a user takes, not fillers.)
"""

from __future__ import annotations

import re
import re._parser as sre  # the standard library's own regular-expression parser (sre_parse)
from datetime import date, timedelta
from typing import Any

from auditor.records import Field

FILLERS = {"email": "auditor@example.com", "tel": "5550100", "number": "1", "url": "https://example.com"}
DEFAULT_FILLER = "Audit"
PATTERN_SOURCE_LIMIT = 200  # a longer pattern is not worth parsing: the plain fillers are tried instead


def _today() -> date:
    return date.today() + timedelta(days=30)  # a month ahead: after a "from tomorrow" min, before most maxima


def _shaped(kind: str, day: date) -> str | None:
    """A value of a date or time type with no bounds (within bounds, the bound itself is used)."""
    iso_week = day.isocalendar()
    shapes = {
        "date": day.isoformat(),
        "datetime-local": f"{day.isoformat()}T12:00",
        "month": day.isoformat()[:7],
        "week": f"{iso_week.year}-W{iso_week.week:02d}",
        "time": "12:00",
    }
    return shapes.get(kind)


def candidates(fld: Field) -> list[str]:
    """Values to try in a field the spec says nothing about, best first (see the module docstring)."""
    out: list[str] = []
    if fld.suggestion:
        out.append(fld.suggestion)
    bound = fld.min or fld.max  # on a date, time or number the range's own end is valid
    if fld.type in ("date", "datetime-local", "month", "week", "time", "number", "range") and bound:
        out.append(bound)
    shaped = _shaped(fld.type, _today())
    if shaped:
        out.append(shaped)
    elif fld.type in ("number", "range"):
        out.append(FILLERS["number"])
    else:
        made = from_pattern(fld.pattern) if fld.pattern else None
        if made is not None:
            out.append(made)
        out.append(FILLERS.get(fld.type, DEFAULT_FILLER))
    return [_fit(value, fld) for value in dict.fromkeys(out)]


def _fit(value: str, fld: Field) -> str:
    """A text cut to `maxlength`, padded to `minlength` (what the browser would refuse otherwise)."""
    if fld.maxlength is not None:
        value = value[: fld.maxlength]
    if fld.minlength is not None and len(value) < fld.minlength:
        value = value + "x" * (fld.minlength - len(value))
    return value


def from_pattern(pattern: str) -> str | None:
    """A shortest text that a (simple) field pattern matches, made from the pattern's own parts; None when
    the pattern is beyond this (back-references, lookarounds) or the text does not match after all."""
    if len(pattern) > PATTERN_SOURCE_LIMIT:
        return None
    try:
        text = "".join(_make(item) for item in sre.parse(pattern))
    except (re.error, ValueError, KeyError, TypeError, OverflowError):
        return None
    try:
        return text if re.fullmatch(pattern, text) else None
    except re.error:
        return None


_CATEGORY = {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " ", "CATEGORY_NOT_DIGIT": "a"}


def _make(item: tuple[Any, Any]) -> str:
    op, arg = item
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name in ("NOT_LITERAL", "ANY"):
        return "a" if arg != ord("a") else "b"
    if name == "IN":
        return _one_of(arg)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, _, sub = arg
        return "".join(_make(i) for i in sub) * low
    if name == "SUBPATTERN":
        return "".join(_make(i) for i in arg[-1])
    if name == "BRANCH":
        return "".join(_make(i) for i in arg[1][0])
    if name == "AT":
        return ""
    raise ValueError(f"pattern part {name} is not made")


def _one_of(members: list[tuple[Any, Any]]) -> str:
    """The first character a character class allows (for a negated class, one of a few it does not name)."""
    if members and str(members[0][0]) == "NEGATE":
        named = "".join(_one_of([m]) for m in members[1:] if str(m[0]) in ("LITERAL", "RANGE"))
        return next(c for c in "a0A-x9" if c not in named)
    op, arg = members[0]
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "RANGE":
        return chr(arg[0])
    if name == "CATEGORY":
        return _CATEGORY[str(arg)]
    raise ValueError(f"class member {name} is not made")

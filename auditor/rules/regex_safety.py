"""Whether a pack's `re:` phrase is safe to match: a regular expression RE2 accepts, that matches no empty
text and repeats nothing variable inside a repetition.

The vocabulary is matched with Python's `re` (classify.py: its whole-word edges are lookarounds, which RE2
lacks), and `re` backtracks: `(a+)+$` runs for hours on 40 'a's. So a pack regex is held to what RE2 (google-re2,
a linear-time engine) accepts: no back references, atomic groups, possessive repeats or conditionals, at most
1000 repeats. One exception (docs/guide/team-packs.md): lookaround assertions (`(?<![\\w.,])`, `(?!\\d)`, as core's
price patterns use) are checked by RE2 on their own, and the rest with each replaced by an empty group. On
top, since `re` still backtracks, the two shapes behind exponential time are refused: a variable-length repeat
inside another repeat (`(a+)+`, `(\\d{1,3})*`, `(.*x){9}`), and a repeat over alternatives that may start
alike (`(a|a)+$`, `(a|ab)*`, `(\\w|\\d)+`: each repetition can be matched in two ways, so a text that fails
costs 2^n tries). The second is judged on each alternative's first character, conservatively: a class, an
escape such as \\w, a group or an empty alternative may start like anything (write `a(?:b|c)` for `(?:ab|ac)+`).
Not caught (accepted): polynomial shapes such as `a*a*a*a*$`. Matching with RE2 itself would stop them all, but
RE2 has no lookarounds and only ASCII word boundaries, which the whole-word matching of phrases needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import re2

INFINITE = 1 << 30
LOOKAROUNDS = ("(?<=", "(?<!", "(?=", "(?!")
_COUNTED = re.compile(r"\{(\d*)(,?)(\d*)\}")
# Every local context an empty match can depend on when the only zero-width parts are ^ $ \A \Z \b \B:
# string start/end, word/non-word on either side, a line break.
_EMPTY_PROBES = ("", " ", "a", "aa", "  ", "a a", "a\na", "1", ".", "x!", "\n")


@dataclass
class _Group:
    head: str
    body_start: int  # where its contents start in the pattern
    out_start: int  # where it starts in the rewritten pattern
    variable: bool = False  # holds a variable-length repeat somewhere inside
    firsts: list[str] = field(default_factory=list)  # each alternative's first character ("" : may be anything)
    open_alternative: bool = True  # the next atom is the first of an alternative
    ambiguous: bool = False  # holds, somewhere inside, alternatives that may start alike


@dataclass
class Shape:
    """A pattern as the safety checks see it."""

    plain: str  # the pattern with every lookaround replaced by an empty group
    lookarounds: list[str] = field(default_factory=list)  # their bodies
    nested_repeat: bool = False
    ambiguous_repeat: bool = False  # a repeat over alternatives that may start alike


def _first(group: _Group, atom: str) -> None:
    """Note the atom that starts the group's current alternative (lower-cased: phrases match ignoring case)."""
    if group.open_alternative:
        group.firsts.append(atom.lower())
        group.open_alternative = False


def _alike(firsts: list[str]) -> bool:
    """Whether two of the alternatives may start with the same character ("" may start like anything)."""
    return len(firsts) > 1 and ("" in firsts or len(set(firsts)) < len(firsts))


def shape(pattern: str) -> Shape:
    """Scan a pattern Python's `re` compiles (so it is well formed): groups, classes, escapes, repeats."""
    out: list[str] = []
    found = Shape("")
    stack = [_Group("", 0, 0)]
    last: bool | None = None  # the atom a repeat would apply to: does it hold a variable repeat (None: none)
    alike = False  # that atom holds alternatives that may start alike
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            escaped = pattern[i + 1 : i + 2]
            _first(stack[-1], "" if escaped.isalnum() else escaped)  # \w \d \b ...: may start like anything
            out.append(pattern[i : i + 2])
            i, last, alike = i + 2, False, False
        elif c == "[":
            j = i + 1
            j += pattern.startswith("^", j)
            j += pattern.startswith("]", j)
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            _first(stack[-1], "")
            out.append(pattern[i : j + 1])
            i, last, alike = j + 1, False, False
        elif c == "(":
            head = _group_head(pattern, i)
            if head.startswith("(?#"):  # a comment
                i += len(head)
                continue
            if head.startswith("(?P="):  # a back reference: one atom (RE2 refuses it)
                out.append(head)
                i, last, alike = i + len(head), False, False
                continue
            _first(stack[-1], "")
            stack.append(_Group(head, i + len(head), len(out)))
            if not head.startswith(LOOKAROUNDS):
                out.append(head)
            i, last = i + len(head), None
        elif c == ")" and len(stack) > 1:
            group = stack.pop()
            if group.head.startswith(LOOKAROUNDS):
                found.lookarounds.append(pattern[group.body_start : i])
                del out[group.out_start :]
                out.append("(?:)")
            else:
                out.append(")")
            if group.open_alternative:  # an empty last alternative, as in (a|)
                group.firsts.append("")
            group.ambiguous |= _alike(group.firsts)
            stack[-1].variable |= group.variable
            stack[-1].ambiguous |= group.ambiguous
            i, last, alike = i + 1, group.variable, group.ambiguous
        elif c in "*+?" or (c == "{" and _COUNTED.match(pattern, i) and last is not None):
            if c == "{":
                counted = _COUNTED.match(pattern, i)
                assert counted is not None
                low = int(counted.group(1) or 0)
                high = int(counted.group(3)) if counted.group(3) else (INFINITE if counted.group(2) else low)
                token = counted.group(0)
            else:
                low, high, token = {"*": (0, INFINITE), "+": (1, INFINITE), "?": (0, 1)}[c] + (c,)
            i += len(token)
            if pattern.startswith(("?", "+"), i):  # lazy or possessive
                token += pattern[i]
                i += 1
            out.append(token)
            if last is not None:
                found.nested_repeat |= last and high > 1
                found.ambiguous_repeat |= alike and high > 1
                stack[-1].variable |= last or low != high
            last, alike = None, False
        elif c == "|":
            out.append(c)
            if stack[-1].open_alternative:  # an empty alternative, as in (|a) or (a||b)
                stack[-1].firsts.append("")
            stack[-1].open_alternative = True
            i, last, alike = i + 1, None, False
        else:
            _first(stack[-1], "" if c in ".^$" else c)
            out.append(c)
            i, last, alike = i + 1, None if c in "^$" else False, False
    found.plain = "".join(out)
    return found


def _group_head(pattern: str, i: int) -> str:
    """The opening of the group at `i`: `(`, `(?:`, `(?P<name>`, `(?i:`, a lookaround's, a comment or `(?P=x)`."""
    if not pattern.startswith("(?", i):
        return "("
    for head in (*LOOKAROUNDS, "(?:", "(?>"):
        if pattern.startswith(head, i):
            return head
    if pattern.startswith(("(?P<", "(?P=", "(?#", "(?("), i):
        end = pattern.find(">" if pattern.startswith("(?P<", i) else ")", i)
        return pattern[i : end + 1] if end >= 0 else pattern[i:]
    end = pattern.find(":", i)  # scoped flags such as (?i: or (?-i:
    return pattern[i : end + 1] if end >= 0 else "(?"


def _re2_problem(pattern: str) -> str | None:
    """RE2's reason for refusing a pattern, or None (quietly: RE2 would log each refusal to stderr)."""
    options = re2.Options()
    options.log_errors = False
    try:
        re2.compile(pattern, options=options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "refused"
        return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
    return None


def problem(pattern: str) -> str | None:
    """Why a vocabulary regex cannot be used the way classify.py uses it (joined as `(?:...)|...`, searched
    case-insensitively with Python's re in every label and page text), or None."""
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as exc:  # `a{99999999999}`: OverflowError; 10k `(`: recursion
        return f"bad regular expression: {exc}"
    try:
        re.compile(f"(?:{pattern})")
    except re.error:  # `(?i)x` alone compiles; inside the joined expression it is an error
        return "bad regular expression: a global flag such as (?i) must not be used here (write (?i:...))"
    found = shape(pattern)
    for part in (found.plain, *found.lookarounds):
        why = _re2_problem(part)
        if why:
            return (
                f"not a regular expression RE2 accepts ({why}): no back references, atomic groups, possessive "
                "repeats or conditionals, at most 1000 repeats"
            )
    plain = re.compile(found.plain)
    if any(m.start() == m.end() for text in _EMPTY_PROBES for m in plain.finditer(text)):
        return "the regular expression can match empty text, so it would match every label"
    if found.nested_repeat:
        return (
            "nested repetition such as (a+)+ can run for hours on some text (phrases are matched with Python's "
            "re); write it with no variable repeat inside a repeat, e.g. a+ for (a+)+"
        )
    if found.ambiguous_repeat:
        return (
            "a repeat over alternatives that may start alike, such as (a|ab)+ or (\\w|\\d)+, can run for hours on "
            "some text (phrases are matched with Python's re); make each alternative start differently, e.g. "
            "a(?:b|c) for (?:ab|ac), or use one class, e.g. \\w+ for (\\w|\\d)+"
        )
    return None

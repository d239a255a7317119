"""What a screen or an action *is*: goal, offer, survey, auth gate; exit, keep, offer-accept, dismiss.

Everything is driven by phrase lists (the rule packs' `vocabulary`; the core pack's by default), matched on
whole words in any of the listed languages, so teams extend the auditor by adding phrases, not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml

from auditor.graph import FlowGraph
from auditor.records import Field

DECIDED_KEPT = 20_000  # labels whose intent is kept, read once (Vocabulary._decided); then the memo starts over
INTENT_ORDER = ("avoid", "keep", "exit", "offer", "join", "dismiss", "progress", "path")


def _phrases(by_language: Mapping[str, Iterable[str]] | None) -> tuple[str, ...]:
    """All languages' phrases in one tuple; plain phrases lower-cased, `re:` expressions kept as written."""
    return tuple(
        str(p) if str(p).startswith("re:") else str(p).lower()
        for phrases in (by_language or {}).values()
        for p in phrases
    )


@lru_cache(maxsize=256)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex that finds any phrase as whole words (a phrase may start or end with punctuation)."""
    alternatives = sorted({_alternative(p) for p in phrases if p}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile("|".join(alternatives), re.IGNORECASE)


# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): a word's edge cannot be
# seen in the text, so a phrase edge in one of them asserts none ("解約" is found in "解約する").
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
)
_UNSPACED_EDGE = re.compile(f"[{UNSPACED}]")


def _alternative(phrase: str) -> str:
    """A phrase as whole words: a boundary on each side that starts or ends with a word character, so
    "ok" does not match inside "okay" while "% off" still matches in "50% off"; none in a phrase of a script
    written without spaces (UNSPACED), whose edges cannot be seen: "1回のみ" is found in "今回1回のみ". The
    boundary is a plain \\w look-around: a class of the unspaced ranges in every alternative would cost regex
    compilation some 15 ms a phrase."""
    if phrase.startswith("re:"):
        return f"(?:{phrase[3:]})"
    if _UNSPACED_EDGE.search(phrase):
        return re.escape(phrase)
    before = r"(?<!\w)" if re.match(r"\w", phrase) and not _UNSPACED_EDGE.match(phrase[0]) else ""
    after = r"(?!\w)" if re.search(r"\w$", phrase) and not _UNSPACED_EDGE.match(phrase[-1]) else ""
    return before + re.escape(phrase) + after


def _decide(patterns: Iterable[tuple[str, re.Pattern[str]]], label: str) -> tuple[str, str] | None:
    """The intent of `label` among `patterns` (in INTENT_ORDER) and the phrase that decided it; None: no phrase.
    The first intent wins, unless a later intent's phrase holds its phrase and more: in one vocabulary of many
    languages a word of one is a phrase's first word in another ("Finalizar compra", buying in Portuguese and
    Spanish, holds "finalizar", ending). Nothing overrides `avoid`."""
    found = [(name, hit) for name, pattern in patterns if (hit := pattern.search(label))]
    if not found:
        return None
    name, first = found[0]
    if name != "avoid":
        for later, hit in found[1:]:
            if hit.start() <= first.start() and first.end() <= hit.end() and hit.group(0) != first.group(0):
                return later, hit.group(0)
    return name, first.group(0)


@dataclass(frozen=True)
class Vocabulary:
    """Phrase lists by category and language."""

    intents: Mapping[str, tuple[str, ...]]
    refuse: tuple[str, ...]
    phrases: Mapping[str, tuple[str, ...]]
    # category -> language -> phrases as written: what the auditor itself says, in the page's language
    written: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    # intent -> language -> phrases: a page's own language speaks first (`intent_why`)
    intents_in: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Vocabulary:
        phrases = data.get("phrases") or {}
        return cls(
            intents={k: _phrases(v) for k, v in (data.get("intents") or {}).items()},
            refuse=_phrases(data.get("refuse")),
            phrases={k: _phrases(v) for k, v in phrases.items()},
            written={k: {lang: tuple(map(str, said)) for lang, said in (v or {}).items()} for k, v in phrases.items()},
            intents_in={
                k: {lang: _phrases({lang: said}) for lang, said in (v or {}).items()}
                for k, v in (data.get("intents") or {}).items()
            },
        )

    @classmethod
    def default(cls) -> Vocabulary:
        """The core pack's vocabulary (what the explorer and tests use when no pack is given)."""
        text = resources.files("auditor.rules").joinpath("packs", "core.yaml").read_text(encoding="utf-8")
        return cls.from_mapping(yaml.safe_load(text)["vocabulary"])

    @cached_property
    def _intent_patterns(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        out = []
        for name in INTENT_ORDER:
            pattern = _pattern(tuple(self.intents.get(name, ())))
            if pattern:
                out.append((name, pattern))
        return tuple(out)

    def _intent_patterns_in(self, lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """The intent patterns of one language's phrases only, in INTENT_ORDER (cached by `_pattern`)."""
        out = []
        for name in INTENT_ORDER:
            pattern = _pattern(tuple(self.intents_in.get(name, {}).get(lang, ())))
            if pattern:
                out.append((name, pattern))
        return tuple(out)

    @cached_property
    def _speaking(self) -> dict[str, Vocabulary]:
        return {}

    def speaking(self, lang: str) -> Vocabulary:
        """This vocabulary with the `phrases` of one language ("de" or "de-AT") and English only, for copy
        known to be written in it: a word of a third language reads as nothing (Spanish "perder mi descuento"
        holds Italian's speaker "mi"); English stays, as pages mix it in ("OK", "No thanks"). Itself for an
        unknown language or one no phrase list has."""
        code = lang.strip().lower().split("-")[0]
        if not any(code in by_language for by_language in self.written.values()):
            return self
        if code not in self._speaking:
            phrases = {k: _phrases({c: v[c] for c in (code, "en") if c in v}) for k, v in self.written.items()}
            self._speaking[code] = replace(self, phrases=phrases)
        return self._speaking[code]

    def find(self, category: str, text: str) -> str | None:
        """The first phrase of a `phrases` list found in `text` (as whole words), or None."""
        pattern = _pattern(tuple(self.phrases.get(category, ())))
        found = pattern.search(text) if pattern else None
        return found.group(0) if found else None

    def say(self, category: str, lang: str) -> str | None:
        """The first phrase of a `phrases` list in the page's language (`<html lang>`, "de-AT" as "de"), else
        in English; None when the list has neither. For what the auditor types (a chat request)."""
        by_language = self.written.get(category, {})
        for code in (lang.lower().split("-")[0], "en"):
            if by_language.get(code):
                return by_language[code][0]
        return None

    def spans(self, category: str, text: str) -> list[tuple[int, int]]:
        """Where each phrase of a `phrases` list occurs in `text` (start, end), in order."""
        pattern = _pattern(tuple(self.phrases.get(category, ())))
        return [m.span() for m in pattern.finditer(text)] if pattern else []

    def matches(self, category: str, text: str) -> bool:
        return self.find(category, text) is not None

    def intent(self, label: str, lang: str = "") -> str:
        """The intent of an action label: the first category (in INTENT_ORDER) with a phrase in it."""
        return self.intent_why(label, lang)[0]

    def intent_why(self, label: str, lang: str = "") -> tuple[str, str | None]:
        """The intent of an action label and the phrase that decided it (None: no phrase, "neutral"). With the
        page's language (`lang`, "de" or "de-AT"), that language's phrases are tried first: a label that means
        one thing in the page's language and another in some other language means the page's; a label with no
        phrase of the page's language is read in every language (an English "Cancel" on a German page)."""
        code = lang.strip().lower().split("-")[0]
        known = self._decided.get((label, code))
        if known is None:
            decided = _decide(self._intent_patterns_in(code), label) if code else None
            known = decided or _decide(self._intent_patterns, label) or ("neutral", None)
            if len(self._decided) >= DECIDED_KEPT:
                self._decided.clear()
            self._decided[(label, code)] = known
        return known

    @cached_property
    def _decided(self) -> dict[tuple[str, str], tuple[str, str | None]]:
        """Labels already read, by language: a site's header, menu and footer repeat the same 30-60 labels on
        every screen, and each reading runs every intent's pattern over the label."""
        return {}

    def refuses(self, label: str) -> bool:
        pattern = _pattern(tuple(self.refuse))
        return bool(pattern and pattern.search(label))


def screen_kind(
    vocab: Vocabulary,
    *,
    text: str,
    dialog_text: str,
    fields: Iterable[Field],
    intents: Iterable[str],
    labels: Iterable[str] = (),
    checkable: int,
    is_start: bool,
    is_goal: bool,
    http_status: int | None,
) -> str:
    """start, goal, error, auth, survey, offer, dead_end or info; the first that holds, in that order."""
    intents = list(intents)
    seen = f"{dialog_text} {text}"
    if is_goal:
        return "goal"
    if is_start:
        return "start"
    if http_status is not None and http_status >= 400:
        return "error"
    if asks_auth(vocab, seen, fields, labels):
        return "auth"
    if checkable >= 2 and vocab.matches("survey", seen):
        return "survey"
    if vocab.matches("offer", seen) and ({"keep", "offer"} & set(intents)):
        return "offer"
    if not intents:
        return "dead_end"
    return "info"


def asks_auth(vocab: Vocabulary, seen: str, fields: Iterable[Field], labels: Iterable[str] = ()) -> bool:
    """An auth gate: the screen asks for a password (a password field, or an `auth` phrase in what it shows)
    and the way on needs it. A sign-in box offered beside a way on without an account (`labels`, the screen's
    usable controls, hold a `guest` phrase: "Continue as guest") is a returning customer's shortcut, no check
    on the purchase: the purchase goes on without the password."""
    if not (any(f.is_password for f in fields) or vocab.matches("auth", seen)):
        return False
    return not any(vocab.matches("guest", label) for label in labels)


def screen_kind_of(graph: FlowGraph, vocab: Vocabulary, state: str, *, is_start: bool) -> str:
    """One screen's kind, judged on its usable, not avoided controls (see classify.screen_kind)."""
    screen = graph.screen(state)
    shown = [e for e in screen.elements if e.usable and not e.avoided]
    return screen_kind(
        vocab,
        text=screen.text,
        dialog_text=(screen.dialog or {}).get("text", ""),
        fields=screen.fields,
        intents=[vocab.intent(e.label, screen.lang) for e in shown],
        labels=[e.label for e in shown],
        checkable=sum(1 for e in shown if e.kind == "check" or (e.kind == "click" and e.group)),  # reason buttons
        is_start=is_start,
        is_goal=state in graph.goals,
        http_status=screen.http_status,
    )

"""What a screen or an action *is*: goal, offer, survey, auth gate; exit, keep, offer-accept, dismiss.

Everything is driven by phrase lists (the rule packs' `vocabulary`; the core pack's by default), matched on
whole words in any of the listed languages, so teams extend the auditor by adding phrases, not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml

from auditor.graph import FlowGraph
from auditor.records import Field

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


def _alternative(phrase: str) -> str:
    """A phrase as whole words: a boundary on each side that starts or ends with a word character, so
    "ok" does not match inside "okay" while "% off" still matches in "50% off"."""
    if phrase.startswith("re:"):
        return f"(?:{phrase[3:]})"
    before = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    after = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return before + re.escape(phrase) + after


@dataclass(frozen=True)
class Vocabulary:
    """Phrase lists by category and language."""

    intents: Mapping[str, tuple[str, ...]]
    refuse: tuple[str, ...]
    phrases: Mapping[str, tuple[str, ...]]
    # category -> language -> phrases as written: what the auditor itself says, in the page's language
    written: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Vocabulary:
        phrases = data.get("phrases") or {}
        return cls(
            intents={k: _phrases(v) for k, v in (data.get("intents") or {}).items()},
            refuse=_phrases(data.get("refuse")),
            phrases={k: _phrases(v) for k, v in phrases.items()},
            written={k: {lang: tuple(map(str, said)) for lang, said in (v or {}).items()} for k, v in phrases.items()},
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

    def intent(self, label: str) -> str:
        """The intent of an action label: the first category (in INTENT_ORDER) with a phrase in it."""
        return self.intent_why(label)[0]

    def intent_why(self, label: str) -> tuple[str, str | None]:
        """The intent of an action label and the phrase that decided it (None: no phrase, "neutral")."""
        for name, pattern in self._intent_patterns:
            if found := pattern.search(label):
                return name, found.group(0)
        return "neutral", None

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
        intents=[vocab.intent(e.label) for e in shown],
        labels=[e.label for e in shown],
        checkable=sum(1 for e in shown if e.kind == "check" or (e.kind == "click" and e.group)),  # reason buttons
        is_start=is_start,
        is_goal=state in graph.goals,
        http_status=screen.http_status,
    )

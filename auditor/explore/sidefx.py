"""Forms that act outside the flow: a password reset, a "resend my link", a contact or review form, a
newsletter, an invite, a report of abuse, deleting the account. Submitted with the spec's e-mail address, they
send mail to a real person or change a real account, and no verdict needs them; the explorer never submits
one. Each is recorded as seen and held back (the report lists them in the flow's `exploration.held_back`).

A control is held back when it would act (a button, or a link that goes nowhere but runs a script) and
- its own label says one of these things (the pack vocabulary's `side_<kind>` phrases: "Reset password",
  "Resend link", "Send message", "Subscribe to our newsletter"), or
- it belongs to a form (a <form>, or for a formless button the nearest box around it with a few fields:
  observe.Observation.form_around) whose own words (aria-label, legend, headings in and just before it,
  action path, its fields' names) say one, and whose fields fit: a lone e-mail field for a reset, a resend or
  a newsletter, an e-mail field for an invite, a text area for a contact, a review or a report.
Deleting the account is read on every control, links too (as the `avoid` words are). A kind is allowed when
the flow's goal says the same thing ("Your account has been deleted") or the spec names it in
`explore.allow_side_effects`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from urllib.parse import urldefrag

from auditor.classify import Vocabulary
from auditor.explore.observe import Observation
from auditor.plural import plural
from auditor.records import Control, Field
from auditor.spec import FlowSpec

KINDS = ("password_reset", "resend_link", "contact", "newsletter", "invite", "review", "report_abuse", "delete_account")
ANY_CONTROL = frozenset({"delete_account"})  # read on links and boxes too, not only on what submits
_SEPARATORS = re.compile(r"[_\-/.]+")  # in names, ids and paths: "newsletter_email", "/password-reset"


@dataclass(frozen=True)
class HeldBack:
    """A control the explorer saw and did not act on, because it would act outside the flow."""

    kind: str  # one of KINDS
    label: str
    state: str
    url: str
    why: str  # what gave it away, in words: "its label says 'resend link'"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _words(text: str) -> str:
    """The text as written and with its separators as spaces: "e-mail" stays, "password-reset" is read too."""
    spaced = _SEPARATORS.sub(" ", text)
    return text if spaced == text else f"{text} {spaced}"


class SideEffects:
    """Judges a screen's controls and keeps the list of those held back, once per kind, label and page."""

    def __init__(self, spec: FlowSpec, vocab: Vocabulary) -> None:
        self.vocab = vocab
        goal = " ".join([*spec.goal.text, _words(spec.goal.url or "")])
        named = {kind for kind in KINDS if goal.strip() and self.says(kind, goal)}
        self.allowed = frozenset(spec.explore.allow_side_effects) | named
        self._held: dict[tuple[str, str, str], HeldBack] = {}
        self._shapes: dict[str, Callable[[Sequence[Field]], bool]] = {
            "password_reset": self._lone_email,
            "resend_link": self._lone_email,
            "newsletter": self._few_with_email,
            "invite": self._has_email,
            "contact": _has_text_area,
            "review": _has_text_area,
            "report_abuse": _has_text_area,
        }

    def says(self, kind: str, text: str) -> str | None:
        return self.vocab.find(f"side_{kind}", text)

    def hold(self, state: str, obs: Observation, control: Control) -> HeldBack | None:
        """The record of `control` held back (kept for the report), or None when it may be acted on."""
        found = self.judge(obs, control)
        if found is None:
            return None
        kind, why = found
        held = HeldBack(kind, control.label, state, obs.url, why)
        self._held.setdefault((kind, control.label, urldefrag(obs.url)[0]), held)
        return held

    def judge(self, obs: Observation, control: Control) -> tuple[str, str] | None:
        """(kind, why) when `control` would act outside the flow and its kind is not allowed."""
        acts = _acts(obs, control)
        for kind in KINDS:
            if kind in self.allowed or not (acts or kind in ANY_CONTROL):
                continue
            if phrase := self.says(kind, control.label):
                return kind, f"its label says {phrase!r}"
        own, fields = obs.form_around(control) if acts else ("", [])
        if not fields:
            return None
        names = " ".join(_words(" ".join((f.label, f.name, f.id, f.placeholder))) for f in fields)
        words = f"{_words(own)} {names}"
        for kind, fits in self._shapes.items():
            if kind in self.allowed or not fits(fields):
                continue
            if phrase := self.says(kind, words):
                return kind, f"its form says {phrase!r} and asks for {_asks(fields)}"
        return None

    def held_back(self) -> list[dict[str, str]]:
        return [h.to_dict() for h in self._held.values()]

    def _is_email(self, f: Field) -> bool:
        named = _words(f"{f.label} {f.name} {f.id} {f.placeholder}")
        return f.type == "email" or self.vocab.matches("email_field", named)

    def _lone_email(self, fields: Sequence[Field]) -> bool:
        return len(fields) == 1 and self._is_email(fields[0])  # (the probe leaves hidden fields out)

    def _few_with_email(self, fields: Sequence[Field]) -> bool:
        """A newsletter asks for an e-mail address, at most a name besides it, never a password."""
        return len(fields) <= 2 and self._has_email(fields) and not _has_text_area(fields)

    def _has_email(self, fields: Sequence[Field]) -> bool:
        return any(self._is_email(f) for f in fields) and not any(f.is_password for f in fields)


def _has_text_area(fields: Sequence[Field]) -> bool:
    return any(f.type == "textarea" for f in fields)


def _acts(obs: Observation, control: Control) -> bool:
    """Would acting on it do something: a click on anything but a link to another page (a link to this page,
    or to none, runs a script instead)."""
    if control.kind != "click":
        return False
    if control.tag != "a" or not control.href:
        return True
    href = control.href.lower()
    return href.startswith("javascript:") or urldefrag(control.href)[0] == urldefrag(obs.url)[0]


def _asks(fields: Sequence[Field]) -> str:
    kinds = sorted({f.type for f in fields})
    return f"{plural(len(fields), 'field')}: {', '.join(kinds)}" if fields else "nothing"

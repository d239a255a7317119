"""Forms that refuse: a submit that comes back with an inline error is tried again after doing what the
error names, from the screen that shows it (as a user does: read the message, tick the box, submit again).

A submit is refused when it brings an error the page did not show before (a live error region: role=alert,
aria-live=assertive, a field's aria-errormessage; or an alert() it raised), or, inside the flow's funnel, when
it leaves the screen as it was (a "Next step" that only warns "Please select a reason"). An error names a
control when most of the control's words are in it ("Please confirm that you understand you will lose free
delivery" names the box "I understand I will lose free delivery"); when it names none, the choices not yet
made in the refused control's form are what a user would try: the boxes the page marks required, if any, else
the unticked boxes and unanswered questions, but never a box that raises the price (a `price` phrase in its
row: "Cancellation cover +$4.99", "Priority boarding +4,99 €"): a user gets past a form without buying an
extra, and a charge intercepted past it must be the user's own. Once one is made, the refused control is
tried again; the other answers of the question just answered are no fix. What was ticked to get past a
refusal, and which priced boxes were left alone, is recorded (the exploration's `form_fixes`).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.classify import Vocabulary
from auditor.explore.act import submits
from auditor.explore.events import Journal
from auditor.explore.observe import Observation
from auditor.noise import normalise
from auditor.records import Control

MIN_WORD = 3  # shorter words ("I", "to", "a") name nothing
NAMED = 0.6  # this share of a control's words in an error: the error names the control


@dataclass(frozen=True)
class Refusal:
    """A submit the page refused: the control to try again and the fixes not yet made."""

    retry: str  # the refused control's action key
    fixes: frozenset[str]  # keys of the controls the error asks for


def new_errors(before: Observation, after: Observation) -> list[str]:
    """The error messages `after` shows that `before` did not."""
    said = {normalise(e) for e in before.errors}
    return [e for e in after.errors if normalise(e) not in said]


def _words(text: str) -> set[str]:
    return {w for w in normalise(text).split() if len(w) >= MIN_WORD}


def fixes_for(errors: list[str], obs: Observation, refused: Control, vocab: Vocabulary) -> frozenset[str]:
    """The keys of the controls on `obs` that the errors name; else the choices of the refused form not yet
    made (see the module docstring): its required boxes, else its unticked boxes that cost nothing, the
    answers of its unanswered questions and its selects."""
    said = set().union(*(_words(e) for e in errors))
    usable = [e for e in obs.elements if e.usable and e.key != refused.key]
    named = {e.key for e in usable if (words := _words(e.label)) and len(words & said) >= NAMED * len(words)}
    if named:
        return frozenset(named)
    same_form = [e for e in usable if e.frame_no == refused.frame_no and e.form == refused.form]
    answered = {e.group for e in same_form if e.group and e.checked}
    open_choices = [
        e
        for e in same_form
        if e.kind == "select" or (e.kind == "check" and not e.checked and not (e.group and e.group in answered))
    ]
    required = [e for e in open_choices if e.required]
    return frozenset(e.key for e in (required or open_choices) if not priced(e, vocab))


def priced(element: Control, vocab: Vocabulary) -> str | None:
    """The amount a box adds to the price, as its row shows it ("+$4.99"); None for a box that costs nothing
    (a question's answers are alternatives of which one must be chosen, so they never count as priced)."""
    if element.kind != "check" or element.group:
        return None
    return vocab.find("price", element.row or element.label)


def after_fix(refusal: Refusal, fix: Control, obs: Observation) -> Refusal:
    """What is left to do once `fix` is made: the refused control again, and the other fixes (not the other
    answers of the question `fix` answered)."""
    siblings = {e.key for e in obs.elements if fix.group and e.group == fix.group}
    return Refusal(refusal.retry, refusal.fixes - {fix.key} - siblings)


class Refusals:
    """The screens of one flow that show a refused submit, what is still to do on each, and what was done."""

    def __init__(self, vocab: Vocabulary, journal: Journal) -> None:
        self.vocab = vocab
        self.by_state: dict[str, Refusal] = {}
        self.log = journal.form_fixes  # each fix made: where, what was ticked, which priced boxes were not
        self.refused = False  # the latest action followed was a refused submit

    def follow(
        self,
        key: str,
        element: Control,
        before: tuple[str, Observation],
        after: tuple[str, Observation],
        said: list[str],
        in_funnel: bool,
    ) -> list[tuple[str, frozenset[str]]]:
        """After the action `key` on `element` led from `before` to `after` (state, look), raising the alerts
        `said`: which keys to insist on, on which screen. A refusal's fixes go next on the screen showing the
        error, and on the screen the submit was refused from (do first what the error names, then submit: the
        cheaper way); after a fix, the refused submit goes next again."""
        (source, seen), (target, obs) = before, after
        errors = new_errors(seen, obs) + said
        stuck = target == source and in_funnel
        pending = self.by_state.get(source)
        self.refused = submits(element) and bool(errors or stuck)
        if self.refused and (fixes := fixes_for(errors, obs, element, self.vocab)):
            self.by_state[target] = Refusal(retry=key, fixes=fixes)
            return [(target, fixes), (source, fixes)]
        if pending and key in pending.fixes and target != source:
            self._record(source, element, seen)
            left = self.by_state.setdefault(target, after_fix(pending, element, seen))
            return [(target, left.fixes | {left.retry})]
        return []

    def _record(self, state: str, fix: Control, seen: Observation) -> None:
        boxes = [(e, priced(e, self.vocab)) for e in seen.elements if e.usable]
        left = [{"label": e.label, "price": price} for e, price in boxes if price]
        entry = {"state": state, "ticked": fix.label, "priced": left}
        if entry not in self.log:
            self.log.append(entry)

"""A refused form on recorded-style observations: which errors are new, and what they ask the user to do."""

from __future__ import annotations

from dataclasses import replace

from auditor.classify import Vocabulary
from auditor.explore.observe import Observation
from auditor.explore.refusal import fixes_for, new_errors
from auditor.records import Control


def _control(key: str, label: str, kind: str = "click", form: int | None = 0, checked: bool | None = None) -> Control:
    role = "checkbox" if kind == "check" else "button"
    return Control(key=key, kind=kind, label=label, role=role, tag="input", form=form, checked=checked)


def _page(*elements: Control, errors: tuple[str, ...] = ()) -> Observation:
    return Observation("http://x.test/end", "", "", "", None, None, list(elements), [], 200, errors=list(errors))


VOCAB = Vocabulary.default()
SUBMIT = _control("main|click|button|end membership#0", "End membership")
BOX = _control("main|check|checkbox|i understand#0", "I understand I will lose free delivery", "check", checked=False)
NEWS = _control("main|check|checkbox|newsletter#0", "Send me offers", "check", form=None, checked=False)


def test_only_errors_the_action_brought_are_new() -> None:
    before = _page(SUBMIT, errors=("Your session expires soon",))
    after = _page(SUBMIT, errors=("Your session expires soon", "Please confirm that you understand"))
    assert new_errors(before, after) == ["Please confirm that you understand"]
    assert new_errors(after, after) == []


def test_an_error_names_the_box_it_asks_for_in_other_words() -> None:
    page = _page(SUBMIT, BOX, NEWS)
    said = ["Please confirm that you understand you will lose free delivery"]
    assert fixes_for(said, page, SUBMIT, VOCAB) == {BOX.key}


def test_an_error_that_names_nothing_points_at_the_refused_forms_unticked_boxes() -> None:
    ticked = _control("main|check|checkbox|keep#0", "Keep my history", "check", checked=True)
    page = _page(SUBMIT, BOX, NEWS, ticked)
    missing = ["Something is missing."]
    assert fixes_for(missing, page, SUBMIT, VOCAB) == {BOX.key}  # not the other form's, not a ticked one
    assert fixes_for(["Something is missing."], _page(SUBMIT, NEWS), SUBMIT, VOCAB) == frozenset()


def test_a_box_that_raises_the_price_is_no_fix_and_a_required_box_goes_first() -> None:
    """The amount beside a box (in its row, not only its label) marks it as an extra the user would pay for."""
    cover = replace(BOX, key="main|check|checkbox|cover#0", label="Cancellation cover", row="Cancellation cover +$4.99")
    euro = replace(BOX, key="main|check|checkbox|priority#0", label="Priority boarding +4,99 €")
    missing = ["Something is missing."]
    assert fixes_for(missing, _page(SUBMIT, BOX, cover, euro), SUBMIT, VOCAB) == {BOX.key}
    terms = replace(BOX, key="main|check|checkbox|terms#0", label="I accept the terms", required=True)
    assert fixes_for(missing, _page(SUBMIT, BOX, cover, terms), SUBMIT, VOCAB) == {terms.key}

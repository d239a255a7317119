"""A refused form on recorded-style observations: which errors are new, and what they ask the user to do."""

from __future__ import annotations

from auditor.explore.observe import Observation
from auditor.explore.refusal import fixes_for, new_errors
from auditor.records import Control


def _control(key: str, label: str, kind: str = "click", form: int | None = 0, checked: bool | None = None) -> Control:
    role = "checkbox" if kind == "check" else "button"
    return Control(key=key, kind=kind, label=label, role=role, tag="input", form=form, checked=checked)


def _page(*elements: Control, errors: tuple[str, ...] = ()) -> Observation:
    return Observation("http://x.test/end", "", "", "", None, None, list(elements), [], 200, errors=list(errors))


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
    assert fixes_for(said, page, SUBMIT) == {BOX.key}


def test_an_error_that_names_nothing_points_at_the_refused_forms_unticked_boxes() -> None:
    ticked = _control("main|check|checkbox|keep#0", "Keep my history", "check", checked=True)
    page = _page(SUBMIT, BOX, NEWS, ticked)
    assert fixes_for(["Something is missing."], page, SUBMIT) == {BOX.key}  # not the other form's, not a ticked one
    assert fixes_for(["Something is missing."], _page(SUBMIT, NEWS), SUBMIT) == frozenset()

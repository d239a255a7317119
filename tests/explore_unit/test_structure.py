"""The frontier's fallback on structure, on recorded screens of a site in a language no pack knows
(tests/sites/sanaton, Finnish): the button a screen puts forward goes first, choices go before a disabled
forward button, and screens whose labels carry words are scored by the words alone."""

from __future__ import annotations

import dataclasses

import pytest

from auditor.explore.frontier import WEIGHTS, Frontier
from auditor.explore.structure import primary, wordless
from auditor.records import Control
from tests.explore_unit.fixtures import load, spec, vocab
from tests.explore_unit.test_frontier import label, scored

LEAVE = spec("cancellation", "sanaton")


def first_of(name: str, **kw: object) -> str:
    scorer, items = scored(LEAVE, name, **kw)  # type: ignore[arg-type]
    frontier = Frontier(scorer.direction)
    frontier.add(items)
    return label(frontier.next("s1"))


SANATON = ["sanaton-account", "sanaton-dialog", "sanaton-survey", "sanaton-survey-answered", "sanaton-confirm"]


@pytest.mark.parametrize("name", SANATON)
def test_the_finnish_screens_carry_no_word_the_flow_weighs(name: str) -> None:
    assert wordless(load(name).elements, vocab(), WEIGHTS.leave)


@pytest.mark.parametrize("name", ["spa-home", "spa-offer", "iliad-home", "fittrack-offer", "cartly-checkout"])
def test_english_screens_are_scored_by_their_words(name: str) -> None:
    assert not wordless(load(name).elements, vocab(), WEIGHTS.leave)
    assert not wordless(load(name).elements, vocab(), WEIGHTS.join)


def test_the_account_pages_filled_button_goes_before_fourteen_tabs() -> None:
    _, items = scored(LEAVE, "sanaton-account", depth=0)
    by_label = {label(i): i for i in items}
    assert sum(1 for e in load("sanaton-account").elements if e.role == "tab") == 14
    assert by_label["päätä jäsenyys"].score == WEIGHTS.primary
    assert max(i.score for i in items if i is not by_label["päätä jäsenyys"]) == 0  # tabs and links alike
    assert first_of("sanaton-account", depth=0) == "päätä jäsenyys"


def test_an_open_dialogs_primary_goes_first_not_its_close_or_secondary() -> None:
    obs = load("sanaton-dialog")
    lead = primary(obs.elements)
    assert lead is not None and lead.label == "Jatka" and lead.in_dialog
    # the opener behind the dialog is as filled and as tall, but the dialog is what the last action asked for
    assert any(e.label == "Päätä jäsenyys" and e.styled_as == "button" and not e.in_dialog for e in obs.elements)
    assert first_of("sanaton-dialog", parent="sanaton-account") == "jatka"


def test_choices_go_before_the_links_while_the_forward_button_is_disabled() -> None:
    obs = load("sanaton-survey")
    lead = primary(obs.elements)
    assert lead is not None and lead.label == "Jatka eteenpäin" and not lead.enabled  # it waits for a choice
    scorer, items = scored(LEAVE, "sanaton-survey", parent="sanaton-dialog")
    assert scorer.skipped["disabled"] >= 1
    assert first_of("sanaton-survey", parent="sanaton-dialog") in {"liian kallis", "ei aikaa", "jokin muu"}


def test_once_answered_the_unlocked_forward_button_goes_first() -> None:
    assert first_of("sanaton-survey-answered", parent="sanaton-survey") == "jatka eteenpäin"


def test_of_two_alike_filled_buttons_the_one_where_the_way_on_stood_goes_first() -> None:
    elements = load("sanaton-confirm").elements
    assert primary(elements) is None  # "Näytä yhteenveto" and "Vahvista päättäminen" stand equally tall
    came_from = next(e.bbox for e in load("sanaton-survey-answered").elements if e.label == "Jatka eteenpäin")
    lead = primary(elements, came_from)
    assert lead is not None and lead.label == "Vahvista päättäminen"
    assert primary(elements, came_from, came_by=lead.key) is None  # the control that acted in place is no way on
    forward = first_of("sanaton-confirm", parent="sanaton-survey-answered", came_by="x", came_from=came_from)
    assert forward == "vahvista päättäminen"
    assert first_of("sanaton-confirm", parent="sanaton-survey-answered") != forward  # without: page order


def _filled(e: Control, **changes: object) -> Control:
    return dataclasses.replace(e, styled_as="button", **changes)  # type: ignore[arg-type]


def test_no_primary_when_two_filled_buttons_are_alike_or_the_filled_one_is_a_tab() -> None:
    elements = load("sanaton-account").elements
    opener = next(e for e in elements if e.label == "Päätä jäsenyys")
    tab = next(e for e in elements if e.role == "tab")
    twin = _filled(tab, role="button", bbox=opener.bbox)
    assert primary([*elements, twin]) is None  # a row of equal buttons names no primary
    big_tab = _filled(tab, bbox=_taller(opener))
    assert primary([*elements, big_tab]) is opener  # a selected tab drawn filled moves within the page
    close = _filled(tab, role="button", label="×", bbox=_taller(opener))
    assert primary([*elements, close]) is opener  # a close button has no letters


def _taller(e: Control) -> tuple[float, ...]:
    x, y, width, height = e.bbox or (0, 0, 0, 0)
    return (x, y, width, height * 3)

"""Filler values a field's own constraints accept (values.py): no browser, the browser's `validity` decides
between them at fill time (tests/e2e/test_forms_funnels.py)."""

from __future__ import annotations

import re

from auditor.explore.values import candidates, from_pattern
from auditor.records import Field


def test_a_pattern_makes_a_value_it_matches() -> None:
    for pattern in ("[0-9]{5}", r"[A-Z]{2}\d{4}(-\d+)?", r"(?:DE|AT)[0-9]{9}", "[^@]+@[^@]+", r"\w{3,8}"):
        made = from_pattern(pattern)
        assert made is not None and re.fullmatch(pattern, made), (pattern, made)
    assert from_pattern(r"(a)\1") is None  # a back-reference is beyond it: the plain fillers are tried


def test_dates_times_and_numbers_stay_inside_their_range() -> None:
    assert candidates(Field(type="date", min="2030-01-02"))[0] == "2030-01-02"
    assert candidates(Field(type="time", min="06:00", max="22:00", step="1800"))[0] == "06:00"
    assert candidates(Field(type="number", min="3", max="9"))[0] == "3"
    assert candidates(Field(type="number", max="0"))[0] == "0"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T12:00", candidates(Field(type="datetime-local"))[0])
    assert re.fullmatch(r"\d{4}-W\d{2}", candidates(Field(type="week"))[0])


def test_texts_fit_their_length_and_a_datalist_offers_its_first_value() -> None:
    assert candidates(Field(type="text", pattern="[0-9]{5}", maxlength=5)) == ["00000", "Audit"]
    assert candidates(Field(type="text", maxlength=3)) == ["Aud"]
    assert candidates(Field(type="text", minlength=8)) == ["Auditxxx"]
    assert candidates(Field(type="text", suggestion="Car"))[0] == "Car"

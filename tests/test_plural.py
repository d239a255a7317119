"""Counts read as English does: "1 action", never "1 actions" (issue 27), in rule messages and CLI lines."""

from __future__ import annotations

import pytest

from auditor.plural import agree, plural, singular
from auditor.rules.engine import render


@pytest.mark.parametrize(
    ("word", "one"),
    [("actions", "action"), ("entries", "entry"), ("boxes", "box"), ("pages", "page"), ("minutes", "minute")],
)
def test_singular(word, one):
    assert singular(word) == one


def test_plural_counts():
    assert [plural(n, "finding") for n in (0, 1, 2)] == ["0 findings", "1 finding", "2 findings"]


def test_a_rule_message_agrees_with_its_count():
    template = "Cancelling takes {steps} user actions over {pages} pages on the cheapest path (limit: {max_steps})."
    assert render(template, {"steps": 1, "pages": 1, "max_steps": 5}) == (
        "Cancelling takes 1 user action over 1 page on the cheapest path (limit: 5)."
    )
    assert render(template, {"steps": 2, "pages": 3, "max_steps": 5}).startswith(
        "Cancelling takes 2 user actions over 3 pages"
    )


def test_words_that_only_end_in_s_are_left_alone():
    assert agree("{n} was {m} is", {"n": 1, "m": 1}) == "{n} was {m} is"
    assert agree("{flag} items", {"flag": True}) == "{flag} items"  # a boolean is no count


def test_every_shipped_message_with_a_count_reads_in_the_singular():
    """Every pack message renders with its counts at 1 without a plural noun right after a 1."""
    import re

    from auditor.rules.pack import load_rules, shipped_names

    for name in shipped_names():
        for rule in load_rules([name]).rules.values():
            names = re.findall(r"\{(\w+)\}", rule.message)
            text = render(rule.message, dict.fromkeys(names, 1))
            wrong = re.findall(r"\b1 (?:\w+ )?(actions|pages|steps|screens|inputs|findings|minutes|clicks)\b", text)
            assert not wrong, (rule.id, text)

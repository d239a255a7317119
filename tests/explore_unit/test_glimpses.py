"""Which of the messages a page showed for a moment belong to an action (explore/glimpses.py): those handed over
after the mark taken before it, once each, and not those the screen it led to still shows."""

from __future__ import annotations

from typing import Any

from auditor.explore.glimpses import Glimpses
from tests.explore_unit.fixtures import load


class _Frame:
    url = "http://127.0.0.1/account"


def shown(glimpses: Glimpses, text: Any, how: str = "status") -> None:
    glimpses._shown({"frame": _Frame()}, {"text": text, "how": how})


def test_an_actions_messages_are_those_shown_after_its_mark_and_gone_from_its_look() -> None:
    after = load("iliad-home")
    still = " ".join(after.text.split()[:4])  # words the screen still shows
    glimpses = Glimpses()
    shown(glimpses, "Saved your preferences")  # before the action
    mark = glimpses.mark()
    shown(glimpses, "Your membership has been cancelled.", "toast")
    shown(glimpses, "your  membership has been CANCELLED.", "alert")  # the same words again: once
    shown(glimpses, still)  # still on the screen: not a glimpse
    shown(glimpses, ["not", "a", "message"])  # the page calling the binding with something else
    assert glimpses.since(mark, after) == [
        {"text": "Your membership has been cancelled.", "how": "toast", "url": _Frame.url}
    ]

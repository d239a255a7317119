"""Form filling on recorded forms: which value goes in which field, and never an invented password.

act.py mixes the decision with page calls: `value_for` is pure and tested directly; `fill_fields` (which of a
screen's fields go with the control about to be clicked) is tested on a fake frame that records what would
be typed where, the way httpx tests its client on a mock transport. Clicking itself stays in the e2e tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from playwright.async_api import Frame

from auditor.explore.act import fill_fields, value_for
from auditor.explore.observe import Observation
from auditor.explore.values import DEFAULT_FILLER, FILLERS
from auditor.records import Field
from auditor.spec import Secret
from tests.explore_unit.fixtures import load

CARD = {"Name on card": "Sam Rivera", "Card number": "4242 4242 4242 4242", "Expiry": "12/30", "CVC": "123"}


def secrets(values: Mapping[str, str]) -> dict[str, Secret]:
    return {key: Secret(value) for key, value in values.items()}


def field(obs: Observation, label: str) -> dict[str, Any]:
    return next(f for f in obs.fields if f.label == label)


class FakeFrame:
    """Stands in for the page: the registry lookup by index, and a `fill` that records instead of typing."""

    def __init__(self) -> None:
        self.typed: dict[int, str] = {}

    async def evaluate_handle(self, js: str, index: int) -> FakeFrame.Handle:
        assert "__auditorRegistry" in js
        return FakeFrame.Handle(self, index)

    class Handle:
        def __init__(self, frame: FakeFrame, index: int) -> None:
            self.frame, self.index = frame, index

        def as_element(self) -> FakeFrame.Handle:
            return self

        async def fill(self, value: str, timeout: float) -> None:
            self.frame.typed[self.index] = value


def fill(name: str, control: str, inputs: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
    """Fill the recorded screen's fields for a click on `control` (a label); returns the recorded labels and
    what was typed, by field label."""
    obs, frame = load(name), FakeFrame()
    obs.frames = [cast(Frame, frame)]
    element = next(e for e in obs.elements if e.label == control)
    recorded = asyncio.run(fill_fields(obs, element, secrets(inputs), timeout_ms=1000))
    by_index = {f.index: f.label for f in obs.fields}
    return recorded, {by_index[i]: value for i, value in frame.typed.items()}


def test_a_required_password_is_never_invented() -> None:
    signup = load("iliad-signup")
    password = field(signup, "Password")
    assert password.required and password.type == "password"
    assert value_for(password, secrets({"Email": "new.shopper@primebox.test"})) == (None, "none")
    assert value_for(password, {}) == (None, "none")
    assert value_for(field(signup, "Email"), {}) == (FILLERS["email"], "filler")  # a harmless filler by type


def test_a_password_from_the_spec_is_typed_matched_without_case() -> None:
    password = field(load("iliad-signup"), "Password")
    assert value_for(password, secrets({"password": "shop-more-2025"})) == ("shop-more-2025", "input")


def test_a_field_that_names_itself_nowhere_is_known_by_its_type() -> None:
    """"Please enter your payment password" is text beside an unnamed field: `password:` still fills it, and a
    name the field has wins over its type."""
    unnamed = replace(field(load("iliad-signup"), "Password"), label="", name="", id="", placeholder="")
    assert value_for(unnamed, secrets({"password": "pw-1"})) == ("pw-1", "input")
    assert value_for(unnamed, secrets({"pin": "1234"})) == (None, "none")
    email = replace(field(load("iliad-signup"), "Email"), label="Your address", name="", id="", placeholder="")
    assert value_for(email, secrets({"email": "typed@x.test", "your address": "named@x.test"}))[0] == "named@x.test"


def test_inputs_match_by_label_name_placeholder_or_id() -> None:
    checkout = load("cartly-checkout")
    inputs = secrets({"Name on card": "Sam", "card_number": "4242", "mm/yy": "12/30", "co-cvc": "123"})
    assert [value_for(f, inputs) for f in checkout.fields] == [
        ("Sam", "input"),  # label
        ("4242", "input"),  # name
        ("12/30", "input"),  # placeholder, case-insensitive
        ("123", "input"),  # id
    ]
    assert [value_for(f, {}) for f in checkout.fields] == [(DEFAULT_FILLER, "filler")] * 4


def test_an_optional_field_is_left_alone() -> None:
    display_name = field(load("spa-settings"), "Display name")
    assert not display_name.required
    assert value_for(display_name, {}) == (None, "none")
    assert value_for(display_name, secrets({"display_name": "Alex"})) == ("Alex", "input")  # unless asked for


def test_the_checkout_button_fills_its_form_and_records_labels_not_values() -> None:
    recorded, typed = fill("cartly-checkout", "Continue", CARD)
    assert typed == CARD
    assert recorded == list(CARD)
    assert not any(value in label for label in recorded for value in CARD.values())


def test_fillers_are_marked_and_the_password_stays_empty() -> None:
    recorded, typed = fill("iliad-signup", "Start my free trial", {})
    assert typed == {"Email": FILLERS["email"]}
    assert recorded == ["Email (filler)"]
    recorded, typed = fill("iliad-signup", "Start my free trial", {"Password": "shop-more-2025"})
    assert typed == {"Email": FILLERS["email"], "Password": "shop-more-2025"}
    assert recorded == ["Email (filler)", "Password"]


def test_a_control_outside_the_form_fills_nothing() -> None:
    """The logo link is in no form; the card fields belong to the checkout form's own buttons."""
    assert fill("cartly-checkout", "Cartly", CARD) == ([], {})
    assert fill("iliad-signup", "Privacy notice", {"Email": "a@b.test"}) == ([], {})


def test_inputs_match_the_name_a_person_reads() -> None:
    """A required marker, a colon or "(required)" is not part of the name a person reads: `E-Mail` fills
    "E-Mail *"; the accessible name comes first, then name, id, placeholder."""
    email = replace(field(load("iliad-signup"), "Email"), label="E-Mail *", name="user", id="f1", placeholder="")
    assert value_for(email, secrets({"E-Mail": "a@x.test"})) == ("a@x.test", "input")
    assert value_for(replace(email, label="e-mail (required):"), secrets({"E-MAIL": "b@x.test"}))[0] == "b@x.test"
    assert value_for(email, secrets({"user": "by-name@x.test", "E-Mail": "by-label@x.test"}))[0] == "by-label@x.test"
    assert value_for(email, secrets({"f1": "by-id@x.test"}))[0] == "by-id@x.test"
    assert value_for(email, secrets({"E-Mail address": "no@x.test"})) == (FILLERS["email"], "filler")


def test_a_chats_message_box_gets_the_request_unless_the_spec_names_it() -> None:
    box = Field(label="Write a message", chat=True)
    said = "I want to cancel my subscription"
    assert value_for(box, {}, said) == (said, "request")
    assert value_for(box, {}) == (None, "none")  # no request to make (a sign-up or purchase flow)
    assert value_for(box, secrets({"Write a message": "Please end my plan"}), said) == ("Please end my plan", "input")
    assert value_for(replace(box, chat=False), {}, said) == (None, "none")  # any other optional box: left alone

"""Which controls act outside the flow (explore/sidefx.py), on hand-made screens: by a control's own label,
by a form's words and fields, in each language the core pack has; what stays allowed (the flow's own forms,
a goal that names the same thing, a spec's `allow_side_effects`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.explore.observe import Observation
from auditor.explore.sidefx import SideEffects
from auditor.records import Control, Field
from auditor.spec import ExploreOptions, FlowSpec, Goal
from tests.explore_unit.fixtures import spec, vocab

URL = "http://shop.test/checkout"


def button(label: str, form: int | None = 0, tag: str = "button", href: str | None = None) -> Control:
    return Control(key=f"main|click|button|{label}#0", kind="click", label=label, role="button", tag=tag,
                   form=form, href=href)  # fmt: skip


def screen(controls: list[Control], fields: list[Field] = (), forms: dict[str, str] | None = None) -> Observation:  # type: ignore[assignment]
    return Observation(url=URL, title="Shop", heading="", text="", dialog=None, veil=None, elements=controls,
                       fields=list(fields), http_status=200, forms=forms or {})  # fmt: skip


def judge(control: Control, fields: list[Field] = (), words: str = "", flow: FlowSpec | None = None) -> str | None:  # type: ignore[assignment]
    obs = screen([control], fields, {"0:0": words} if words else None)
    found = SideEffects(flow or spec("signup"), vocab()).judge(obs, control)
    return found[0] if found else None


EMAIL = Field(label="E-mail", name="email", type="email", form=0)
TEXT_AREA = Field(label="Your message", name="message", type="textarea", form=0)
PASSWORD = Field(label="Password", name="password", type="password", form=0)


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Send reset link", "password_reset"),
        ("Passwort zurücksetzen", "password_reset"),
        ("Réinitialiser le mot de passe", "password_reset"),
        ("Restablecer contraseña", "password_reset"),
        ("Resend my order link", "resend_link"),
        ("Link erneut senden", "resend_link"),
        ("Send message", "contact"),
        ("Subscribe to our newsletter", "newsletter"),
        ("Send invitation", "invite"),
        ("Submit your review", "review"),
        ("Report abuse", "report_abuse"),
        ("Signaler un abus", "report_abuse"),
        ("Delete my account", "delete_account"),
        ("Eliminar mi cuenta", "delete_account"),
    ],
)
def test_a_control_that_says_so_is_held_back(label: str, kind: str) -> None:
    assert judge(button(label)) == kind


@pytest.mark.parametrize(
    ("words", "fields", "kind"),
    [
        ("Forgot your password?", [EMAIL], "password_reset"),
        ("Passwort vergessen?", [EMAIL], "password_reset"),
        ("Mot de passe oublié", [EMAIL], "password_reset"),
        ("¿Olvidaste tu contraseña?", [EMAIL], "password_reset"),
        ("/password-reset", [EMAIL], "password_reset"),  # the form's action path alone
        ("Newsletter", [Field(name="nl", placeholder="Your e-mail", form=0)], "newsletter"),  # named by placeholder
        ("Boletín de noticias", [EMAIL, Field(label="Nombre", form=0)], "newsletter"),
        ("Contact us", [EMAIL, TEXT_AREA], "contact"),
        ("Formulaire de contact", [TEXT_AREA], "contact"),
        ("Write a review", [TEXT_AREA], "review"),
        ("Invite friends", [EMAIL, Field(label="Friend's e-mail", type="email", form=0)], "invite"),
    ],
)
def test_a_form_is_known_by_its_words_and_fields(words: str, fields: list[Field], kind: str) -> None:
    assert judge(button("Send"), fields, words) == kind


def test_the_flows_own_forms_are_not_held_back() -> None:
    # a sign-in form under a "Forgot password?" link: it asks for a password too
    assert judge(button("Sign in"), [EMAIL, PASSWORD], "Sign in · Forgot your password?") is None
    # a checkout's first step with a newsletter box: the box's label is not the form's words
    assert judge(button("Continue"), [EMAIL, Field(label="Name", form=0)], "Your details") is None
    # a cancellation survey with a text area: no contact words
    assert judge(button("Continue cancelling"), [TEXT_AREA], "Why are you leaving?", spec("cancellation")) is None
    # words with the wrong fields: a "Newsletter" heading over a form with a password is a sign-up
    assert judge(button("Create account"), [EMAIL, PASSWORD], "Newsletter") is None
    # a link to the page that holds the form acts on nothing; a link that runs a script does
    assert judge(button("Reset password", form=None, tag="a", href="http://shop.test/reset")) is None
    assert judge(button("Resend link", form=None, tag="a", href=URL + "#")) == "resend_link"
    # deleting the account is read on links too
    assert judge(button("Delete account", form=None, tag="a", href="http://shop.test/delete")) == "delete_account"


def test_a_formless_box_is_read_as_a_form() -> None:
    send = replace(button("Send", form=None), index=7)
    lone = Field(label="E-mail", type="email", form=None, index=3)
    obs = screen([send], [lone, Field(label="Name", form=None, index=9)])
    obs.boxes = [{"frame_no": 0, "controls": [7], "fields": [3], "words": "Lost your order link?"}]
    assert SideEffects(spec("signup"), vocab()).judge(obs, send) == (
        "resend_link",
        "its form says 'order link' and asks for 1 field: email",
    )
    obs.boxes[0]["words"] = "Your details"
    assert SideEffects(spec("signup"), vocab()).judge(obs, send) is None


def test_a_goal_or_the_spec_allows_a_kind() -> None:
    deleting = replace(spec("cancellation"), goal=Goal(text=("Your account has been deleted",)))
    assert judge(button("Delete my account"), flow=deleting) is None
    assert judge(button("Send reset link"), flow=deleting) == "password_reset"
    allowing = replace(spec("signup"), explore=ExploreOptions(allow_side_effects=("newsletter",)))
    assert judge(button("Subscribe to our newsletter"), flow=allowing) is None
    assert judge(button("Send"), [EMAIL], "Forgot your password?", allowing) == "password_reset"


def test_each_held_control_is_recorded_once_per_page() -> None:
    effects = SideEffects(spec("signup"), vocab())
    control = button("Resend link")
    for state in ("s1", "s2"):
        assert effects.hold(state, screen([control]), control) is not None
    assert effects.hold("s2", screen([button("Continue")]), button("Continue")) is None
    (record,) = effects.held_back()
    assert record == {"kind": "resend_link", "label": "Resend link", "state": "s1", "url": URL,
                      "why": "its label says 'Resend link'"}  # fmt: skip

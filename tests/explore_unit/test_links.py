"""Learnt links: a plain link whose destination is known is recorded without a click; by its exact address,
or by its page template only for a link that says no word of the flow (a catalogue, not a funnel's steps)."""

from __future__ import annotations

from dataclasses import replace

from auditor.explore.recorder import Recorder
from auditor.explore.stats import Stats
from auditor.explore.userdata import UserData
from auditor.records import Control
from tests.explore_unit.fixtures import ORIGIN, load, spec


def link(label: str, path: str) -> Control:
    return Control(
        key=f"main|click|link|{label.lower()}#0",
        kind="click",
        label=label,
        role="link",
        tag="a",
        href=f"{ORIGIN}{path}",
    )


def test_a_numbered_step_is_not_taken_for_the_one_before_but_a_catalogue_item_is() -> None:
    recorder = Recorder(spec("cancellation"), Stats(), lambda record, obs, parent: None)
    home = load("spa-home")
    step1, step2 = link("Cancel membership", "/cancel/1"), link("Continue", "/cancel/2")
    item3, item7 = link("Tent 3", "/p/3"), link("Tent 7", "/p/7")
    page = replace(home, elements=[step2, item7])
    state = recorder.register(page, (), False, None, False)
    recorder.remember_link(step1, home.url, state, "s1")  # /cancel/1 led to s1, /p/3 to s2
    recorder.remember_link(item3, home.url, state, "s2")
    assert not recorder.infer(state, step2.key, loose=False)  # /cancel/2 is another step: it is clicked
    assert recorder.infer(state, item7.key, loose=True)  # product 7 is more of the catalogue: known
    assert [(u, v, a.label) for u, v, a in recorder.graph.actions()] == [(state, "s2", "Tent 7")]
    recorder.remember_link(step2, home.url, state, "s3")
    assert recorder.infer(state, step2.key, loose=False)  # the very address: known


def test_inside_a_funnel_a_link_is_known_only_when_neither_user_stored_or_sent_anything() -> None:
    """Learnt before the funnel, a link is followed again inside it: the funnel's first action may have
    changed what the user holds (a plan in local storage, read by the account page). Not when both the user
    who followed it and the user inside the funnel had stored and sent nothing (UserData.pristine), and the
    link loaded a new document: the footer's help page is the same page inside a cancellation."""
    user = UserData()
    recorder = Recorder(spec("cancellation"), Stats(), lambda record, obs, parent: None, user)
    home = load("spa-home")
    help_link, account = link("Membership FAQ", "/help/faq"), link("My account", "/account")
    page = replace(home, elements=[help_link, account])
    user.looked(["http://127.0.0.1 0:1"], False)
    start = recorder.register(page, (), False, None, False)
    recorder.remember_link(help_link, home.url, start, "s1", new_user=True)
    recorder.remember_link(account, home.url, start, "s2", new_user=False)  # followed after a change
    pristine_funnel = recorder.register(replace(page, heading="Cancel?", text="Cancel?"), ("x",), False, start, True)
    assert recorder.states[pristine_funnel].pristine and recorder.states[pristine_funnel].funnel
    assert recorder.infer(pristine_funnel, help_link.key, loose=False)
    assert not recorder.infer(pristine_funnel, account.key, loose=False)  # not learnt by a pristine user
    user.looked(["http://127.0.0.1 12:9a"], False)  # the funnel's first action stored something
    changed = recorder.register(replace(page, heading="Sure?", text="Sure?"), ("x", "y"), False, start, True)
    assert not recorder.states[changed].pristine
    assert not recorder.infer(changed, help_link.key, loose=False)

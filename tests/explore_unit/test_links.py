"""Learnt links: a plain link whose destination is known is recorded without a click; by its exact address,
or by its page template only for a link that says no word of the flow (a catalogue, not a funnel's steps)."""

from __future__ import annotations

from dataclasses import replace

from auditor.explore.recorder import Recorder
from auditor.explore.stats import Stats
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

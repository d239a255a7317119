"""e2e on a sparring site whose cancellation survey gives its reasons as toggle buttons (aria-pressed), as
role=radio chips in a role=radiogroup, or as clickable cards with no role at all, while "Continue" stays
disabled until one is picked: the explorer picks a reason, then the unlocked "Continue", and
`cancel.forced-survey` fires. The same survey with "Continue" working without a reason is no forced answer."""

from __future__ import annotations

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e

REASONS = ["Too expensive", "Missing features", "Switching to another app", "Not using it"]


@pytest.mark.parametrize("shape", ["pressed", "radio", "cards"])
def test_reasons_of_every_shape_behind_a_disabled_continue_are_a_forced_survey(sites_server, tmp_path, shape):
    result = run(load_specs([SITES / "reasons" / f"{shape}.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"], flow["exploration"]
    path = [step["label"] for step in flow["path"]]
    assert path[0] == "Cancel subscription" and path[-1] == "Continue", path
    assert path[1].startswith(tuple(REASONS)), path  # a reason picked, then the unlocked button
    question = next(s for s in flow["states"] if s["heading"] == "Why are you leaving?")
    assert question["kind"] == "survey", question  # its reasons count as choices, whatever their shape
    survey = flow["rules"]["cancel.forced-survey"]
    assert survey["outcome"] == "fail", survey
    figures = survey["figures"]
    assert figures["blocked"] == "Continue" and figures["locked_by"] == "disabled"
    choices = figures["choices"]  # a card's label is its title and the line below it
    assert len(choices) == len(REASONS), choices
    assert all(c.startswith(r) for c, r in zip(choices, REASONS, strict=True)), choices


def test_an_optional_survey_is_not_forced(sites_server, tmp_path):
    result = run(load_specs([SITES / "reasons" / "optional.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"] and [s["label"] for s in flow["path"]] == ["Cancel subscription", "Continue"]
    assert flow["rules"]["cancel.forced-survey"]["outcome"] == "pass"

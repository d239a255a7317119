"""Recorded observations (see record.py) and the specs and vocabulary the unit tests score them with."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from auditor.classify import Vocabulary
from auditor.explore.observe import Observation
from auditor.spec import ExploreOptions, FlowKind, FlowSpec, Goal, Secret, SourceRef

OBSERVATIONS = Path(__file__).parent / "observations"
ORIGIN = "http://demo.test"  # stands for DemoServer.url in the recordings
ALT_ORIGIN = "http://alt.demo.test"  # stands for DemoServer.alt_origin: the same server, out of scope


def load(name: str) -> Observation:
    """A recorded observation as `observe()` returned it, without frames (there is no page behind it).
    A fresh copy each time: scoring and filling must not depend on what another test did to it."""
    data = json.loads((OBSERVATIONS / f"{name}.json").read_text(encoding="utf-8"))
    return Observation.from_dict(data["observation"])


@cache
def vocab() -> Vocabulary:
    return Vocabulary.default()


def spec(
    kind: FlowKind,
    site: str = "spa",
    *,
    inputs: dict[str, str] | None = None,
    avoid: tuple[str, ...] = (),
    goal_url: str | None = None,
) -> FlowSpec:
    """A flow spec as the demo's would load, for the recorded site (start URL on the placeholder origin)."""
    return FlowSpec(
        name=f"{site}-{kind}",
        kind=kind,
        start=f"{ORIGIN}/{site}/",
        goal=Goal(text=("Done",), url=goal_url),
        source=SourceRef(file="unit.yaml", line=1),
        inputs={key: Secret(value) for key, value in (inputs or {}).items()},
        explore=ExploreOptions(avoid=avoid),
    )

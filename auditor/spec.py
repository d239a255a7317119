"""Flow specs: what to audit, as a user writes it in YAML (see DESIGN.md, "Flow spec").

The model is a set of small frozen dataclasses; `load_specs` reads files, validates them against
`schemas/flow-spec.schema.json` and reports every mistake as `file:line: what is wrong` (InputError).
Secrets from `inputs` are wrapped in `Secret` so that they print as `***` wherever they travel.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from auditor.errors import InputError
from auditor.schema_check import describe, schema_problems
from auditor.yamlsource import Problem, load_yaml, raise_problems

if TYPE_CHECKING:
    from auditor.spec_build import Loaded

FlowKind = Literal["cancellation", "signup", "purchase", "in_app_purchase"]
PURCHASE_KINDS: frozenset[str] = frozenset({"purchase", "in_app_purchase"})


class Secret:
    """A value from `inputs`: usable by the explorer, never shown (repr/str/format give ***)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(***)"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class SourceRef:
    """Where a flow was written: the spec file and the line of the flow's mapping."""

    file: str
    line: int


@dataclass(frozen=True)
class RequestMatch:
    """A request pattern: HTTP method (or '*') and a URL glob (fnmatch, case-sensitive)."""

    method: str = "*"
    url: str = "*"


@dataclass(frozen=True)
class Goal:
    """The flow is done when any given criterion holds: visible text, URL glob, or a request made."""

    text: tuple[str, ...] = ()
    url: str | None = None
    request: RequestMatch | None = None

    @property
    def empty(self) -> bool:
        return not self.text and self.url is None and self.request is None


@dataclass(frozen=True)
class Timeouts:
    """Seconds. navigation: a page load; action: one click/fill; settle: waiting for the DOM to go quiet;
    flow: the whole exploration of one flow."""

    navigation: float = 15.0
    action: float = 3.0
    settle: float = 3.0
    flow: float = 300.0


@dataclass(frozen=True)
class ExploreOptions:
    max_states: int = 60
    max_depth: int = 12
    max_actions: int = 400
    avoid: tuple[str, ...] = ()  # label texts (case-insensitive substring) or `css=SELECTOR`
    allow_domains: tuple[str, ...] = ()  # hostnames; empty = the start URL's host
    exhaustive: bool = False  # keep exploring after the goal until the budget is spent
    timeouts: Timeouts = field(default_factory=Timeouts)


@dataclass(frozen=True)
class SetupStep:
    """One step run before `start` on every fresh browser context (e.g. logging in).

    action: goto (value = URL) | click (target = label text or `css=SELECTOR`) |
            fill (target = field label/name/placeholder or `css=...`, value may be a Secret) |
            press (target as fill, value = key name) | wait_for (target = text that must appear)
    """

    action: Literal["goto", "click", "fill", "press", "wait_for"]
    target: str | None = None
    value: str | Secret | None = None
    line: int = 0


@dataclass(frozen=True)
class Viewport:
    width: int = 1280
    height: int = 800


@dataclass(frozen=True)
class FlowSpec:
    name: str
    kind: FlowKind
    start: str
    goal: Goal
    source: SourceRef
    compare_with: str | None = None
    profile: Literal["adult", "child"] = "adult"
    charges: tuple[RequestMatch, ...] = ()
    inputs: dict[str, Secret] = field(default_factory=dict)  # key: label, name or placeholder
    setup: tuple[SetupStep, ...] = ()
    explore: ExploreOptions = field(default_factory=ExploreOptions)
    viewport: Viewport = field(default_factory=Viewport)
    device: str | None = None  # a Playwright device name, e.g. "iPhone 13"; overrides viewport


# ---- loading (building the dataclasses from checked data is in spec_build.py) ------------------------

SCHEMA = "flow-spec.schema.json"
SECRET_KEYS = ("inputs", "fill")  # values under these keys are never echoed in an error


def load_spec_file(path: str | Path) -> list[FlowSpec]:
    """The flows of one spec file, validated. Checks that span files (unique names, `compare_with`)
    are `load_specs`' job, so call that whenever a run uses more than this one file."""
    return [item.spec for item in _load_file(path)]


def load_specs(paths: Iterable[str | Path]) -> list[FlowSpec]:
    """All flows of all files; reports every file's mistakes together, then checks across files."""
    loaded: list[Loaded] = []
    failures: list[InputError] = []
    for path in paths:
        try:
            loaded.extend(_load_file(path))
        except InputError as exc:
            failures.append(exc)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise InputError("\n".join(str(exc) for exc in failures))
    raise_problems(_cross_file_problems(loaded))
    return [item.spec for item in loaded]


def _load_file(path: str | Path) -> list[Loaded]:
    from auditor.spec_build import FlowBuilder  # imported late: spec_build imports this module's classes

    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        message = f"a spec file must be a mapping (one flow, or `flows: [...]`), not {describe(doc.data)}"
        raise InputError(message, file=doc.file, line=1)
    raise_problems(schema_problems(doc, SCHEMA, SECRET_KEYS))
    builder = FlowBuilder(doc)
    if "flows" in doc.data:
        loaded = [builder.flow(raw, ("flows", i)) for i, raw in enumerate(doc.data["flows"])]
    else:
        loaded = [builder.flow(doc.data, ())]
    raise_problems(sorted(builder.problems, key=lambda p: p.line))
    return loaded


def _cross_file_problems(loaded: list[Loaded]) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, Loaded] = {}
    for item in loaded:
        name, file = item.spec.name, item.spec.source.file
        if name in first:
            where = f"{first[name].spec.source.file}:{first[name].name_line}"
            problems.append(Problem(file, item.name_line, f"flow name {name!r} is already used at {where}"))
        first.setdefault(name, item)
    for item in loaded:
        target, file = item.spec.compare_with, item.spec.source.file
        if target == item.spec.name:
            problems.append(Problem(file, item.compare_line, "compare_with: a flow cannot compare with itself"))
        elif target is not None and target not in first:
            message = f"compare_with: no flow named {target!r} is loaded (is its file on the command line?)"
            problems.append(Problem(file, item.compare_line, message))
    return problems

"""What a check is: a named function over one flow graph (and its comparison partner) returning an outcome.

A check measures; it does not judge severity or cite law (rules do that). It answers, as axe-core's
buckets do: `fail` (one Violation per place it found), `pass`, `incomplete` (the graph cannot tell:
never a silent pass) or `inapplicable` (the check does not apply to this flow). Every outcome carries the
figures it measured so the rule's message can state them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from auditor.analyse import Analysed
from auditor.classify import Vocabulary
from auditor.graph import FlowGraph

Outcome = Literal["fail", "pass", "incomplete", "inapplicable"]


@dataclass(frozen=True)
class Evidence:
    """Where a violation shows: the screen, its URL and screenshot, the element, the path that led there."""

    state: str | None = None
    url: str | None = None
    screenshot: str | None = None
    selector: str | None = None
    label: str | None = None
    path: tuple[str, ...] = ()  # labels of the actions from start to this screen (or to the goal)
    box: tuple[int, ...] | None = None  # the element's [x, y, w, h] in the full-page screenshot


@dataclass(frozen=True)
class Violation:
    figures: Mapping[str, Any]
    evidence: Evidence


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    figures: Mapping[str, Any] = field(default_factory=dict)  # for pass/incomplete/inapplicable messages
    violations: tuple[Violation, ...] = ()
    reason: str = ""  # why incomplete / inapplicable, in plain words

    @staticmethod
    def passed(**figures: Any) -> CheckResult:
        return CheckResult("pass", figures)

    @staticmethod
    def failed(*violations: Violation) -> CheckResult:
        return CheckResult("fail", violations[0].figures if violations else {}, tuple(violations))

    @staticmethod
    def cannot_tell(reason: str, **figures: Any) -> CheckResult:
        return CheckResult("incomplete", figures, reason=reason)

    @staticmethod
    def not_applicable(reason: str) -> CheckResult:
        return CheckResult("inapplicable", reason=reason)


@dataclass(frozen=True)
class CheckContext:
    """What a check may look at: the analysed flow, its analysed compare_with partner, the vocabulary."""

    flow: Analysed
    vocab: Vocabulary
    partner: Analysed | None = None

    @property
    def graph(self) -> FlowGraph:
        return self.flow.graph


CheckFn = Callable[[CheckContext, Mapping[str, Any]], CheckResult]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    fn: CheckFn
    options: Mapping[str, Any]  # JSON Schema `properties` of the options, with defaults
    doc: str
    figures: tuple[str, ...] = ()  # what its violations measure: a rule's message may name these and its options

    @property
    def message_names(self) -> frozenset[str]:
        """The {names} a rule's message of this check can be filled with (engine: options, then figures)."""
        return frozenset(self.figures) | frozenset(self.options)


REGISTRY: dict[str, CheckSpec] = {}


def check(name: str, *, figures: tuple[str, ...] = (), **options: Mapping[str, Any]) -> Callable[[CheckFn], CheckFn]:
    """Register a check under `name`; `figures` names what its violations measure (so `rules validate` can
    tell a message's `{pagez}` from a figure), `options` maps each option to its JSON Schema (with a
    `default`)."""

    def register(fn: CheckFn) -> CheckFn:
        if name in REGISTRY:
            raise ValueError(f"check {name!r} registered twice")
        REGISTRY[name] = CheckSpec(name, fn, options, (fn.__doc__ or "").strip(), tuple(figures))
        return fn

    return register


def with_defaults(spec: CheckSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: s["default"] for k, s in spec.options.items() if "default" in s}
    values.update(given)
    return values

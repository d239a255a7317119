"""Flow specs: loading what to audit, as a user writes it in YAML (see DESIGN.md, "Flow spec").

The model is in spec_model.py (re-exported here, so `from auditor.spec import FlowSpec` reads naturally);
`load_specs` reads files, validates them against `schemas/flow-spec.schema.json` and reports every mistake as
`file:line: what is wrong` (InputError).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from auditor.errors import InputError
from auditor.schema_check import describe, schema_problems
from auditor.spec_build import FlowBuilder, Loaded
from auditor.spec_model import (
    PURCHASE_KINDS,
    ExploreOptions,
    FlowKind,
    FlowSpec,
    Geolocation,
    Goal,
    Proxy,
    RequestMatch,
    Secret,
    SetupStep,
    SourceRef,
    Timeouts,
    Viewport,
)
from auditor.yamlsource import Problem, load_yaml, raise_problems

__all__ = [
    "PURCHASE_KINDS",
    "ExploreOptions",
    "FlowKind",
    "FlowSpec",
    "Geolocation",
    "Goal",
    "Proxy",
    "RequestMatch",
    "Secret",
    "SetupStep",
    "SourceRef",
    "Timeouts",
    "Viewport",
    "load_spec_file",
    "load_specs",
]

# ---- loading (building the dataclasses from checked data is in spec_build.py) ------------------------

SCHEMA = "flow-spec.schema.json"
SECRET_KEYS = ("inputs", "fill", "headers", "proxy")  # values under these keys are never echoed in an error


def load_spec_file(path: str | Path, *, need_state: bool = True) -> list[FlowSpec]:
    """The flows of one spec file, validated. Checks that span files (unique names, `compare_with`)
    are `load_specs`' job, so call that whenever a run uses more than this one file. `need_state=False`
    lets a `storage_state` file be missing (`auditor login` writes it)."""
    return [item.spec for item in _load_file(path, need_state=need_state)]


def load_specs(paths: Iterable[str | Path], *, need_state: bool = True) -> list[FlowSpec]:
    """All flows of all files; reports every file's mistakes together, then checks across files."""
    loaded: list[Loaded] = []
    failures: list[InputError] = []
    for path in paths:
        try:
            loaded.extend(_load_file(path, need_state=need_state))
        except InputError as exc:
            failures.append(exc)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise InputError("\n".join(str(exc) for exc in failures))
    raise_problems(_cross_file_problems(loaded))
    return [item.spec for item in loaded]


def _load_file(path: str | Path, *, need_state: bool = True) -> list[Loaded]:
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        message = f"a spec file must be a mapping (one flow, or `flows: [...]`), not {describe(doc.data)}"
        raise InputError(message, file=doc.file, line=1)
    raise_problems(schema_problems(doc, SCHEMA, SECRET_KEYS))
    builder = FlowBuilder(doc, need_state=need_state)
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

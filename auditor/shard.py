"""Splitting the flows of a run across CI jobs (`--shard I/N`) and joining their reports (`auditor merge`).

A shard is chosen deterministically from the flows alone, so every job of a matrix computes the same split
without talking to the others: flows linked by `compare_with` form one group (cancelling is measured against
its sign-up, so both must be explored in the same job), groups are sorted by their first flow's name and dealt
out largest first to the shard with the fewest flows so far (ties: the lower shard).

Merging takes the shard reports (each written in its own folder), checks that they used the same rule packs and
that no flow appears twice, points every evidence path (screenshots, graphs) at where it lies as seen from the
merged report's folder, and recounts the summary. Findings keep their fingerprints, so a merged report can be
a baseline for the next run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.report.model import summarize
from auditor.spec import FlowSpec

EVIDENCE_KEYS = frozenset({"screenshot", "result_screenshot", "graph"})


def parse_shard(value: str) -> tuple[int, int]:
    """`I/N` with 1 <= I <= N -> (I, N); anything else is a ValueError with a plain message."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if not match:
        raise ValueError(f"{value!r} is not I/N (e.g. 2/4: the second of four shards)")
    index, count = int(match[1]), int(match[2])
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: I must be between 1 and N")
    return index, count


def _groups(specs: Sequence[FlowSpec]) -> list[list[FlowSpec]]:
    """Flows joined by compare_with (either direction), each group in spec order."""
    parent = {s.name: s.name for s in specs}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for spec in specs:
        if spec.compare_with in parent:
            parent[root(spec.name)] = root(spec.compare_with)
    groups: dict[str, list[FlowSpec]] = {}
    for spec in specs:
        groups.setdefault(root(spec.name), []).append(spec)
    return sorted(groups.values(), key=lambda g: min(s.name for s in g))


def select_shard(specs: Sequence[FlowSpec], index: int, count: int) -> list[FlowSpec]:
    """The flows of shard `index` of `count` (1-based), in spec order; every flow is in exactly one shard."""
    loads = [0] * count
    chosen: set[str] = set()
    for group in sorted(_groups(specs), key=len, reverse=True):  # stable: equal sizes keep name order
        target = min(range(count), key=lambda i: (loads[i], i))
        loads[target] += len(group)
        if target == index - 1:
            chosen.update(s.name for s in group)
    return [s for s in specs if s.name in chosen]


def _rebase(value: Any, prefix: str) -> Any:
    """Evidence paths (relative to a shard's folder) made relative to the merged report's folder."""
    if isinstance(value, dict):
        return {
            k: (Path(prefix, v).as_posix() if k in EVIDENCE_KEYS and isinstance(v, str) else _rebase(v, prefix))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_rebase(v, prefix) for v in value]
    return value


def merge_reports(reports: Sequence[tuple[Path, dict[str, Any]]], out_dir: Path) -> dict[str, Any]:
    """One report from shard reports given as (file, report); raises InputError on reports that don't fit."""
    if not reports:
        raise InputError("no reports to merge")
    first_file, first = reports[0]
    packs = [(p.get("pack"), p.get("version")) for p in first.get("packs", [])]
    seen: dict[str, Path] = {}
    flows: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    suppressed: list[dict[str, Any]] = []
    catalog: dict[str, dict[str, Any]] = {}
    for file, report in reports:
        if [(p.get("pack"), p.get("version")) for p in report.get("packs", [])] != packs:
            message = f"audited with other rule packs than {first_file}; merge the reports of one run"
            raise InputError(message, file=str(file))
        prefix = os.path.relpath(file.parent.resolve(), out_dir.resolve())
        for flow in report["flows"]:
            if flow["name"] in seen:
                raise InputError(f"flow {flow['name']!r} is also in {seen[flow['name']]}", file=str(file))
            seen[flow["name"]] = file
            flows.append(_rebase(flow, prefix))
        findings += [_rebase(f, prefix) for f in report["findings"]]
        suppressed += [_rebase(f, prefix) for f in report.get("suppressed", [])]
        catalog.update({r["id"]: r for r in report.get("rule_catalog", [])})
    merged = {k: v for k, v in first.items() if k not in ("baseline", "suppressed")}
    merged.update(
        flows=flows,
        findings=findings,
        rule_catalog=list(catalog.values()),
        started_at=min(r["started_at"] for _, r in reports),
        finished_at=max(r["finished_at"] for _, r in reports),
        merged_from=[str(file) for file, _ in reports],
    )
    if any("suppressed" in r for _, r in reports):
        merged["suppressed"] = suppressed
    compared = [r["baseline"] for _, r in reports if "baseline" in r]
    if compared and len(compared) != len(reports):
        raise InputError("some of these reports were compared with a baseline and some not; merge them without")
    if compared:
        merged["baseline"] = {
            "file": compared[0]["file"],
            "new": sum(b["new"] for b in compared),
            "unchanged": sum(b["unchanged"] for b in compared),
            "fixed": [f for b in compared for f in b["fixed"]],
        }
    return summarize(merged)

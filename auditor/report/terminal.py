"""What the terminal shows: the flows table, the findings table, and the exit code a report means."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditor.plural import plural
from auditor.report.gate import fails


def exit_code(report: dict[str, Any], fail_on: str) -> int:
    """1 when the report fails the gate (report/gate.py: a finding at/above fail-on, with a baseline a new or
    regressed one, or a goal reached in the baseline and not now); else 3 when any flow was not seen through;
    else 0 (DESIGN.md)."""
    if fails(report, fail_on):
        return 1
    return 3 if report["status"] != "complete" else 0


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def _dash(value: Any) -> str:
    return "-" if value is None else str(value)


def flows_table(report: dict[str, Any]) -> str:
    rows = [("flow", "kind", "status", "goal", "steps", "pages", "detours", "states", "findings")]
    for f in report["flows"]:
        m = f.get("metrics") or {}
        count = sum(1 for x in report["findings"] if x["flow"] == f["name"])
        rows.append(
            (
                f["name"],
                f["kind"],
                f["status"],
                "reached" if f["goal_reached"] else "not reached",
                _dash(m.get("steps_to_goal")),
                _dash(m.get("pages_to_goal")),
                _dash(m.get("detours")),
                _dash(m.get("states")),
                str(count),
            )
        )
    return table(rows)


def findings_table(report: dict[str, Any], width: int | None = 100) -> str:
    """The findings, one a row; a message longer than `width` is cut with "…" (None: never, outside a
    terminal, where a log or a file has room for all of it)."""
    if not report["findings"]:
        return "no findings"
    marked = "baseline" in report
    rows = [("severity", "rule", "flow", *(("baseline",) if marked else ()), "message")]
    for f in report["findings"]:
        cut = width is not None and len(f["message"]) > width
        message = f["message"][: (width or 0) - 1] + "…" if cut else f["message"]
        rows.append((f["severity"], f["rule"], f["flow"], *((f["baseline"],) if marked else ()), message))
    return table(rows)


def triage_summary(report: dict[str, Any]) -> str:
    """What the baseline and suppressions changed, in a line or two (empty when neither was used)."""
    lines = []
    if "baseline" in report:
        b = report["baseline"]
        counts = f"{b['new']} new, {b.get('regressed', 0)} regressed, {b['unchanged']} unchanged"
        lines.append(f"baseline {b['file']}: {counts}, {len(b['fixed'])} fixed")
        lines += [f"  REGRESSION: {r['message']}" for r in b.get("regressions") or []]
        lines += [f"  fixed: {f['rule']} in {f['flow']}: {f['message']}" for f in b["fixed"]]
        unverified = b.get("unverified") or []
        if unverified:
            lines.append(f"  unverified, never fixed (flow lost its goal or not seen through): {len(unverified)}")
    if report.get("suppressed"):
        lines.append(f"suppressed: {len(report['suppressed'])} (see report.json)")
    expired = [f for f in report["findings"] if (f.get("suppression") or {}).get("expired")]
    if expired:
        lines.append(f"suppressions expired: {plural(len(expired), 'finding')} back")
    return "\n".join(lines)


def warnings(report: dict[str, Any]) -> list[str]:
    """What stderr must say whatever the output format: flows not seen through, unused suppressions."""
    lines = [
        f"warning: the suppression at {u['where']} matched no finding" for u in report.get("unused_suppressions") or []
    ]
    unseen = [f for f in report["flows"] if f["status"] != "complete"]
    lines += [f"incomplete: {f['name']}: {f.get('error')}" for f in unseen]
    if unseen:
        lines.append(
            f"AUDIT INCOMPLETE: {len(unseen)} of {plural(len(report['flows']), 'flow')} not seen through (never a pass)"
        )
    return lines

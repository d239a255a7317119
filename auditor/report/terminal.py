"""What the terminal shows: the flows table, the findings table, and the exit code a report means."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditor.severity import SEVERITIES

COUNTED = ("new", "regressed")  # with a baseline, the findings the gate counts: what got worse


def exit_code(report: dict[str, Any], fail_on: str) -> int:
    """1 when a finding is at/above fail-on (with a baseline: a new or regressed one, or a goal reached in the
    baseline and not now, which counts as an error); else 3 when any flow was not seen through; else 0
    (DESIGN.md). Suppressed findings are not in report["findings"], so they never count."""
    if fail_on != "never":
        threshold = SEVERITIES.index(fail_on)
        counted = [f for f in report["findings"] if f.get("baseline", "new") in COUNTED]
        if any(SEVERITIES.index(f["severity"]) <= threshold for f in counted):
            return 1
        if (report.get("baseline") or {}).get("regressions"):
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


def findings_table(report: dict[str, Any], width: int = 100) -> str:
    if not report["findings"]:
        return "no findings"
    marked = "baseline" in report
    rows = [("severity", "rule", "flow", *(("baseline",) if marked else ()), "message")]
    for f in report["findings"]:
        message = f["message"] if len(f["message"]) <= width else f["message"][: width - 1] + "…"
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
        lines.append(f"suppressions expired: {len(expired)} finding(s) are back")
    return "\n".join(lines)


def warnings(report: dict[str, Any]) -> list[str]:
    """What stderr must say whatever the output format: flows not seen through, unused suppressions."""
    lines = [
        f"warning: the suppression at {u['where']} matched no finding" for u in report.get("unused_suppressions") or []
    ]
    unseen = [f for f in report["flows"] if f["status"] != "complete"]
    lines += [f"incomplete: {f['name']}: {f.get('error')}" for f in unseen]
    if unseen:
        lines.append(f"AUDIT INCOMPLETE: {len(unseen)} of {len(report['flows'])} flows not seen through (never a pass)")
    return lines

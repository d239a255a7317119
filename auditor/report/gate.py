"""The release gate: which findings fail a run, one rule for the exit code and the JUnit test tab alike.

A finding fails the run when its severity is at or above `--fail-on` and, with a baseline, it is new or
regressed (an unchanged one was already known when the baseline was taken). A goal reached in the baseline
and not now fails the run too. Suppressed findings are never in `report.findings`, so they never count.
"""

from __future__ import annotations

from typing import Any

from auditor.severity import SEVERITY_ORDER

COUNTED = ("new", "regressed")  # with a baseline, the findings the gate counts: what got worse


def not_counted(finding: dict[str, Any], fail_on: str) -> str | None:
    """None when `finding` fails the run; otherwise why it does not, in words for a test report."""
    if fail_on == "never":
        return "fail-on is never: no finding fails the run"
    mark = finding.get("baseline")
    if mark and mark not in COUNTED:
        return f"{mark} since the baseline: only new and regressed findings fail the run"
    severity = finding.get("severity") or "error"
    if SEVERITY_ORDER.get(severity, 0) > SEVERITY_ORDER[fail_on]:
        return f"{severity} is below the gate (fail-on: {fail_on})"
    return None


def fails(report: dict[str, Any], fail_on: str) -> bool:
    """Whether the report fails the gate: a counted finding, or (unless fail-on is never) a lost goal."""
    if fail_on == "never":
        return False
    if any(not_counted(f, fail_on) is None for f in report["findings"]):
        return True
    return bool((report.get("baseline") or {}).get("regressions"))

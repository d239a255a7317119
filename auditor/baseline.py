"""Baselines and suppressions: which findings are new since an earlier report, and which a team accepted.

A finding's fingerprint (rules/engine.py) is stable across runs of an unchanged site: rule, flow, the
screen's URL path and the element's label, never ports, state ids or session tokens. So:

- **Baseline** (`--baseline OLD/report.json`): each finding is marked `baseline: new|unchanged`, and the old
  findings no longer found are listed under `report.baseline.fixed`. With a baseline, `--fail-on` counts
  new findings only, so a release gate fails on what got worse, not on what was already known.
- **Suppressions** (`--suppressions FILE`, YAML): entries that silence a finding by `fingerprint`, or by
  `rule` plus `flow` (a glob), each with a required `reason` and an optional `expires` date. A suppressed
  finding moves to `report.suppressed` (shown, never counted); once its date has passed it comes back into
  `report.findings` marked `suppression.expired: true`, and says so in its message.

`Triage.apply` is idempotent: it first undoes any earlier triage, so re-rendering a report with another
baseline or suppression file gives the same result as auditing with them.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jsonschema.exceptions import best_match

from auditor.errors import InputError
from auditor.files import FileProblem, read_capped
from auditor.report.model import SCHEMA, summarize
from auditor.schema_check import schema_problems, validator
from auditor.yamlsource import load_yaml, raise_problems

EXPIRED_NOTE = " (suppression expired on {expires}: {reason})"
MAX_REPORT_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Suppression:
    """One accepted finding (or kind of finding) and why; `line` is where it is written."""

    reason: str
    fingerprint: str | None = None
    rule: str | None = None
    flow: str | None = None
    expires: date | None = None
    file: str = ""
    line: int = 0

    def matches(self, finding: dict[str, Any]) -> bool:
        if self.fingerprint is not None:
            return finding["fingerprint"] == self.fingerprint
        return finding["rule"] == self.rule and fnmatch.fnmatchcase(finding["flow"], self.flow or "")

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today

    def describe(self, today: date) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "expires": self.expires.isoformat() if self.expires else None,
            "expired": self.expired(today),
            "where": f"{self.file}:{self.line}",
        }


def load_suppressions(path: str | Path) -> list[Suppression]:
    """Read a suppressions file; every mistake is `file:line: what`, all reported at once."""
    doc = load_yaml(path)
    problems = schema_problems(doc, "suppressions.schema.json")
    raise_problems(problems)
    out: list[Suppression] = []
    for i, item in enumerate(doc.data["suppressions"]):
        where = ("suppressions", i)
        by_rule = "rule" in item or "flow" in item
        if ("fingerprint" in item) == by_rule or (by_rule and not ("rule" in item and "flow" in item)):
            problems.append(doc.problem(where, "give either `fingerprint`, or both `rule` and `flow`"))
            continue
        expires = None
        if "expires" in item:
            try:
                expires = date.fromisoformat(item["expires"])
            except ValueError:
                problems.append(doc.problem((*where, "expires"), f"{item['expires']!r} is not a real date"))
                continue
        out.append(
            Suppression(
                reason=item["reason"],
                fingerprint=item.get("fingerprint"),
                rule=item.get("rule"),
                flow=item.get("flow"),
                expires=expires,
                file=doc.file,
                line=doc.line(where),
            )
        )
    raise_problems(problems)
    return out


def load_report(path: str | Path) -> dict[str, Any]:
    """A report.json written by the auditor (a baseline, or one to re-render); else an InputError."""
    file = str(path)
    try:
        raw = read_capped(path, MAX_REPORT_BYTES)  # a regular file: `--baseline /dev/zero` or a FIFO never hangs
    except FileNotFoundError:
        raise InputError("report not found", file=file) from None
    except FileProblem as exc:
        raise InputError(f"file {exc}", file=file) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise InputError(f"cannot read the report ({getattr(exc, 'strerror', None) or exc})", file=file) from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read the report ({exc})", file=file) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", file=file, line=exc.lineno) from None
    except (ValueError, RecursionError) as exc:  # a number of more than 4300 digits; nesting past Python's limit
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
        raise InputError(f"not a report: {reason}", file=file) from None
    problem = _not_a_report(data)
    if problem:
        raise InputError(problem, file=file)
    return data


def _not_a_report(data: Any) -> str | None:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        return f"not a retention-auditor report (expected schema {SCHEMA!r})"
    # Triage and summarize index findings and flows directly: check their shape here, not with a KeyError later.
    error = best_match(validator("report.schema.json").iter_errors(data))
    if error is None:
        return None
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    message = error.message if len(error.message) <= 200 else error.message[:196] + " ..."
    return f"not a retention-auditor report: {where.lstrip('.') or 'report'}: {message}"


@dataclass(frozen=True)
class Triage:
    """What to compare a report with and what to silence in it."""

    baseline: dict[str, Any] | None = None
    baseline_file: str | None = None
    suppressions: Sequence[Suppression] = ()
    today: date = field(default_factory=date.today)

    def apply(self, report: dict[str, Any]) -> dict[str, Any]:
        findings = [_untriaged(f) for f in [*report["findings"], *report.get("suppressed", [])]]
        report = {k: v for k, v in report.items() if k not in ("suppressed", "baseline")}
        if self.suppressions:
            findings, report["suppressed"] = self._suppress(findings)
        if self.baseline is not None:
            findings, report["baseline"] = self._compare(findings, {f["name"] for f in report["flows"]})
        report["findings"] = findings
        return summarize(report)

    def _suppress(self, findings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        active, silenced = [], []
        for finding in findings:
            rule = next((s for s in self.suppressions if s.matches(finding)), None)
            if rule is None:
                active.append(finding)
            elif rule.expired(self.today):
                info = rule.describe(self.today)
                note = EXPIRED_NOTE.format(expires=info["expires"], reason=rule.reason)
                active.append({**finding, "suppression": info, "message": finding["message"] + note})
            else:
                silenced.append({**finding, "suppression": rule.describe(self.today)})
        return active, silenced

    def _compare(self, findings: list[dict[str, Any]], flows: set[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Marks against the baseline's findings of the flows audited now (a shard audits only some)."""
        assert self.baseline is not None
        earlier = [*self.baseline["findings"], *self.baseline.get("suppressed", [])]
        old = {f["fingerprint"]: f for f in earlier if f.get("flow") in flows}
        now = {f["fingerprint"] for f in findings}
        marked = [{**f, "baseline": "unchanged" if f["fingerprint"] in old else "new"} for f in findings]
        fixed = [_untriaged(f) for fp, f in old.items() if fp not in now]
        summary = {
            "file": self.baseline_file,
            "new": sum(1 for f in marked if f["baseline"] == "new"),
            "unchanged": sum(1 for f in marked if f["baseline"] == "unchanged"),
            "fixed": fixed,
        }
        return marked, summary


def _untriaged(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding as the rules produced it: no baseline mark, no suppression, no expiry note."""
    clean = {k: v for k, v in finding.items() if k not in ("baseline", "suppression")}
    info = finding.get("suppression")
    if info and info.get("expired"):
        note = EXPIRED_NOTE.format(expires=info["expires"], reason=info["reason"])
        clean["message"] = clean["message"].removesuffix(note)
    return clean


def triage(baseline: Path | None, suppressions: Path | None, today: date | None = None) -> Triage:
    """The Triage for CLI options (each may be absent); files are read and checked before anything runs."""
    return Triage(
        baseline=load_report(baseline) if baseline else None,
        baseline_file=str(baseline) if baseline else None,
        suppressions=load_suppressions(suppressions) if suppressions else (),
        today=today or date.today(),
    )

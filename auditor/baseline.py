"""Baselines and suppressions: which findings are new since an earlier report, and which a team accepted.

A finding's fingerprint (rules/engine.py) is stable across runs of an unchanged site: rule, flow, the
screen's URL path and the element's label, never ports, state ids or session tokens. So:

- **Baseline** (`--baseline OLD/report.json`): each finding is marked `baseline: new|unchanged|regressed`
  (`regressed`: the same finding, its figures worse: more steps, pages or detours, a smaller ratio; the old
  figures in `regressed_from`), and the old findings no longer found are listed under `report.baseline.fixed`,
  but only for flows seen through now whose goal did not disappear: a flow whose goal was reached in the
  baseline and is not now is a regression (`report.baseline.regressions`), and the old findings of such a
  flow, or of a flow not seen through, are `unverified`, never "fixed". With a baseline, `--fail-on` counts
  new and regressed findings and regressions only, so a release gate fails on what got worse, not on what
  was already known.
- **Suppressions** (`--suppressions FILE`, YAML): entries that silence a finding by `fingerprint`, or by
  `rule` plus `flow` (a glob), each with a required `reason` and an optional `expires` date. A suppressed
  finding moves to `report.suppressed` (shown, never counted); once its date has passed it comes back into
  `report.findings` marked `suppression.expired: true`, and says so in its message. A suppression that
  matches no finding is listed under `report.unused_suppressions` (the CLI warns): it may hide nothing now,
  or be mistyped.

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
# Figures where a finding got worse: higher counts (a list counts by its length), or lower ratios (exit/keep).
WORSE_WHEN_HIGHER = ("steps", "pages", "detours", "inputs", "menu_depth", "offers", "weaker_on", "extra", "reasons")
TRIAGE_KEYS = ("baseline", "suppression", "regressed_from")  # what triage adds to a finding, and undoes


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

    def unused(self) -> dict[str, Any]:
        """This suppression as listed when it matched no finding."""
        what = {"fingerprint": self.fingerprint} if self.fingerprint else {"rule": self.rule, "flow": self.flow}
        return {**what, "reason": self.reason, "where": f"{self.file}:{self.line}"}


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
        drop = ("suppressed", "baseline", "unused_suppressions")
        report = {k: v for k, v in report.items() if k not in drop}
        if self.suppressions:
            findings, report["suppressed"], unused = self._suppress(findings)
            if unused:
                report["unused_suppressions"] = unused
        if self.baseline is not None:
            findings, report["baseline"] = self._compare(findings, report["flows"])
        report["findings"] = findings
        return summarize(report)

    def _suppress(
        self, findings: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """(active findings, suppressed findings, suppressions that matched none)."""
        active, silenced, used = [], [], set()
        for finding in findings:
            rule = next((s for s in self.suppressions if s.matches(finding)), None)
            if rule is None:
                active.append(finding)
                continue
            used.add(rule)
            if rule.expired(self.today):
                info = rule.describe(self.today)
                note = EXPIRED_NOTE.format(expires=info["expires"], reason=rule.reason)
                active.append({**finding, "suppression": info, "message": finding["message"] + note})
            else:
                silenced.append({**finding, "suppression": rule.describe(self.today)})
        return active, silenced, [s.unused() for s in self.suppressions if s not in used]

    def _compare(
        self, findings: list[dict[str, Any]], entries: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Marks against the baseline's findings of the flows audited now (a shard audits only some)."""
        assert self.baseline is not None
        names = {e["name"] for e in entries}
        earlier = [*self.baseline["findings"], *self.baseline.get("suppressed", [])]
        old = {f["fingerprint"]: f for f in earlier if f.get("flow") in names}
        reached = {f["name"] for f in self.baseline["flows"] if f.get("goal_reached")}
        lost = [e["name"] for e in entries if e["name"] in reached and not e["goal_reached"]]
        unsure = {*lost, *(e["name"] for e in entries if e["status"] != "complete")}
        marked = [_mark(f, old.get(f["fingerprint"])) for f in findings]
        now = {f["fingerprint"] for f in findings}
        gone = [_untriaged(f) for fp, f in old.items() if fp not in now]
        summary = {
            "file": self.baseline_file,
            **{mark: sum(1 for f in marked if f["baseline"] == mark) for mark in ("new", "unchanged", "regressed")},
            "fixed": [f for f in gone if f["flow"] not in unsure],
            "unverified": [f for f in gone if f["flow"] in unsure],
            "regressions": [
                {"flow": name, "what": "goal", "message": f"{name}: the goal was reached in the baseline, not now"}
                for name in lost
            ],
        }
        return marked, summary


def _mark(finding: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    """A finding marked against its baseline twin: new, unchanged, or regressed (with the old figures)."""
    if old is None:
        return {**finding, "baseline": "new"}
    worse = worse_figures(old.get("figures") or {}, finding.get("figures") or {})
    if worse:
        return {**finding, "baseline": "regressed", "regressed_from": worse}
    return {**finding, "baseline": "unchanged"}


def worse_figures(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The figures that got worse from `before` to `after`, with their old values: a higher count (steps,
    pages, detours, ...; a list by its length) or a lower ratio (`*_ratio`, exit against keep)."""
    worse: dict[str, Any] = {}
    for key, was in before.items():
        if _got_worse(key, was, after.get(key)):
            worse[key] = was
    return worse


def _got_worse(key: str, was: Any, now: Any) -> bool:
    if key in WORSE_WHEN_HIGHER:
        higher, lower = _size(now), _size(was)
        return higher is not None and lower is not None and higher > lower
    return key.endswith("ratio") and _number(now) and _number(was) and now < was


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _size(value: Any) -> float | None:
    if isinstance(value, list):
        return len(value)
    return value if _number(value) else None


def _untriaged(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding as the rules produced it: no baseline mark, no suppression, no expiry note."""
    clean = {k: v for k, v in finding.items() if k not in TRIAGE_KEYS}
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

"""report.md: a summary a CI job can post as a pull-request comment or job summary; it stands alone there,
so it holds no relative link (screenshots are linked under `--artifact-url`, else named as text) and no image.

Labels, titles, messages and URLs come from the audited pages, so they are hostile: every piece of text goes
through `escape()`, which backslash-escapes Markdown syntax, writes `<`, `>` and `&` as entities and breaks
@mentions, so page text can neither break a table nor become HTML, a link or a ping. The file stays under
GitHub's comment limit (65,536 characters): a table that does not fit ends with a "… and N more" line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from auditor.plural import plural
from auditor.report.context import RenderContext
from auditor.severity import SEVERITIES

LIMIT = 60_000
MAX_CELL = 300  # characters of page text per cell (escaping can make them up to 5 times longer)
# Budgets (in characters) of the sections besides the findings table, which gets what is left.
BUDGETS = {"flows": 15_000, "fixed": 6_000, "suppressed": 3_000, "incomplete": 6_000}

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SYNTAX = re.compile(r"([\\`*_\[\]|~]|:(?=//|[\w+-]+:))")  # and `:` where GitHub links `x://` or makes `:x:` emoji
_PINGS = re.compile(r"([@#])(?=\w)")  # @user / #123 would notify or cross-link: a zero-width space breaks them
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
_NEWLINES = re.compile(r"\r\n|\r|\n")
_URL_SAFE = "/.-_~:%?=&#+@!$,;"  # kept as they are in a link; anything else (spaces, <, >) percent-encoded


def escape(text: Any, limit: int | None = MAX_CELL) -> str:
    """Page text as inert Markdown for a table cell or list item (one line; newlines become `<br>`)."""
    raw = _CONTROL.sub("", "" if text is None else str(text))
    if limit is not None and len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    raw = _WWW.sub(r"\1\\.", _SYNTAX.sub(r"\\\1", raw))
    raw = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    raw = _PINGS.sub("\\1\u200b", raw)
    return _NEWLINES.sub("<br>", raw)


def render(report: dict[str, Any], ctx: RenderContext) -> str:
    sections = [_title(report), _facts(report, ctx)]
    sections += [_flows(report, BUDGETS["flows"])]
    rest = [_fixed(report, BUDGETS["fixed"]), _suppressed(report, BUDGETS["suppressed"])]
    rest += [_incomplete(report, BUDGETS["incomplete"])]
    used = sum(len(s) + 2 for s in [*sections, *rest] if s)
    sections += [_findings(report, ctx, LIMIT - used - 200), *rest]
    return "\n\n".join(s for s in sections if s) + "\n"


def _title(report: dict[str, Any]) -> str:
    findings = report.get("findings") or []
    flows = report.get("flows") or []
    by_severity = Counter(f.get("severity") for f in findings)
    parts = [plural(by_severity[s], s) for s in SEVERITIES if by_severity[s]]
    found = f"{plural(len(findings), 'finding')} ({', '.join(parts)})" if findings else "no findings"
    title = f"## retention-auditor: {found} in {plural(len(flows), 'flow')}"
    if report.get("status") != "complete":
        unfinished = sum(1 for f in flows if f.get("status") != "complete")
        title += f" (AUDIT INCOMPLETE: {unfinished} of {plural(len(flows), 'flow')} not seen through)"
    return title


def _stamp(value: Any) -> str:
    """An ISO timestamp as written (escaping would clutter `04:17:15`); anything else escaped."""
    return value if isinstance(value, str) and re.fullmatch(r"[0-9T:+.Z-]+", value) else escape(value)


def _facts(report: dict[str, Any], ctx: RenderContext) -> str:
    """One line each: status, packs and tool; where the evidence is published; the baseline's counts."""
    tool = report.get("tool") or {}
    packs = ", ".join(f"{escape(p.get('pack'))} {escape(p.get('version'))}" for p in report.get("packs") or [])
    lines = [
        f"Status: **{escape(report.get('status'))}** · packs: {packs or 'none'} · {escape(tool.get('name'))} "
        f"{escape(tool.get('version'))} · finished {_stamp(report.get('finished_at'))}"
    ]
    if ctx.artifact_url:
        lines.append(f"Evidence (screenshots, graphs, every format): [the report folder](<{_url(ctx.artifact_url)}>)")
    baseline = report.get("baseline")
    if isinstance(baseline, dict):
        findings = report.get("findings") or []
        new = sum(1 for f in findings if f.get("baseline") == "new")
        regressed = sum(1 for f in findings if f.get("baseline") == "regressed")
        unchanged = sum(1 for f in findings if f.get("baseline") == "unchanged")
        fixed = len(baseline.get("fixed") or [])
        lines.append(
            f"Compared with baseline {escape(baseline.get('file'))}: **{new} new**, **{regressed} regressed**, "
            f"{unchanged} unchanged, {fixed} fixed."
        )
        lines += [f"**Regression:** {escape(r.get('message'))}" for r in baseline.get("regressions") or []]
    return "  \n".join(lines)


def _take(lines: Sequence[str], budget: int, more: str) -> list[str]:
    """As many lines as fit in `budget` characters; then a line saying how many were left out."""
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        if used + len(line) + 1 > budget - len(more) - 20:
            return [*out, more.format(n=len(lines) - i)]
        out.append(line)
        used += len(line) + 1
    return out


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], budget: int, more: str) -> str:
    head = [_row(header), _row(["---"] * len(header))]
    body = _take([_row(r) for r in rows], budget - sum(len(h) + 1 for h in head), more)
    if body and not body[-1].startswith("|"):  # the "… and N more" line ends the table
        return "\n".join([*head, *body[:-1]]) + "\n\n" + body[-1]
    return "\n".join([*head, *body])


def _dash(value: Any) -> str:
    return "–" if value is None else escape(value)


def _flows(report: dict[str, Any], budget: int) -> str:
    flows = report.get("flows") or []
    if not flows:
        return ""
    counts = Counter(f.get("flow") for f in report.get("findings") or [])
    rows = []
    for flow in flows:
        metrics = flow.get("metrics") or {}
        goal = "reached" if flow.get("goal_reached") else "not reached"
        rows.append(
            [escape(flow.get("name")), escape(flow.get("kind")), escape(flow.get("status")), goal]
            + [_dash(metrics.get(k)) for k in ("steps_to_goal", "pages_to_goal", "detours")]
            + [str(counts[flow.get("name")])]
        )
    header = ["flow", "kind", "status", "goal", "steps", "pages", "detours", "findings"]
    return "### Flows\n\n" + _table(header, rows, budget - 20, "… and {n} more flows (see report.json)")


def _evidence(finding: dict[str, Any], ctx: RenderContext) -> str:
    """A link to the screenshot where the report folder is published (`--artifact-url`); else its path as
    text: a relative link breaks wherever the file is read away from its folder (a CI step summary, a
    pull-request comment), and the file must stand alone there."""
    screenshot = (finding.get("evidence") or {}).get("screenshot")
    if not screenshot:
        return "–"
    href = ctx.published_href(str(screenshot))
    if href is None:
        return escape(str(screenshot))
    return f"[screenshot](<{_url(href)}>)"


def _url(address: str) -> str:
    return quote(address, safe=_URL_SAFE)


def _findings(report: dict[str, Any], ctx: RenderContext, budget: int) -> str:
    findings = list(report.get("findings") or [])
    if not findings:
        return ""
    with_baseline = any(f.get("baseline") for f in findings)
    if with_baseline:  # new findings first: they are what a pull request changed, and survive truncation
        findings.sort(key=lambda f: f.get("baseline") != "new")
    header = ["severity", "rule", "flow", "message", *(["baseline"] if with_baseline else []), "evidence"]
    rows = []
    for f in findings:
        cells = [escape(f.get("severity")), escape(f.get("rule")), escape(f.get("flow")), escape(f.get("message"))]
        cells += [escape(f.get("baseline") or "–")] if with_baseline else []
        rows.append([*cells, _evidence(f, ctx)])
    return "### Findings\n\n" + _table(header, rows, budget - 20, "… and {n} more findings (see report.json)")


def _fixed(report: dict[str, Any], budget: int) -> str:
    baseline = report.get("baseline")
    fixed = (baseline.get("fixed") or []) if isinstance(baseline, dict) else []
    if not fixed:
        return ""
    lines = [f"- **{escape(f.get('rule'))}** in {escape(f.get('flow'))}: {escape(f.get('message'))}" for f in fixed]
    title = f"### Fixed since baseline ({len(fixed)})\n\n"
    return title + "\n".join(_take(lines, budget - len(title), "- … and {n} more (see report.json)"))


def _suppressed(report: dict[str, Any], budget: int) -> str:
    suppressed = report.get("suppressed") or []
    expired = [f for f in report.get("findings") or [] if (f.get("suppression") or {}).get("expired")]
    parts = []
    if suppressed:
        reasons = Counter(str((f.get("suppression") or {}).get("reason") or "no reason given") for f in suppressed)
        lines = [f"- {escape(reason)} ({count})" for reason, count in reasons.most_common()]
        head = f"{plural(len(suppressed), 'finding')} suppressed (not counted above):\n"
        parts.append(head + "\n".join(_take(lines, budget - 200, "- … and {n} more reasons (see report.json)")))
    if expired:
        parts.append(f"{plural(len(expired), 'suppression')} expired: those findings are back in the table.")
    return "\n\n".join(parts)


def _incomplete(report: dict[str, Any], budget: int) -> str:
    flows = [f for f in report.get("flows") or [] if f.get("status") != "complete"]
    if not flows:
        return ""
    lines = [
        f"- **{escape(f.get('name'))}** ({escape(f.get('kind'))}): {escape(f.get('error') or 'did not finish')}"
        for f in flows
    ]
    title = "### Incomplete flows (the audit did not see them through; never a pass)\n\n"
    return title + "\n".join(_take(lines, budget - len(title), "- … and {n} more (see report.json)"))

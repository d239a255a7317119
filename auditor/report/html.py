"""The HTML report: one page (plus the evidence folder next to it) that a reader can open, print and file.

Everything shown comes from the report model; this module turns it into plain view data (numbers already
formatted, links already vetted) so the Jinja template stays free of logic. Text from audited pages is
hostile by assumption: the template autoescapes it, only http(s) URLs ever become links, and a
Content-Security-Policy forbids scripts so even an escaping mistake could not run code.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from auditor.files import read_head
from auditor.plural import plural
from auditor.report.context import RenderContext
from auditor.report.pathsvg import path_svg
from auditor.report.seen import as_seen
from auditor.severity import SEVERITIES

TEMPLATES = Path(__file__).parent / "templates"
CSP = "default-src 'none'; img-src 'self' data: file:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
OUTCOME_ORDER = {"fail": 0, "incomplete": 1, "pass": 2}
WEB_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CROP_RATIO = 0.75  # a tall screenshot shows a window this high per unit of width, centred on the element
METRICS = (
    ("steps_to_goal", "Steps to goal"),
    ("pages_to_goal", "Pages to goal"),
    ("options_on_path", "Options on the path"),
    ("detours", "Retention detours"),
    ("forced_inputs", "Forced inputs"),
    ("states", "Screens explored"),
    ("actions", "Actions seen"),
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Autoescaping everywhere (also for templates from strings) and loud failures on a missing value."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html", "j2"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = plural  # {{ n | plural("step") }}: "1 step", "2 steps"
    return env


def web_href(url: Any) -> str | None:
    """The URL when it is a plain http(s) address, the only kind the report turns into a link."""
    return url if isinstance(url, str) and WEB_URL.fullmatch(url) else None


def local_href(href: str) -> str:
    """A relative link to an evidence file, percent-encoded so no path can read as a scheme or fragment."""
    return quote(href, safe="/")


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR chunk (bytes 16-24), without an imaging library."""
    try:
        head = read_head(path, 24)
    except OSError:  # also a FIFO, a device or a folder where a screenshot should be: never opened
        return None
    if len(head) < 24 or head[:8] != PNG_MAGIC or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return (width, height) if width and height else None


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.3f}".rstrip("0").rstrip(".")


def _pct(fraction: float) -> str:
    """A share of the image, clipped to it."""
    return _percent(min(max(fraction, 0.0), 1.0))


def _box(box: Any) -> tuple[float, float, float, float] | None:
    if not isinstance(box, Sequence) or isinstance(box, str) or len(box) != 4:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box):
        return None
    x, y, w, h = (float(v) for v in box)
    return (x, y, w, h) if w > 0 and h > 0 else None


def outline(box: Any, width: int, height: int) -> dict[str, str] | None:
    """The element's box as percentages of the image, clipped to it; None when there is nothing to draw."""
    parsed = _box(box)
    if parsed is None:
        return None
    x, y, w, h = parsed
    left, top = max(x, 0.0), max(y, 0.0)
    right, bottom = min(x + w, width), min(y + h, height)
    if right <= left or bottom <= top:
        return None
    return {
        "left": _pct(left / width),
        "top": _pct(top / height),
        "width": _pct((right - left) / width),
        "height": _pct((bottom - top) / height),
    }


def crop(box: Any, width: int, height: int) -> tuple[int, float]:
    """The window (in image pixels) a tall screenshot is shown through and how far down it starts, so the
    outlined element is in view without a script: the offset becomes a negative margin-top in percent,
    which CSS measures against the width, exactly the unit the image scales by."""
    window = min(height, round(width * CROP_RATIO))
    parsed = _box(box)
    if parsed is None or height <= window:
        return window, 0.0
    _, y, _, h = parsed
    if y + h <= window * 0.9:
        return window, 0.0
    return window, min(max(0.0, y + h / 2 - window / 2), float(height - window))


class Shots:
    """Screenshot views for the template; looks at each file once (exists? how big?)."""

    def __init__(self, ctx: RenderContext) -> None:
        self.ctx = ctx
        self._sizes: dict[str, tuple[bool, tuple[int, int] | None]] = {}

    def _probe(self, rel: str) -> tuple[bool, tuple[int, int] | None]:
        if rel not in self._sizes:
            path = self.ctx.evidence_file(rel)
            self._sizes[rel] = (path.is_file(), png_size(path))
        return self._sizes[rel]

    def href(self, rel: str | None) -> str | None:
        """A link to the evidence file, or None when it is not on disk (nothing broken is shown)."""
        if not rel or not self._probe(rel)[0]:
            return None
        return local_href(self.ctx.evidence_href(rel))

    def view(self, rel: str | None, box: Any = None) -> dict[str, Any] | None:
        href = self.href(rel)
        if href is None:
            return None
        size = self._probe(rel or "")[1]
        if size is None:  # not a PNG we can measure: shown in a plain box, with no outline
            return {"href": href, "sized": False, "width": 0, "height": 0, "window": 0, "offset": "0",
                    "outline": None, "cropped": False}  # fmt: skip
        width, height = size
        window, offset = crop(box, width, height)
        return {
            "href": href,
            "sized": True,
            "width": width,
            "height": height,
            "window": window,
            "offset": _percent(offset / width) if offset else "0",
            "outline": outline(box, width, height),
            "cropped": height > window,
        }


def fmt(value: Any) -> str:
    """A measured figure as a reader would write it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {fmt(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return ", ".join(fmt(v) for v in value) or "none"
    return str(value)


def figures(values: Any) -> list[tuple[str, str]]:
    """The measured figures as table rows; keys lose their underscores so a reader sees words."""
    if not isinstance(values, Mapping):
        return []
    return [(str(k).replace("_", " "), fmt(v)) for k, v in values.items()]


def spec_location(spec: Any, ctx: RenderContext) -> str:
    """file:line of the flow spec, repository-relative, so a reader can find the flow that was audited."""
    if not isinstance(spec, Mapping) or not spec.get("file"):
        return ""
    line = spec.get("line")
    return ctx.repo_path(str(spec["file"])) + (f":{line}" if line else "")


def count(value: Any) -> int | None:
    """Baseline tallies may come as numbers or as lists of findings."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        return len(value)
    return None


def reference(ref: Mapping[str, Any]) -> dict[str, Any]:
    """A law or guideline; its URL is always shown as text, and linked only when it is http(s). Its status is
    shown with the day it was last checked (`as_of`): "not yet in force" read a year later may be wrong."""
    url = ref.get("url") or ""
    return {
        "law": str(ref.get("law") or ""),
        "section": str(ref.get("section") or ""),
        "status": str(ref.get("status") or ""),
        "as_of": str(ref.get("as_of") or ""),
        "url": str(url),
        "href": web_href(url),
    }


def suppression(value: Any) -> dict[str, Any] | None:
    """Why a finding is silenced and until when (optional in the model)."""
    if not isinstance(value, Mapping):
        return None
    return {"reason": str(value.get("reason") or ""), "expires": fmt(value.get("expires")),
            "expired": bool(value.get("expired"))}  # fmt: skip


def finding_view(
    finding: Mapping[str, Any], anchor: str, flow_anchors: Mapping[str, str], shots: Shots, ctx: RenderContext
) -> dict[str, Any]:
    """Everything a reader needs to check one finding without the tool: where, what was measured, which law."""
    evidence = finding.get("evidence") or {}
    severity = finding.get("severity")
    return {
        "anchor": anchor,
        "rule": str(finding.get("rule") or ""),
        "title": str(finding.get("title") or ""),
        "severity": severity if severity in SEVERITIES else "info",
        "flow": str(finding.get("flow") or ""),
        "flow_anchor": flow_anchors.get(str(finding.get("flow") or "")),
        "message": str(finding.get("message") or ""),
        "fingerprint": str(finding.get("fingerprint") or ""),
        "figures": figures(finding.get("figures")),
        "references": [reference(r) for r in finding.get("references") or [] if isinstance(r, Mapping)],
        "tags": [str(t) for t in finding.get("tags") or []],
        "help": str(finding.get("help") or ""),
        "help_url": str(finding.get("help_url") or ""),
        "help_href": web_href(finding.get("help_url")),
        "pack": str(finding.get("pack") or ""),
        "spec": spec_location(finding.get("spec"), ctx),
        "url": str(evidence.get("url") or ""),
        "url_href": web_href(evidence.get("url")),
        "state": str(evidence.get("state") or ""),
        "selector": str(evidence.get("selector") or ""),
        "label": str(evidence.get("label") or ""),
        "path": " → ".join(str(p) for p in evidence.get("path") or []),
        "screenshot": str(evidence.get("screenshot") or ""),
        "shot": shots.view(evidence.get("screenshot"), evidence.get("box")),
        "baseline": str(finding.get("baseline") or ""),
        "suppression": suppression(finding.get("suppression")),
    }


def rule_views(outcomes: Any, titles: Mapping[str, str], first: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    """A flow's per-rule outcomes: fails, incompletes and passes shown; inapplicable ones kept apart."""
    shown: list[dict[str, Any]] = []
    inapplicable: list[dict[str, Any]] = []
    for rule, result in (outcomes or {}).items():
        result = result if isinstance(result, Mapping) else {}
        outcome = str(result.get("outcome") or "incomplete")
        view = {
            "rule": str(rule),
            "title": titles.get(rule, ""),
            "outcome": outcome,
            "severity": str(result.get("severity") or ""),
            "reason": str(result.get("reason") or ""),
            "findings": result.get("findings") or 0,
            "anchor": first.get(rule),
        }
        (inapplicable if outcome == "inapplicable" else shown).append(view)
    shown.sort(key=lambda v: (OUTCOME_ORDER.get(v["outcome"], 1), v["rule"]))
    return {"shown": shown, "inapplicable": inapplicable}


def step_view(step: Mapping[str, Any]) -> dict[str, Any]:
    """One action of the cheapest path, in full (the picture has to shorten labels)."""
    return {
        "step": step.get("step", ""),
        "label": str(step.get("label") or ""),
        "action": str(step.get("action") or ""),
        "intent": str(step.get("intent") or ""),
        "intent_why": str(step.get("intent_why") or ""),
        "inputs": ", ".join(str(i) for i in step.get("inputs") or []),
        "url": str(step.get("url") or ""),
        "selector": str(step.get("selector") or ""),
    }


def charge_view(charge: Mapping[str, Any], shots: Shots) -> dict[str, Any]:
    """A payment request the guard answered itself; the request body is left out (it may hold card data)."""
    return {
        "method": str(charge.get("method") or ""),
        "url": str(charge.get("url") or ""),
        "label": str(charge.get("label") or ""),
        "path": " → ".join(str(p) for p in charge.get("path") or []),
        "shot_href": shots.href(charge.get("screenshot")),
    }


def _metric(flow: Mapping[str, Any], key: str) -> str:
    metrics = flow.get("metrics") or {}
    return fmt(metrics.get(key)) if key in metrics else "—"


def flow_view(
    flow: Mapping[str, Any],
    anchor: str,
    views: Mapping[str, Any],
    shots: Shots,
    ctx: RenderContext,
) -> dict[str, Any]:
    """A flow's card: its figures next to its compare_with partner's, its path, charges and rule outcomes."""
    name = str(flow.get("name") or "")
    partner_name = flow.get("compare_with")
    partner = views["flows"].get(partner_name) if partner_name else None
    mine = [f for f in views["findings"] if f["flow"] == name]
    exploration = flow.get("exploration") or {}
    svg = path_svg(flow, shots.href)
    return {
        "anchor": anchor,
        "name": name,
        "kind": str(flow.get("kind") or ""),
        "status": str(flow.get("status") or "incomplete"),
        "error": str(flow.get("error") or ""),
        "goal_reached": bool(flow.get("goal_reached")),
        "spec": spec_location(flow.get("spec"), ctx),
        "start": str(flow.get("start") or ""),
        "start_href": web_href(flow.get("start")),
        "context": as_seen(flow.get("context")),
        "partner": str(partner_name or ""),
        "partner_anchor": views["anchors"].get(partner_name),
        "partner_steps": _metric(partner, "steps_to_goal") if partner else "—",
        "metrics": [(label, _metric(flow, key)) for key, label in METRICS],
        "stop_reason": str(exploration.get("stop_reason") or ""),
        "held_back": [h for h in exploration.get("held_back") or [] if isinstance(h, Mapping)],  # explore/sidefx.py
        "seconds": fmt(exploration.get("seconds")) if exploration.get("seconds") is not None else "",
        "svg": Markup(svg) if svg else None,  # built with ElementTree: every text node and attribute escaped
        "steps": [step_view(s) for s in flow.get("path") or [] if isinstance(s, Mapping)],
        "charges": [charge_view(c, shots) for c in flow.get("charges") or [] if isinstance(c, Mapping)],
        "rules": rule_views(flow.get("rules"), views["titles"], {f["rule"]: f["anchor"] for f in reversed(mine)}),
        "findings": mine,
        "graph_href": shots.href(flow.get("graph")),
        "trace": str(flow.get("trace") or ""),
        "trace_href": shots.href(flow.get("trace")),
    }


def joined(values: Mapping[str, Any], *keys: str) -> str:
    return " ".join(str(values.get(k) or "") for k in keys).strip()


def header(report: Mapping[str, Any]) -> dict[str, Any]:
    """The verdict at the top: status, counts by severity, what was run with what."""
    summary = report.get("summary") or {}
    findings = report.get("findings") or []
    given = summary.get("by_severity") or {}
    by_severity = {s: given.get(s, sum(1 for f in findings if f.get("severity") == s)) for s in SEVERITIES}
    flows = report.get("flows") or []
    browser = report.get("browser") or {}
    tool = report.get("tool") or {}
    return {
        "status": str(report.get("status") or "incomplete"),
        "by_severity": by_severity,
        "findings": summary.get("findings", len(findings)),
        "flows": summary.get("flows", len(flows)),
        "complete": summary.get("complete", sum(1 for f in flows if f.get("status") == "complete")),
        "goal_reached": summary.get("goal_reached", sum(1 for f in flows if f.get("goal_reached"))),
        "packs": [joined(p, "pack", "version") for p in report.get("packs") or [] if isinstance(p, Mapping)],
        "browser": joined(browser, "name", "version") or "—",
        "tool": joined(tool, "name", "version"),
        "schema": str(report.get("schema") or ""),
        "seen_from": sorted({as_seen(f.get("context"), where_only=True) or "browser defaults" for f in flows}),
        "started": str(report.get("started_at") or "—"),
        "finished": str(report.get("finished_at") or "—"),
    }


def brief(finding: Any) -> dict[str, Any]:
    """A silenced or fixed finding, in one line."""
    finding = finding if isinstance(finding, Mapping) else {}
    return {
        "rule": str(finding.get("rule") or ""),
        "title": str(finding.get("title") or ""),
        "severity": str(finding.get("severity") or ""),
        "flow": str(finding.get("flow") or ""),
        "message": str(finding.get("message") or ""),
        "fingerprint": str(finding.get("fingerprint") or ""),
        "suppression": suppression(finding.get("suppression")),
    }


def baseline(report: Mapping[str, Any]) -> dict[str, Any] | None:
    """What changed since the baseline report (optional in the model)."""
    value = report.get("baseline")
    if not isinstance(value, Mapping):
        return None
    fixed = value.get("fixed") or []
    return {
        "file": str(value.get("file") or ""),
        "new": fmt(count(value.get("new"))),
        "unchanged": fmt(count(value.get("unchanged"))),
        "fixed": [brief(f) for f in fixed] if isinstance(fixed, list) else [],
    }


def render(report: dict[str, Any], ctx: RenderContext) -> str:
    """The whole report as one HTML page; screenshots are linked from the evidence folder, not embedded."""
    shots = Shots(ctx)
    flows = [f for f in report.get("flows") or [] if isinstance(f, Mapping)]
    findings = [f for f in report.get("findings") or [] if isinstance(f, Mapping)]
    suppressed = [f for f in report.get("suppressed") or [] if isinstance(f, Mapping)]
    anchors = {str(f.get("name")): f"flow-{i}" for i, f in reversed(list(enumerate(flows, 1)))}  # first wins
    finding_views = [finding_view(f, f"finding-{i}", anchors, shots, ctx) for i, f in enumerate(findings, 1)]
    traces = {str(f.get("name")): shots.href(f.get("trace")) for f in reversed(flows)}  # --trace: first wins
    for view in finding_views:
        view["trace_href"] = traces.get(view["flow"])
    titles = {str(f.get("rule")): str(f.get("title") or "") for f in [*suppressed, *findings]}
    titles |= {str(r.get("id")): str(r.get("title") or "") for r in report.get("rule_catalog") or []}
    views = {"flows": {str(f.get("name")): f for f in flows}, "anchors": anchors, "findings": finding_views,
             "titles": titles}  # fmt: skip
    flow_views = [flow_view(f, f"flow-{i}", views, shots, ctx) for i, f in enumerate(flows, 1)]
    template = environment().get_template("report.html.j2")
    return template.render(
        csp=CSP,
        head=header(report),
        flows=flow_views,
        findings=finding_views,
        suppressed=[brief(f) for f in suppressed],
        baseline=baseline(report),
        severities=SEVERITIES,
    )

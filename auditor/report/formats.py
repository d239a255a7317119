"""The report formats, and writing them: every format is `render(report, ctx) -> str` of one report model.

report.json is always written (after every finished flow too, so an interrupted run leaves a valid one);
the other formats are written when the run ends, however it ends. Every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from auditor.baseline import Triage
from auditor.files import write_atomic
from auditor.report import html, json_report, junit, markdown, sarif
from auditor.report.context import RenderContext

Renderer = Callable[[dict[str, Any], RenderContext], str]

FORMATS: dict[str, tuple[str, Renderer]] = {  # name -> (file name, renderer)
    "json": ("report.json", json_report.render),
    "html": ("report.html", html.render),
    "sarif": ("report.sarif", sarif.render),
    "junit": ("junit.xml", junit.render),
    "md": ("report.md", markdown.render),
}


def parse_formats(value: str) -> list[str]:
    """`json,html,...` (or `all`) -> format names in a stable order, json first; unknown names: ValueError."""
    asked = [v.strip().lower() for v in value.split(",") if v.strip()]
    if "all" in asked:
        return list(FORMATS)
    unknown = [v for v in asked if v not in FORMATS]
    if unknown:
        noun = "format" if len(unknown) == 1 else "formats"
        raise ValueError(f"unknown {noun}: {', '.join(unknown)} (choose from {', '.join(FORMATS)}, or all)")
    return [name for name in FORMATS if name == "json" or name in asked]


def write_reports(report: dict[str, Any], formats: Sequence[str], ctx: RenderContext) -> dict[str, Path]:
    """Render and write each format into ctx.out_dir; returns format -> file written."""
    written = {}
    for name in formats:
        file_name, render = FORMATS[name]
        path = ctx.out_dir / file_name
        write_atomic(path, render(report, ctx))
        written[name] = path
    return written


@dataclass
class ReportWriter:
    """Writes a run's report as it grows: report.json after each flow, every format at the end."""

    out_dir: Path
    formats: Sequence[str] = ("json",)
    triage: Triage | None = None
    fail_on: str = "error"
    artifact_url: str | None = None
    root: Path | None = None  # what SARIF paths are relative to (default: the working directory)

    def _ctx(self) -> RenderContext:
        ctx = RenderContext(self.out_dir, self.out_dir, fail_on=self.fail_on, artifact_url=self.artifact_url)
        return replace(ctx, root=self.root) if self.root else ctx

    def prepare(self, report: dict[str, Any]) -> dict[str, Any]:
        """The report with the baseline and suppressions applied."""
        return self.triage.apply(report) if self.triage else report

    def interim(self, report: dict[str, Any]) -> None:
        """A prepared report while flows still run: report.json only."""
        write_reports(report, ["json"], self._ctx())

    def final(self, report: dict[str, Any]) -> dict[str, Path]:
        """The prepared final report, in every format asked for."""
        return write_reports(report, self.formats, self._ctx())

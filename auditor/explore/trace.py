"""Replayable evidence: a Playwright trace of each browser context a flow used (`--trace on` or
`retain-on-finding`), written next to the flow's screenshots as `trace.zip` (`trace-2.zip`, ... for later
contexts) and opened with `playwright show-trace FILE`.

A trace holds what the page showed and what was typed into it, so before a trace is kept every text entry of
its zip (the action log, network log, DOM snapshots) has the spec's secret values replaced, as the graph has
(redaction.py): a password typed into a form never reaches a trace file.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from auditor.redaction import MASK, forms, secret_values
from auditor.spec import FlowSpec

MODES = ("off", "on", "retain-on-finding")


def trace_secrets(spec: FlowSpec) -> list[str]:
    """The spec's secret values as a trace may hold them: as typed, URL-encoded, and escaped inside JSON."""
    plain = forms(secret_values(spec))
    return sorted({*plain, *(json.dumps(v)[1:-1] for v in plain)}, key=len, reverse=True)


class Tracer:
    """Starts tracing on each new context of one flow and saves it when the context closes."""

    def __init__(self, mode: str = "off", folder: Path | None = None, secrets: list[str] | None = None) -> None:
        self.mode, self.folder, self.secrets = mode, folder, secrets or []
        self.files: list[Path] = []
        self.problem: str | None = None

    @property
    def on(self) -> bool:
        return self.mode != "off" and self.folder is not None

    async def started(self, context: BrowserContext) -> None:
        if self.on:
            try:
                await context.tracing.start(screenshots=True, snapshots=True, sources=False)
            except PlaywrightError as exc:
                self.problem = f"tracing could not start: {exc}"

    async def stopped(self, context: BrowserContext) -> None:
        """Save the context's trace (before the context closes); a failure is noted, never fatal."""
        if not self.on or self.folder is None:
            return
        name = "trace.zip" if not self.files else f"trace-{len(self.files) + 1}.zip"
        path = self.folder / name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            await context.tracing.stop(path=str(path))
        except PlaywrightError as exc:
            self.problem = f"the trace could not be saved: {exc}"
            return
        scrub_zip(path, self.secrets)
        self.files.append(path)


def scrub_zip(path: Path, secrets: list[str]) -> None:
    """Replace every secret form in every entry of the zip (bytes, as UTF-8); images stay as they are."""
    forms = [s.encode("utf-8") for s in secrets if s]
    if not forms or not path.is_file():
        return
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if not info.filename.endswith((".jpeg", ".jpg", ".png", ".webp")):
                for form in forms:
                    data = data.replace(form, MASK.encode())
            dst.writestr(info, data)
    tmp.replace(path)

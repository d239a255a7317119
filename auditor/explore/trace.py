"""Replayable evidence: a Playwright trace of each browser context a flow used (`--trace on` or
`retain-on-finding`), written next to the flow's screenshots as `trace.zip` (`trace-2.zip`, ... for later
contexts) and opened with `playwright show-trace FILE`.

A trace holds what the page showed, what was typed into it and every request's headers, so before a trace is
kept every text entry of its zip (the action log, network log, DOM snapshots, response bodies) is rewritten with
the flow's secrets masked in every encoding, as the graph is (redaction.py): a password typed into a form, a
Basic header or a saved session's token never reaches a trace file. Playwright writes the raw trace into a
private temporary folder; only the masked copy is renamed into place, so a link planted at `trace.zip` in a
reused --out is replaced, never written through.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from auditor.errors import first_line
from auditor.redaction import Redactor

MODES = ("off", "on", "retain-on-finding")
IMAGES = (".jpeg", ".jpg", ".png", ".webp")


class Tracer:
    """Starts tracing on each new context of one flow and saves it when the context closes."""

    def __init__(self, mode: str = "off", folder: Path | None = None, redactor: Redactor | None = None) -> None:
        self.mode, self.folder, self.redactor = mode, folder, redactor or Redactor(())
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
            raw = Path(tempfile.mkdtemp(dir=self.folder, prefix=".trace-"))  # private: mode 0700, fresh
        except OSError as exc:
            self.problem = f"the trace could not be saved: {exc}"
            return
        try:
            await context.tracing.stop(path=str(raw / name))
            masked_zip(raw / name, path, self.redactor)
        except (PlaywrightError, OSError, zipfile.BadZipFile) as exc:
            self.problem = f"the trace could not be saved: {first_line(exc)}"
            return
        finally:
            shutil.rmtree(raw, ignore_errors=True)
        self.files.append(path)


def masked_zip(source: Path, target: Path, redactor: Redactor) -> None:
    """Write `target`: `source` with the secrets masked in every entry but images (the screencast frames)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        out = os.fdopen(fd, "wb")
        with out, zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                dst.writestr(info, data if info.filename.lower().endswith(IMAGES) else redactor.bytes(data))
        os.replace(tmp, target)  # a link at `target` is replaced, not followed
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

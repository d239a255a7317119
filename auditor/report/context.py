"""What every renderer needs besides the report model: where the evidence is and where the output goes.

Every format is a pure function `render(report, ctx) -> str` of the report model (see model.py) and this
context, so `auditor report REPORT.json --format ...` re-renders any format later with no browser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RenderContext:
    """`report_dir` holds report.json and the evidence (screenshot paths in the model are relative to it);
    `out_dir` is where the rendered file is written; `root` is the repository root that SARIF locations
    are relative to (default: the working directory); `fail_on` is the run's gate (JUnit shows only what fails
    it as failures); `artifact_url` is where the report folder is published, for files read elsewhere (a step
    summary)."""

    report_dir: Path
    out_dir: Path
    root: Path = field(default_factory=Path.cwd)
    fail_on: str = "error"
    artifact_url: str | None = None

    def evidence_href(self, relative: str) -> str:
        """A link from a file in `out_dir` to an evidence file given relative to `report_dir`."""
        target = (self.report_dir / relative).resolve()
        return Path(os.path.relpath(target, self.out_dir.resolve())).as_posix()

    def evidence_file(self, relative: str) -> Path:
        return self.report_dir / relative

    def repo_path(self, path: str) -> str:
        """A spec file as a repository-relative POSIX path when it lies under `root`, else as given."""
        absolute = Path(os.path.abspath(path))  # not resolve(): keep the path the user wrote, symlinks and all
        try:
            return absolute.relative_to(os.path.abspath(self.root)).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def published_href(self, relative: str) -> str | None:
        """The evidence file's address under `artifact_url` (None without one): a link that still works where
        the report is read away from its folder."""
        if not self.artifact_url:
            return None
        path = Path(os.path.relpath((self.report_dir / relative).resolve(), self.report_dir.resolve())).as_posix()
        return self.artifact_url.rstrip("/") + "/" + path

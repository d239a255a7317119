"""The auditor's exception tree; each leaf maps to one CLI exit code.

AuditorError
 ├── InputError        exit 2: a spec, pack or option is wrong (message is `file:line: what`)
 │    └── BrowserNotFound   no Chromium to drive; names the install command
 ├── AuditIncomplete   exit 3: a site could not be audited (unreachable, crawl error)
 └── Interrupted       exit 130 (Ctrl-C) or 143 (SIGTERM): stopped; the partial report is written
"""

from __future__ import annotations


class AuditorError(Exception):
    """Base of every error the CLI turns into a message and an exit code (never a traceback)."""

    exit_code = 1


class InputError(AuditorError):
    """Bad input from the user: a spec, a pack, a CLI option."""

    exit_code = 2

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.detail = message
        where = ""
        if file is not None:
            where = f"{file}:{line}: " if line is not None else f"{file}: "
        super().__init__(f"{where}{message}")


class BrowserNotFound(InputError):
    """No Chromium could be found or launched."""


class AuditIncomplete(AuditorError):
    """A site could not be audited; the report is partial."""

    exit_code = 3


class Interrupted(AuditorError):
    """The run was stopped by a signal after writing its partial report (unfinished flows: incomplete)."""

    def __init__(self, signum: int, report: object) -> None:
        self.exit_code = 128 + signum
        super().__init__(f"interrupted; partial report written to {report}")


def first_line(exc: BaseException, limit: int = 300) -> str:
    """An exception in one line for a report or a message: its first line, clipped; its type if it says nothing."""
    text = str(exc).strip()
    return text.splitlines()[0][:limit] if text else type(exc).__name__

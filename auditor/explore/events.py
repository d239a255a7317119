"""What pages do on their own, outside any action the explorer takes, and how it is answered and recorded.

- JavaScript dialogs (alert, confirm, prompt, beforeunload) are answered at once: left unanswered, Playwright
  dismisses them, which silently turns "OK, cancel my plan" into "no" and "leave this page" into "stay". The
  explorer answers the way a user who goes on with the flow would: OK, the prompt's default text, leave.
- Downloads are refused (the context has `accept_downloads=False`); they are recorded, never saved.
- New tabs and popups are kept, in order, for the explorer to follow; one the page asked for (hooks.js) is
  waited for.
- Off-site navigations the guard blocked, screens that never went quiet and clipped screenshots are noted.
- A tab replaced by a new window that may not be the flow's next step (several windows at once, or the tab
  had moved on itself), and a session lost on the way (the site dropped a cookie and showed a login screen),
  are recorded apart: the flow was not seen through, and its exploration is `incomplete` (explorer.cut_short).

The Journal outlives browser contexts (a flow uses a fresh one per replay) and becomes part of the
flow's `exploration` record, in plain words, so a report says what the site did, not just how it ended.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import BrowserContext, Dialog, Download, Page
from playwright.async_api import Error as PlaywrightError

ASKED_FOR_WINDOW_JS = "() => window.__auditorHooks ? window.__auditorHooks.requested() : 0"
MAX_ENTRIES = 50  # per list: a page that loops alert() must not grow the report without bound


@dataclass
class Journal:
    """The record of one flow's page events, kept across contexts."""

    dialogs: list[dict[str, Any]] = field(default_factory=list)
    downloads: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    replaced_tabs: list[dict[str, Any]] = field(default_factory=list)
    lost_sessions: list[dict[str, Any]] = field(default_factory=list)

    def replaced_tab(self, entry: dict[str, Any]) -> None:
        """A new window took the place of the tab the flow was in, and it may not be the flow's next step."""
        if len(self.replaced_tabs) < MAX_ENTRIES:
            self.replaced_tabs.append(entry)
        self.note(f"a new window ({entry['url']}) replaced the tab at {entry['replaced']}: {entry['why']}")

    def lost_session(self, entry: dict[str, Any]) -> None:
        """The site dropped the user's session on the way: what follows is a signed-out user's view."""
        if any(e["url"] == entry["url"] for e in self.lost_sessions) or len(self.lost_sessions) >= MAX_ENTRIES:
            return
        self.lost_sessions.append(entry)
        self.note(
            f"the session was lost after {entry['after']!r}: cookies {', '.join(entry['cookies'])} were dropped "
            f"and {entry['url']} shows a login screen ({entry['login']})"
        )

    def cut_short(self) -> str | None:
        """Why the flow was not seen through by what happened on the way (a lost session, a replaced tab)."""
        if self.lost_sessions:
            lost = self.lost_sessions[0]
            return (
                f"the session was lost after {lost['after']!r}: the site dropped the cookies "
                f"{', '.join(lost['cookies'])} and showed a login screen at {lost['url']} ({lost['login']}); "
                "what followed was a signed-out user's view"
            )
        if self.replaced_tabs:
            tab = self.replaced_tabs[0]
            return (
                f"a new window ({tab['url']}) replaced the tab at {tab['replaced']} ({tab['why']}); "
                "the flow's own next step may have been in the tab that was closed"
            )
        return None
    form_fixes: list[dict[str, Any]] = field(default_factory=list)  # ticked to get past a refused form (refusal.py)

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < MAX_ENTRIES:
            self.notes.append(text)

    def dialog(self, entry: dict[str, Any]) -> None:
        if len(self.dialogs) < MAX_ENTRIES:
            self.dialogs.append(entry)

    def blocked_navigation(self, entry: dict[str, Any], where: str) -> None:
        """An off-site navigation the guard stopped (the page stayed where it was): once per URL."""
        url = str(entry.get("url", ""))
        if any(b["url"] == url for b in self.blocked) or len(self.blocked) >= MAX_ENTRIES:
            return
        host = entry.get("host") or url
        self.blocked.append({"url": url, "host": host, "where": where, "reason": entry.get("reason", "")})
        self.note(f"blocked off-site navigation to {host} ({url}) {where}; the page stayed where it was")

    def record(self) -> dict[str, Any]:
        return {
            "notes": list(self.notes),
            "dialogs": list(self.dialogs),
            "downloads": list(self.downloads),
            "blocked_navigations": list(self.blocked),
            "replaced_tabs": list(self.replaced_tabs),
            "lost_sessions": list(self.lost_sessions),
            "form_fixes": list(self.form_fixes),
        }


class ContextWatch:
    """Attached to one browser context before its first page: answers dialogs, records downloads and keeps
    every page opened in the context (the first is the explorer's own; later ones are popups)."""

    def __init__(self, context: BrowserContext, journal: Journal) -> None:
        self.journal = journal
        self.opened: list[Page] = []
        self.decline_confirm = False  # answer the next confirm() with Cancel (its other answer is explored too)
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        self.opened.append(page)
        page.on("dialog", self._dialog)
        page.on("download", self._download)

    def others(self, current: Page) -> list[Page]:
        """Open pages other than `current`, oldest first: tabs and popups the last action opened."""
        self.opened = [p for p in self.opened if not p.is_closed()]
        return [p for p in self.opened if p is not current]

    async def opened_by(self, current: Page, seconds: float) -> list[Page]:
        """`others`, waiting up to `seconds` when there are none yet but `current` asked for a window since
        last asked (hooks.js): the browser reports a new tab a moment after the click or window.open() that
        made it, later still on a busy machine. A window asked for that never came is noted."""
        opened = self.others(current)
        if opened or not await _asked_for_window(current):
            return opened
        deadline = time.monotonic() + seconds
        while not (opened := self.others(current)) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        if not opened:
            self.journal.note(f"{current.url} asked for a new window that did not open")
        return opened

    async def _dialog(self, dialog: Dialog) -> None:
        answer = "ok"
        decline = dialog.type == "confirm" and self.decline_confirm
        if decline:
            answer = "cancel"
        elif dialog.type == "beforeunload":
            answer = "leave"
        elif dialog.type == "prompt":
            answer = f"ok with {dialog.default_value!r}"
        url = ""
        with suppress(PlaywrightError):
            url = dialog.page.url if dialog.page else ""
        self.journal.dialog({"type": dialog.type, "message": dialog.message[:300], "url": url, "answer": answer})
        said = f" {dialog.message[:80]!r}" if dialog.message else ""
        self.journal.note(f"answered a JavaScript {dialog.type} dialog{said} on {url}: {answer}")
        with suppress(PlaywrightError):  # the page may be gone already
            if decline:
                await dialog.dismiss()
            elif dialog.type == "prompt":
                await dialog.accept(dialog.default_value)
            else:
                await dialog.accept()

    def _download(self, download: Download) -> None:
        if len(self.journal.downloads) < MAX_ENTRIES:
            self.journal.downloads.append({"url": download.url, "file": download.suggested_filename, "saved": False})
        self.journal.note(f"refused a download of {download.suggested_filename!r} ({download.url}); nothing was saved")


async def _asked_for_window(page: Page) -> bool:
    """Did the page open a window, or click a link aimed at one, since last asked (hooks.js)?"""
    with suppress(PlaywrightError):  # the document may be going away
        return bool(await page.evaluate(ASKED_FOR_WINDOW_JS))
    return False

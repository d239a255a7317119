"""Whether the user is still signed in: a site that drops the session on the way (a cookie deleted, then a
login screen) leaves the explorer looking at a signed-out user's view, which proves nothing about the flow.

The signal is general: cookies the user held since the fresh start that the site has dropped, and a login
screen (walls.login_screen: a password field, or a `login_screen` phrase) where the goal was not. A cookie
dropped alone is no loss (sites rotate them), nor is a login page reached with every cookie kept (a "Sign
in" link followed). The flow is then not seen through (report/seen_through.py).
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from auditor.classify import Vocabulary
from auditor.explore.observe import Observation
from auditor.explore.userdata import Jar
from auditor.explore.walls import login_screen


class Cookies:
    """The names of the cookies the user held since the latest fresh start."""

    def __init__(self) -> None:
        self.had: set[str] = set()
        self.jar: Jar | None = None  # every cookie as last read (None: unread, or unreadable)
        self.lost: list[str] = []  # as last read: the cookies held since the fresh start that are gone

    def fresh(self) -> None:
        self.had, self.jar, self.lost = set(), None, []

    async def dropped(self, context: BrowserContext) -> list[str]:
        """Cookies held since the fresh start that the context no longer has, sorted (and remember the rest)."""
        try:
            cookies = await context.cookies()
        except PlaywrightError:
            self.jar, self.lost = None, []
            return []
        self.jar = frozenset((c["domain"], c["path"], c["name"], c["value"]) for c in cookies)
        now = {c["name"] for c in cookies}
        self.had |= now
        self.lost = sorted(self.had - now)
        return self.lost


def lost_session(vocab: Vocabulary, obs: Observation, dropped: list[str], after: str) -> dict[str, Any] | None:
    """The journal's record of a lost session when cookies were dropped and the screen is a login screen."""
    login = login_screen(vocab, obs) if dropped else None
    if not login:
        return None
    return {"url": obs.url, "after": after, "cookies": dropped, "login": login}

"""What a page said for a moment after an action: a toast gone after two seconds, a live region's message, a
dialog that closed by itself. The settled look after an action can miss them (a toast faded out by a CSS
animation the settle waited for, a message shown just before a navigation), yet the user read them, and a
cancellation confirmed that way is confirmed (cancel.no-confirmation). The init script glimpses.js hands each
message to the context's binding the moment it shows; `since` gives the ones that arrived after a mark (taken
before the action) and that the screen it led to no longer shows. They are recorded on the action
(`Action.glimpses`) and read as what the user saw on the way (the goal's words, the confirmation check).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from playwright.async_api import BrowserContext

from auditor.explore.observe import Observation

GLIMPSES_JS = resources.files("auditor.explore").joinpath("glimpses.js").read_text(encoding="utf-8")
BINDING = "__auditorGlimpse"
KEEP = 200  # messages kept at most (the oldest go): an action's own are read right after it


class Glimpses:
    """The messages a context's pages showed, numbered in the order they showed."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, dict[str, str]]] = []
        self.count = 0

    async def install(self, context: BrowserContext) -> None:
        """The binding first, then the script that calls it (init scripts run in the order they are added)."""
        await context.expose_binding(BINDING, self._shown)
        await context.add_init_script(GLIMPSES_JS)

    def _shown(self, source: Any, message: Any) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("text"), str):
            return  # the page called the binding itself with something else
        frame = source.get("frame") if isinstance(source, dict) else None
        url = getattr(frame, "url", "") or ""
        self.count += 1
        entry = {"text": message["text"][:500], "how": str(message.get("how", ""))[:20], "url": url}
        self.seen.append((self.count, entry))
        del self.seen[:-KEEP]

    def mark(self) -> int:
        return self.count

    def since(self, mark: int, after: Observation) -> list[dict[str, str]]:
        """The messages shown after `mark` that the look `after` does not show (in its text or dialog): seen
        for a moment only. Each once, in the order shown."""
        still = _words(f"{after.dialog_words} {after.text}")
        out: list[dict[str, str]] = []
        for number, entry in self.seen:
            text = _words(entry["text"])
            if number <= mark or not text or text in still or any(_words(e["text"]) == text for e in out):
                continue
            out.append(entry)
        return out


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()

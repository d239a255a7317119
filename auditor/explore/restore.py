"""Bringing the page back to a recorded screen, cheapest way first:

1. by going back in the page's history to the entry the screen was last seen at, as a user presses Back: the
   back-forward cache gives the page back as it was left, without a request (checked like every restore);
2. by the screen's URL, in the current context (checked: the page must show that screen);
3. from an anchor: the nearest screen on its recorded path that history or a URL restores, then the few
   actions after it (a dialog, ticked boxes) in this context;
4. by replaying the whole recorded path as a fresh user (a new tab, no cookies, no stored data) after the spec's
   setup.

Every restore returns where the page is afterwards, whether or not it reached the screen, so the loop never
has to guess.
"""

from __future__ import annotations

from contextlib import suppress

from playwright.async_api import Error as PlaywrightError

from auditor.explore.recorder import Position, Recorder
from auditor.explore.session import Session
from auditor.explore.stats import Stats


class Restorer:
    """Restores states of one flow; remembers which URLs failed and why (see `by_url`)."""

    def __init__(self, session: Session, recorder: Recorder, stats: Stats) -> None:
        self.session, self.recorder, self.stats = session, recorder, stats
        self.url_failed_tainted: set[str] = set()  # states a URL failed to restore in a changed context
        self.entries: dict[str, str] = {}  # state -> the history entry it was last seen at
        self.shown_at: dict[str, str | None] = {}  # history entry -> the screen last seen there

    def saw(self, here: Position) -> None:
        """The page shows `here`: remember the history entry it shows it at (see `by_history`)."""
        entry = here.obs.entry
        if entry is None:
            return
        self.shown_at[entry] = here.state
        if here.state is not None:
            self.entries[here.state] = entry

    async def restore(self, state: str, here: Position) -> Position:
        """The page at `state`, or wherever the last attempt left it (`.state != state`)."""
        with self.stats.timed("restore"):
            self.stats.restores += 1
            self.saw(here)
            found, kind = await self.by_history(state), "history"
            if found is None:
                found, kind = await self.by_url(state), "url"
            if found is None:
                found, kind = await self.from_anchor(state), "anchor"
            if found is None or found.state != state:
                found, kind = await self.by_replay(state), "replay"
            if found.state == state:
                self.stats.restored(kind)
            self.saw(found)
            return found

    async def by_history(self, state: str) -> Position | None:
        """Back (or forward) to the history entry where the page last showed `state`, when the page still has
        that entry and nothing else was seen there since. None when not tried or it showed another screen."""
        entry = self.entries.get(state)
        if entry is None or self.shown_at.get(entry) != state or self.session.page is None:
            return None
        obs = await self.session.back_to(entry)
        if obs is None:
            return None
        self.session.drain(f"while going back to {state}")
        if self.recorder.shows(obs, state):
            return Position(state, obs)
        self.saw(self.recorder.locate(obs))  # not what was left there: don't go back to it for this screen again
        return None

    async def by_url(self, state: str) -> Position | None:
        """Every URL restore is checked (the screen must look the same), so it is tried in a context that
        changed server state too; only a failure in an unchanged context proves the URL cannot restore it.
        None when it was not tried or did not show the screen."""
        record, session = self.recorder.states[state], self.session
        if record.has_dialog or record.url_restorable is False or session.page is None:
            return None
        if session.tainted and state in self.url_failed_tainted:
            return None
        with suppress(PlaywrightError):
            obs = await session.goto(record.url)
            session.drain(f"while restoring {state}")
            if self.recorder.shows(obs, state):
                record.url_restorable = True
                return Position(state, obs)
        if session.tainted:
            self.url_failed_tainted.add(state)  # maybe the changed server state: don't try again, don't conclude
        else:
            record.url_restorable = False
        return None

    async def from_anchor(self, state: str) -> Position | None:
        """The nearest screen on the way that history or its URL restores, then the remaining actions in this
        context. None when no anchor could be loaded; else where the actions led."""
        states, recorder = self.recorder.states, self.recorder
        via, path = states[state].via, recorder.path_states(state)
        if len(path) != len(via):
            return None
        by_url = [states[s].url_restorable is not False and not states[s].has_dialog for s in path]
        anchors = [i for i, s in enumerate(path) if by_url[i] or self.shown_at.get(self.entries.get(s, "")) == s]
        if not anchors:
            return None
        anchor = path[anchors[-1]]
        start = await self.by_history(anchor) or (await self.by_url(anchor) if by_url[anchors[-1]] else None)
        if start is None:
            return None
        self.saw(start)
        obs = start.obs
        for key in via[anchors[-1] :]:
            done = await self.session.act_on(obs, key)
            if done is None:
                return recorder.locate(obs)
            outcome, obs = done
            self.stats.replayed += 1
            _, _, requests = self.session.drain(f"while restoring {state}")
            if outcome.error:
                return recorder.locate(obs)
            self.session.changed_by(requests)
        return Position(state, obs) if recorder.shows(obs, state) else recorder.locate(obs)

    async def by_replay(self, state: str) -> Position:
        obs = await self.session.open()
        self.url_failed_tainted.clear()  # those failures were the last user's server state, not this one's
        for key in self.recorder.states[state].via:
            done = await self.session.act_on(obs, key)
            if done is None:
                self.stats.failed(state, key, "replay: element not found")
                return self.recorder.locate(obs)
            outcome, obs = done
            self.stats.replayed += 1
            _, _, requests = self.session.drain(f"while replaying the way to {state}")
            self.session.changed_by(requests)
            if outcome.error:
                self.session.tainted = True
        if not self.recorder.shows(obs, state):
            self.stats.failed(state, "", "replay reached another screen")
            return self.recorder.locate(obs)
        return Position(state, obs)

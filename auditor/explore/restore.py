"""Bringing the page back to a recorded screen, cheapest way first:

1. by the screen's URL, in the current context (checked: the page must show that screen);
2. from an anchor: the URL of the nearest screen on its recorded path that a URL restores, then the few
   actions after it (a dialog, ticked boxes) in this context;
3. by replaying the whole recorded path in a fresh context (fresh cookies, a fresh user) after the spec's setup.

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

    async def restore(self, state: str, here: Position) -> Position:
        """The page at `state`, or wherever the last attempt left it (`.state != state`)."""
        with self.stats.timed("restore"):
            self.stats.restores += 1
            found = await self.by_url(state)
            if found is None:
                found = await self.from_anchor(state)
            if found is None or found.state != state:
                found = await self.by_replay(state)
            return found

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
        """The nearest screen on the way that its URL restores, then the remaining actions in this context.
        None when no anchor could be loaded; else where the actions led."""
        states, recorder = self.recorder.states, self.recorder
        via, path = states[state].via, recorder.path_states(state)
        usable = [states[s].url_restorable is not False and not states[s].has_dialog for s in path]
        anchors = [i for i, ok in enumerate(usable) if ok]
        if not anchors or len(path) != len(via):
            return None
        start = await self.by_url(path[anchors[-1]])
        if start is None:
            return None
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

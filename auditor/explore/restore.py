"""Bringing the page back to a recorded screen, cheapest way first:

1. by going back in the page's history to the entry the screen was last seen at, as a user presses Back: the
   back-forward cache gives the page back as it was left, without a request (checked like every restore);
2. from here: when the screen the page shows is on the recorded path, a step or two before the wanted one
   (a box to tick, a dialog to open), by doing those steps in place, without loading a page;
3. by the screen's URL, in the current context (checked: the page must show that screen);
4. from an anchor: the nearest screen on its recorded path that the page shows already, or that history or a
   URL restores, then the few actions after it (a dialog, ticked boxes) in this context;
5. by replaying the whole recorded path as a fresh user (a new tab, no cookies, no stored data) after the spec's
   setup.

Every restore returns where the page is afterwards, whether or not it reached the screen, so the loop never
has to guess.
"""

from __future__ import annotations

from contextlib import suppress

from playwright.async_api import Error as PlaywrightError

from auditor.explore.observe import Observation
from auditor.explore.recorder import Position, Recorder
from auditor.explore.session import Session
from auditor.explore.stats import Stats

NEAR = 2  # actions: a restore continues from the screen shown when the wanted one is at most this far on


class Restorer:
    """Restores states of one flow; remembers which URLs failed and why (see `by_url`)."""

    def __init__(self, session: Session, recorder: Recorder, stats: Stats) -> None:
        self.session, self.recorder, self.stats = session, recorder, stats
        # states a URL failed to restore since the last fresh start without proving it cannot (see `by_url`)
        self.url_failed_here: set[str] = set()
        self.entries: dict[str, str] = {}  # state -> the history entry it was last seen at
        self.shown_at: dict[str, str | None] = {}  # history entry -> the screen last seen there
        self.at: Position | None = None  # where the page is now (None: unknown, in the middle of a load)
        self.loaded = False  # `at` was loaded by a restore that failed, not reached by actions
        self.walked: list[str] = []  # the screens this context showed since its fresh start, first seen first
        self.docs: dict[str, set[str]] = {}  # since the fresh start: state -> the documents it was shown in
        self.intents: dict[str, set[str]] = {}  # since the fresh start: state -> intents of actions to or from it

    def saw(self, here: Position, loaded: bool = False) -> None:
        """The page shows `here`: remember it, and the history entry it shows it at (see `by_history`)."""
        self.at, self.loaded = here, loaded
        if here.state is not None and here.state not in self.walked:
            self.walked.append(here.state)
        if here.state is not None and here.obs.document_id:
            self.docs.setdefault(here.state, set()).add(here.obs.document_id)
        entry = here.obs.entry
        if entry is None:
            return
        self.shown_at[entry] = here.state
        if here.state is not None:
            self.entries[here.state] = entry

    def took(self, source: str, here: Position, intent: str) -> None:
        """An action of this intent was taken from `source` and the page shows `here` (see `saw`); the intents
        of the actions to and from each screen are kept for fresh.py."""
        self.saw(here)
        for state in (source, here.state):
            if state is not None:
                self.intents.setdefault(state, set()).add(intent)

    async def restore(self, state: str, here: Position) -> Position:
        """The page at `state`, or wherever the last attempt left it (`.state != state`)."""
        with self.stats.timed("restore"):
            self.stats.restores += 1
            self.saw(here)
            found, kind = await self._in_this_context(state)
            if found is None:
                found, kind = await self.by_replay(state), "replay"
            if found.state == state:
                self.stats.restored(kind)
            self.saw(found)
            return found

    async def _in_this_context(self, state: str) -> tuple[Position | None, str]:
        """The first of the ways that keep this context that shows `state`, and its name; None if none did."""
        ways = {"history": self.by_history, "here": self.from_here, "url": self.by_url, "anchor": self.from_anchor}
        for kind, way in ways.items():
            found = await way(state)
            if found is not None and found.state == state:
                return found, kind
            if found is not None:
                self.saw(found)
        return None, ""

    async def by_history(self, state: str) -> Position | None:
        """Back (or forward) to the history entry where the page last showed `state`, when the page still has
        that entry and nothing else was seen there since. None when not tried or it showed another screen."""
        entry = self.entries.get(state)
        if entry is None or self.shown_at.get(entry) != state or self.session.page is None:
            return None
        self.at = None
        obs = await self.session.back_to(entry)
        if obs is None:
            return None
        self.session.drain(f"while going back to {state}")
        if self.recorder.shows(obs, state):
            return Position(state, obs)
        self.saw(self.recorder.locate(obs), loaded=True)  # not what was left there: not for this screen again
        return None

    async def by_url(self, state: str) -> Position | None:
        """Every URL restore is checked (the screen must look the same), so it is tried in a context that
        changed server state too; only a failure in an unchanged context, of a URL that never showed the screen,
        proves the URL cannot restore it. Nor
        does a page that comes with a veil the screen did not have (a cookie banner): a fresh start forgot the
        user's answer to it, and once a replay has given it again the URL may do. None when it was not tried
        or did not show the screen."""
        record, session = self.recorder.states[state], self.session
        if record.has_dialog or record.url_restorable is False or session.page is None:
            return None
        if state in self.url_failed_here:
            return None
        self.at = None
        veiled = False
        with suppress(PlaywrightError):
            obs = await session.goto(record.url)
            session.drain(f"while restoring {state}")
            if self.recorder.shows(obs, state):
                record.url_restorable = True
                return Position(state, obs)
            self.saw(self.recorder.locate(obs), loaded=True)  # maybe a screen on the way: an anchor needs no load
            veiled = obs.veil is not None and self.recorder.graph.screen(state).veil is None
        if session.tainted or veiled or record.url_restorable:
            # maybe the changed server state or the veil, or this user's stored data (the URL showed the screen
            # before: a basket kept in session storage, empty for the user now): not again here, no conclusion
            self.url_failed_here.add(state)
        else:
            record.url_restorable = False
        return None

    async def from_here(self, state: str) -> Position | None:
        """The remaining actions, in place, when the page shows a screen at most NEAR actions before `state`
        on its recorded path. None when it does not; else where the actions led."""
        path, here = self.recorder.path_states(state), self.at
        if here is None or here.state not in path or len(path) != len(self.recorder.states[state].via):
            return None
        start = path.index(here.state)
        if len(path) - start > NEAR:
            return None
        return await self._continue(state, here, start)

    async def from_anchor(self, state: str) -> Position | None:
        """The nearest screen on the way that the page shows, or that history or its URL restores, then the
        remaining actions in this context. None when no anchor could be had; else where the actions led."""
        states, recorder = self.recorder.states, self.recorder
        via, path = states[state].via, recorder.path_states(state)
        if len(path) != len(via):
            return None
        by_url = [states[s].url_restorable is not False and not states[s].has_dialog for s in path]
        anchors = [i for i, s in enumerate(path) if by_url[i] or self.shown_at.get(self.entries.get(s, "")) == s]
        here = self.at if self.loaded else None  # a screen reached by actions may differ unseen (a failed `here`)
        shown = path.index(here.state) if here is not None and here.state in path else -1
        if here is not None and shown >= 0 and (not anchors or shown >= anchors[-1]):
            return await self._continue(state, here, shown)
        if not anchors:
            return None
        anchor = path[anchors[-1]]
        start = await self.by_history(anchor) or (await self.by_url(anchor) if by_url[anchors[-1]] else None)
        if start is None:
            return None
        return await self._continue(state, start, anchors[-1])

    async def _continue(self, state: str, start: Position, index: int) -> Position:
        """From `start`, the screen at `index` on the recorded path to `state`, the actions after it in place."""
        recorder = self.recorder
        self.saw(start)
        obs = start.obs
        for key in recorder.states[state].via[index:]:
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

    async def fresh_start(self) -> Observation:
        """A new user at the start: what this context learnt about its user no longer holds."""
        obs = await self.session.open()
        self.url_failed_here.clear()  # those failures were the last user's state, not this one's
        self.walked.clear()
        self.docs.clear()
        self.intents.clear()
        return obs

    async def by_replay(self, state: str) -> Position:
        obs = await self.fresh_start()
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

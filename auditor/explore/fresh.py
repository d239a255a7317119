"""The fresh-user proof: a goal is reported only on a way that a new user can walk.

A context remembers what its user did: stored data (localStorage, cookies), the server's session. When the
goal shows after an action taken in a context that first showed screens off the recorded way to it (a
sign-up's "Yes, add the plan", then Back, then the account link), the goal may be owed to those earlier
steps: the account page reads "You're on the plan" only because of them. Such a goal, when it would be the
shallowest found, is walked again from a fresh start along its recorded way. If the new user gets the goal
too, it stands. If not, the screen the new user sees is what the action leads to, and the action is tried
again, each from a fresh start, after the earlier screens it may depend on (the nearest first): the first
that reaches the goal is recorded as the way (the earlier screen, then the action), and the journal says
which step it depended on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from auditor.explore.events import Journal
from auditor.explore.observe import Observation
from auditor.explore.recorder import Position, Recorder
from auditor.explore.restore import Restorer
from auditor.explore.session import Session

MAX_EARLIER = 3  # earlier screens an action's goal is tried after, each from a fresh start (a replay each)
LOOKING_AROUND = frozenset({"neutral", "path"})  # intents of actions that only look: a help page, the profile

Shoot = Callable[[Observation, bool, tuple[str, ...]], Awaitable[None]]


@dataclass
class Walked:
    """Where a new user's walk of recorded actions ended: the last look, whether it meets the goal, and
    whether every action was there to take."""

    obs: Observation
    goal: bool
    whole: bool = True


@dataclass
class Proven:
    """An action's result as a new user gets it: the look and whether it meets the goal; `earlier`: the screens
    the goal seen first may have been owed to (the action is to be tried after them); `lost`: where a new
    user's walk stopped when a control of the way was missing (nothing proven; the page is there now)."""

    obs: Observation
    goal: bool
    earlier: tuple[str, ...] = ()
    lost: Observation | None = None


class FreshProof:
    """Proves goals of one flow with a new user's walk; see the module docstring."""

    def __init__(self, session: Session, restorer: Restorer, recorder: Recorder, journal: Journal):
        self.session, self.restorer, self.recorder, self.journal = session, restorer, recorder, journal
        self.stats = recorder.stats

    def earlier(self, source: str, depth: int, pristine: bool = False, document: str | None = None) -> list[str]:
        """The screens this context showed since its fresh start that are off the recorded way to `source`,
        nearest first, when a goal `depth` actions deep from `source` would be the shallowest yet; else none
        (nothing to prove: the context did only what the way does, or a shallower goal is known, or the
        screens off the way were only looked at: see `only_looked`). `pristine`: the user had stored and sent
        nothing before the action (userdata.py); `document`: the one `source` was shown in."""
        best = self.recorder.best_goal
        if best is not None and depth >= best:
            return []
        on_the_way = {*self.recorder.path_states(source), source}
        off = [s for s in reversed(self.restorer.walked) if s not in on_the_way]
        if off and pristine and self.only_looked(off, on_the_way, document):
            return []
        return off

    def only_looked(self, off: list[str], on_the_way: set[str], document: str | None) -> bool:
        """Whether the screens off the way can have left nothing a new user lacks, for a user who stored and
        sent nothing: each was reached and left by actions that only look around (no word of the flow: a
        footer's help page, the profile, not a "Start my trial" link that may act on the server by a GET),
        and shown only in documents that no screen of the way was shown in (what a page's script keeps in
        memory, a single-page app's state, goes when its document goes)."""
        restorer = self.restorer
        on_docs = {d for s in on_the_way for d in restorer.docs.get(s, ())} | ({document} if document else set())
        for state in off:
            docs, intents = restorer.docs.get(state, set()), restorer.intents.get(state, set())
            if not docs or docs & on_docs or not intents or not intents <= LOOKING_AROUND:
                return False
        return True

    async def prove(
        self, source: str, via: tuple[str, ...], obs: Observation, goal: bool, before: tuple[bool, str | None]
    ) -> Proven:
        """The action at the end of `via` (taken from `source`, showing `obs`), proven when needed: see the
        module docstring. Costs a fresh start and a replay of `via` only for a new shallowest goal reached in a
        context that showed screens off its way and did more there than look. `before`: whether the user was
        pristine before the action, and the document `source` was shown in."""
        earlier = self.earlier(source, len(via), *before) if goal else []
        if not earlier:
            return Proven(obs, goal)
        walked = await self.walk(via)
        if not walked.whole:
            self.journal.note(f"a new user could not walk the way to the goal seen after {source}: not proven")
            return Proven(obs, goal, lost=walked.obs)
        return Proven(walked.obs, walked.goal, () if walked.goal else tuple(earlier))

    async def follow_up(self, proven: Proven, key: str, label: str, shoot: Shoot) -> Position | None:
        """After the action's edge is recorded: where the page is when a proof moved it (None: where the
        action left it), having tried the action after the earlier screens its goal was owed to."""
        if proven.lost is not None:
            return self.recorder.locate(proven.lost)
        if proven.earlier:
            return await self.after_earlier(key, label, list(proven.earlier), shoot)
        return None

    async def walk(self, via: tuple[str, ...]) -> Walked:
        """The actions `via` from a fresh start, as a new user does them (`whole` False: a control was not
        there, and the walk stopped where it was missing)."""
        session, journal = self.session, self.journal
        obs = await self.restorer.fresh_start()
        requests: list[tuple[str, str]] = []
        said: list[str] = []
        for key in via:
            dialogs_before = len(journal.dialogs)
            done = await session.act_on(obs, key)
            if done is None:
                return Walked(obs, False, whole=False)
            outcome, obs = done
            self.stats.replayed += 1
            charges, _, requests = session.drain("while walking the way as a new user")
            self.recorder.last_charges = charges
            session.changed_by(requests)
            session.tainted = session.tainted or bool(outcome.error)
            said = [d["message"] for d in journal.dialogs[dialogs_before:] if d.get("message")]
        return Walked(obs, self.recorder.is_goal(obs, requests, said=said))

    async def after_earlier(self, key: str, label: str, earlier: list[str], shoot: Shoot) -> Position | None:
        """The action `key` tried after each earlier screen that shows it (nearest first, at most MAX_EARLIER),
        each from a fresh start; the first that reaches the goal becomes a recorded way (that screen, then the
        action). Where the page is afterwards; None when no earlier screen offered the action."""
        recorder, graph = self.recorder, self.recorder.graph
        tried: list[str] = []
        here: Position | None = None
        for state in earlier:
            screen = graph.screen(state)
            element = next((e for e in screen.elements if e.key == key and e.visible and e.enabled), None)
            if element is None or any(k == key for _, _, k in graph.g.out_edges(state, keys=True)):
                continue
            tried.append(state)
            via = recorder.states[state].via + (key,)
            walked = await self.walk(via)
            here = recorder.locate(walked.obs)
            if walked.goal:
                await shoot(walked.obs, True, via)
                funnel = recorder.states[state].funnel
                target = recorder.register(walked.obs, via, True, parent=state, funnel=funnel)
                graph.add_action(state, target, recorder.action(element, screen.url))
                self.journal.note(
                    f"{label!r} reached the goal only after an earlier step: a new user gets it from {state} "
                    f"({screen.heading or screen.url}), the way recorded"
                )
                return Position(target, walked.obs)
            if len(tried) >= MAX_EARLIER:
                break
        if tried:
            self.journal.note(f"{label!r} showed the goal only after earlier steps that a new user could not repeat")
        return here

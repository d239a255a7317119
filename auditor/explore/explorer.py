"""The exploration loop: best-first toward the goal, then bounded exhaustive exploration.

Each step takes the best frontier item (frontier.py), brings the page to its screen if needed (restore.py),
performs it through the browser session (session.py), and records the screen it led to and the action as an
edge (recorder.py). A plain link whose destination is already known is recorded without being clicked again.

It stops when the goal is reached and no cheaper path is plausible, when the frontier is empty (the
verdict "goal not reachable" is then backed by every state within `max_depth`), when a cancellation's funnel
says to cancel by another channel (`other_channel`), or when `max_states`, `max_actions` or the flow timeout
run out. A purchase goes on past its charge on the ways to charges only; its re-auth window probe runs last
(window.py). A submit the page refused is followed up where the error shows (refusal.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Playwright
from playwright.async_api import Error as PlaywrightError

from auditor.artifacts import ReauthWindow
from auditor.classify import Vocabulary
from auditor.errors import AuditIncomplete, first_line
from auditor.explore import walls
from auditor.explore.act import Outcome
from auditor.explore.bound import ChromeBudget, search_bound, search_cut_short
from auditor.explore.events import Journal
from auditor.explore.fresh import FreshProof
from auditor.explore.frontier import Frontier, Item, Scorer, counts_only, same_control
from auditor.explore.needless import needless_click, on_the_way_to_goals
from auditor.explore.observe import Observation, control_of, declined, new_text
from auditor.explore.recorder import Position, Recorder
from auditor.explore.refusal import Refusals
from auditor.explore.restore import Restorer
from auditor.explore.session import Session
from auditor.explore.states import StateRecord, menu_keys
from auditor.explore.stats import Stats
from auditor.explore.trace import Tracer
from auditor.explore.window import probe_reauth_window
from auditor.files import ensure_dir
from auditor.graph import FlowGraph, page_of
from auditor.redaction import Redactor
from auditor.spec import PURCHASE_KINDS, FlowSpec

HARD_STOP_GRACE = 10.0  # seconds, past the flow timeout and the longest a step may wait, before it is abandoned
BUDGETS = {"max_states": "max_states", "max_actions": "max_actions"}  # stop reason -> the spec option


class Explorer:
    """Walks one flow; `run()` returns its FlowGraph (always, even when the site fails part-way)."""

    def __init__(
        self,
        playwright: Playwright,
        browser: Browser,
        spec: FlowSpec,
        vocab: Vocabulary,
        out_dir: Path,
        evidence_dir: Path,
        progress: Callable[[dict[str, Any]], None] | None = None,
    ):
        self.spec, self.vocab, self.out_dir, self.evidence_dir = spec, vocab, out_dir, evidence_dir
        self.progress = progress or (lambda info: None)
        self.stats, self.journal = Stats(), Journal()  # the journal outlives contexts: dialogs, notes, ...
        self.scorer = Scorer(spec, vocab)
        self.frontier = Frontier(self.scorer.direction)
        self.session = Session(playwright, browser, spec, self.scorer.scope, self.journal, self.stats)
        self.session.tracer = Tracer(spec.trace, _evidence_folder(evidence_dir, out_dir), Redactor.for_spec(spec))
        if self.scorer.direction == "leave":  # a chat is told the user's request, in the page's language
            self.session.say = partial(vocab.say, "chat_request")
        self.recorder = Recorder(spec, self.stats, self._plan, self.session.user)
        self.restorer = Restorer(self.session, self.recorder, self.stats)
        self.proof, self.tried_keys = FreshProof(self.session, self.restorer, self.recorder, self.journal), set[str]()
        self.refusals = Refusals(vocab, self.journal)  # screens showing a refused submit's error: what to do there
        self.elsewhere: str | None = None  # the screen that told the user to cancel by another channel
        self.purchase = spec.kind in PURCHASE_KINDS  # charges are goals, but the flow goes on after them
        self.window: ReauthWindow | None = None
        self.chrome = ChromeBudget()

    @property
    def graph(self) -> FlowGraph:
        return self.recorder.graph

    # ---------------------------------------------------------------- the run
    async def run(self) -> FlowGraph:
        started = time.monotonic()
        status, error, stop = "complete", None, "frontier_exhausted"
        timeouts, stuck = self.spec.explore.timeouts, False
        try:
            async with asyncio.timeout(hard_stop(self.spec)) as timer:
                stop = await self._explore(started + timeouts.flow)
            if self.purchase and stop not in ("timeout", "error"):
                async with asyncio.timeout(hard_stop(self.spec)) as timer:
                    with self.stats.timed("window probe"):
                        self.window = await probe_reauth_window(_Probe(self))
        except TimeoutError:
            if not timer.expired():
                raise
            stop, stuck = "timeout", True  # one step outlived the flow timeout by far: the page stopped responding
            self.journal.note(f"a step never returned after the flow timeout ({timeouts.flow:g}s) and was abandoned")
        except AuditIncomplete as exc:
            status, error, stop = "incomplete", str(exc), "error"
        except PlaywrightError as exc:
            status, error, stop = "incomplete", f"browser error: {first_line(exc)}", "error"
        finally:
            await self.session.close()
            if self.session.tracer.problem:
                self.journal.note(self.session.tracer.problem)
        if status == "complete" and (error := cut_short(self.spec, self.journal, stop, stuck, self.graph.goal_reached)):
            status = "incomplete"
        self.graph.exploration = self._exploration_record(status, error, stop, time.monotonic() - started)
        return self.graph

    def _exploration_record(self, status: str, error: str | None, stop: str, seconds: float) -> dict[str, Any]:
        explore, stats = self.spec.explore, self.stats
        return {
            "status": status,
            "error": error,
            "stop_reason": stop,
            "other_channel_screen": self.elsewhere,  # the screen whose answer said to cancel by another channel
            "strategy": "exhaustive" if explore.exhaustive else "best-first",
            "states": len(self.recorder.states),
            "actions": stats.actions,
            "replayed_actions": stats.replayed,
            "inferred_actions": stats.inferred,
            "virtual_seconds": round(stats.virtual_ms / 1000, 2),
            "restores": stats.restores,
            "restored_by": dict(sorted(stats.restored_by.items())),
            "unrestorable_states": stats.unrestorable,
            "unexplored": self.frontier.remaining() + stats.abandoned,
            "abandoned": stats.abandoned,
            "failed_actions": stats.failed_actions[:50],
            "skipped": dict(sorted(self.scorer.skipped.items())),
            "held_back": self.scorer.side_effects.held_back(),  # forms acting outside the flow, never submitted
            "phase_seconds": {k: round(v, 2) for k, v in sorted(stats.seconds.items())},
            "reauth_window": self.window.to_dict() if self.window else None,
            "third_party_blocked": dict(sorted(self.session.third_party.items())),
            "contexts": stats.contexts,
            "traces": [p.relative_to(self.out_dir).as_posix() for p in self.session.tracer.files],
            "requests": {"network": self.session.sent},
            **self.journal.record(),
            "seconds": round(seconds, 2),
            "budget": {key: getattr(explore, key) for key in ("max_states", "max_depth", "max_actions")},
            "bound": search_bound(self.spec, self.recorder, self.frontier, self.chrome, stop),
        }

    async def _explore(self, deadline: float) -> str:
        obs = await self.session.open(check_status=True)
        goal = self.recorder.is_goal(obs, [])
        await self._shoot_if_new(obs, goal, ())
        here = Position(self.recorder.register(obs, (), goal, parent=None, funnel=False), obs)
        await walls.check_start(self.spec, self.vocab, obs, self.session.start_status, self.session.page)
        self.restorer.saw(here)
        explore = self.spec.explore
        while True:
            if time.monotonic() > deadline:
                return "timeout"
            if self.stats.actions >= explore.max_actions:
                return "max_actions"
            shorter_than = None if explore.exhaustive or self.purchase else self.recorder.best_goal
            toward = pages_toward_goal(self.graph) if shorter_than is not None else frozenset()
            charged = self.purchase and not explore.exhaustive and self.graph.goal_reached
            item = self.frontier.next(
                here.state, shorter_than, on_the_way_to_goals(self.graph) if charged else None, toward
            )
            if item is None:
                return "goal_reached" if self.graph.goal_reached else "frontier_exhausted"
            if self.recorder.infer(item.state, item.key, loose=item.intent == "neutral"):
                continue
            needless = needless_click(self.graph, item, charged)
            if needless:
                self.scorer.skipped[needless] += 1
                continue
            if self.chrome.counted(len(self.recorder.states)) >= explore.max_states:
                self.frontier.add([item])  # one more screen was worth a look: the search is cut short here
                return "max_states"
            if item.state != here.state:
                here = await self.restorer.restore(item.state, here)
                if here.state != item.state:  # cannot be brought back
                    self.stats.abandoned += self.frontier.drop(item.state) + 1
                    self.stats.unrestorable += 1
                    continue
            known = len(self.recorder.states)
            here = await self._take(item, here)
            self.restorer.took(item.state, here, item.intent)
            self.chrome.took(item, new_screen=len(self.recorder.states) > known)
            if self.elsewhere:
                return "other_channel"

    def _plan(self, record: StateRecord, obs: Observation, parent: str | None) -> None:
        """A state seen for the first time: its controls join the frontier (unless it is a goal, or too deep)."""
        depth = len(record.via)
        if obs.unsettled:
            cap = self.spec.explore.timeouts.settle
            self.journal.note(f"screen {record.id} ({obs.url}) never settled within {cap:g}s: {obs.unsettled}")
        if (not record.goal or self.purchase) and depth < self.spec.explore.max_depth:
            seen_before, came_by = usable_controls(self.graph, parent), (record.via[-1] if record.via else None)
            menu = menu_keys(obs, came_by) if came_by and not obs.dialog else []
            items = self.scorer.items(
                record.id, obs, depth, seen_before, self.tried_keys, record.funnel,
                answered=record.answer is not None,
                came_by=came_by,
                came_from=place_of(self.graph, parent, came_by),
                only=set(menu) if menu else None,
                lang=self.graph.screen(record.id).lang,
                counted=self.purchase and parent is not None and counts_only(self.graph.screen(parent), obs),
            )
            self.frontier.add(items)
        self.progress(
            {"flow": self.spec.name, "states": len(self.recorder.states), "depth": depth, "actions": self.stats.actions}
        )

    async def _shoot_if_new(
        self, obs: Observation, goal: bool, via: tuple[str, ...], answer: str | None = None, funnel: bool = False
    ) -> None:
        """Screenshot a screen once, on its first visit; the path goes on `obs`."""
        if not self.recorder.is_new(obs, goal, via, answer, funnel):
            return
        path = self.evidence_dir / f"s{len(self.recorder.states)}.png"
        if await self.session.screenshot(path, obs):
            obs.screenshot = str(path.relative_to(self.out_dir))

    # ---------------------------------------------------------------- acting
    async def _take(self, item: Item, here: Position) -> Position:
        """Perform one frontier item on the screen the page shows; where the page is afterwards."""
        assert here.state is not None
        source, before, recorder, session = here.state, here.obs, self.recorder, self.session
        element = before.find(item.key)
        if element is None:
            self.stats.failed(source, item.key, "element not found")
            return here
        session.drain(f"while {source} was shown")
        dialogs_before = len(self.journal.dialogs)
        declines = control_of(item.key)[1]
        clean = session.user.pristine  # before the action: what a new user holds (userdata.py)
        outcome, obs = await session.act(before, element, decline=declines)
        self.stats.actions += 1
        self.tried_keys.add(item.key)
        charges, blocked, requests = session.drain(f"after {element.label!r} on {source}")
        dialogs = self.journal.dialogs[dialogs_before:]
        recorder.last_charges = charges
        if outcome.error:
            self.stats.failed(source, item.key, outcome.error)
        session.changed_by(requests)
        goal = recorder.is_goal(obs, requests, said=[d["message"] for d in dialogs if d.get("message")])
        await session.check_signed_in(self.vocab, obs, element.label, goal)
        answer = element.label if item.gates and not outcome.error else None
        via = recorder.states[source].via + (item.key,)
        proven = await self.proof.prove(source, via, obs, goal, (clean, before.document_id))  # fresh.py
        obs, goal = proven.obs, proven.goal
        funnel = recorder.states[source].funnel or self.scorer.enters_funnel(element.label)
        await self._shoot_if_new(obs, goal, via, answer, funnel)
        target = recorder.register(obs, via, goal, parent=source, funnel=funnel, answer=answer)
        if not goal:
            alerts = [d["message"] for d in dialogs if d["type"] == "alert" and d.get("message")]
            funnel = recorder.states[source].funnel
            for state, keys in self.refusals.follow(item.key, element, (source, before), (target, obs), alerts, funnel):
                self.frontier.insist(state, keys)
            self._sends_elsewhere(target, (before, obs), [d["message"] for d in dialogs if d.get("message")])
        if target in self.graph.goals and not self.purchase:
            session.tainted = True  # a cancellation went through server-side (a purchase's charge was intercepted)
        if outcome.error and target == source:
            return Position(target, obs)
        if not outcome.error and not blocked and not proven.earlier:  # a link to a user's state is no shortcut
            recorder.remember_link(element, before.url, source, target, clean and obs.document_id != before.document_id)
        if not declines and any(d["type"] == "confirm" and d["answer"] == "ok" for d in dialogs):
            # a confirm() is a choice: its other answer is explored too, even once the goal is found
            self.frontier.add([replace(item, key=declined(item.key), intent="keep", must=True)])
        action = recorder.action(
            element,
            before.url,
            declined=declines,
            inputs=tuple(outcome.inputs),
            charges=tuple(charges),
            blocked=tuple(blocked),
            dialogs=tuple(dialogs),
            interim=tuple(obs.interim),
            glimpses=tuple(obs.glimpses),
            requests=tuple(f"{m} {u}" for m, u in requests if m != "GET"),
            refused=not goal and self.refusals.refused,  # (followed just now when not a goal)
        )
        self.graph.add_action(source, target, action)
        return await self.proof.follow_up(proven, item.key, element.label, self._shoot_if_new) or Position(target, obs)

    def _sends_elsewhere(self, target: str, looks: tuple[Observation, Observation], messages: list[str]) -> None:
        """Inside a cancellation's funnel, an answer that sends the user to another channel ("please call us or
        visit a store": a chat bot's reply, a page, an alert) is the flow's verdict: there is no online way on,
        and the site said so: exploration ends (`other_channel`), unless exhaustive. But a chat is online: while
        the screen offers one unopened ("Chat with us, or call"), it is opened first and its answer decides."""
        record, explore = self.recorder.states[target], self.spec.explore
        if self.scorer.direction != "leave" or not record.funnel or explore.exhaustive:
            return
        said = self.vocab.find("phone", " ".join([new_text(*looks), *messages]))  # what the action made it say
        launchers = unopened_chat(looks[1], self.vocab, self.tried_keys) if said else frozenset()
        if launchers and self.frontier.insist(target, launchers):
            self.journal.note(f'screen {target} says "{said}" but offers a chat: the chat is opened before any verdict')
        elif said:
            self.elsewhere = target


def unopened_chat(obs: Observation, vocab: Vocabulary, tried: set[str]) -> frozenset[str]:
    """The keys of a screen's chat launchers not tried yet (buttons worded by the packs' `chat` phrases), when
    no chat is open on it (no message log shown): where a user would ask to cancel online before calling."""
    if obs.chat:
        return frozenset()
    return frozenset(
        e.key for e in obs.elements if e.kind == "click" and e.key not in tried and vocab.matches("chat", e.label)
    )


def cut_short(spec: FlowSpec, journal: Journal, stop: str, stuck: bool, goal_reached: bool) -> str | None:
    """Why an exploration that ended by itself still proves nothing about the flow, or None: the goal not
    found when the search stopped at the flow timeout or a budget ("not found" is no verdict when we stopped
    looking), a lost session or a replaced tab on the way (what followed was not the flow), or, with the goal
    found, a search for a shorter way that a budget or the timeout stopped (bound.search_cut_short)."""
    if stop == "timeout" and not goal_reached:
        stopped = ": a step never returned (the page stopped responding)" if stuck else ""
        return f"flow timeout ({spec.explore.timeouts.flow:g}s) before the goal was found{stopped}"
    if stop in BUDGETS and not goal_reached:
        limit = BUDGETS[stop]
        return (
            f"exploration stopped at {stop} ({getattr(spec.explore, limit)}) before the goal was found; "
            f"raise explore.{limit} to look further"
        )
    return journal.cut_short() or (search_cut_short(stop, spec) if goal_reached else None)


def hard_stop(spec: FlowSpec) -> float:
    """Seconds after which the flow is stopped even inside a step: the flow timeout is checked between
    steps, and a page whose script never yields (or a browser that stops answering) would hold a step,
    and the whole run, forever. The margin is the longest a healthy step may wait: a load, a few
    settles and an action."""
    t = spec.explore.timeouts
    return t.flow + t.navigation + 3 * t.settle + t.action + HARD_STOP_GRACE


def pages_toward_goal(graph: FlowGraph) -> frozenset[str]:
    """The pages the cheapest way to the goal passes after the start: a link to one of them from a screen
    nearer the start may be a shortcut (see Frontier.next)."""
    return frozenset(page_of(graph.screen(v).url) for _, v, _ in graph.cheapest_path()) - {""}


def usable_controls(graph: FlowGraph, state: str | None) -> set[tuple[str, ...]]:
    """The usable controls of a screen, as `same_control` tells them apart (none for no screen)."""
    if state is None:
        return set()
    return {same_control(e) for e in graph.screen(state).elements if e.usable}


def place_of(graph: FlowGraph, state: str | None, key: str | None) -> tuple[float, ...] | None:
    """Where the control with `key` stood on a screen (its box), None when unknown."""
    if state is None or key is None:
        return None
    return next((e.bbox for e in graph.screen(state).elements if e.key == key), None)


class _Probe:
    """The explorer as the re-auth window probe sees it (window.ProbeDriver): nothing more."""

    def __init__(self, explorer: Explorer) -> None:
        self.graph, self.vocab = explorer.graph, explorer.vocab
        self._session, self._stats = explorer.session, explorer.stats
        self.record_repeat = explorer.recorder.record_repeat

    async def start_with_clock(self) -> Observation:
        return await self._session.open()

    async def step(self, obs: Observation, key: str) -> Observation | None:
        """Perform the action with this key on the current page; None when it is not there or fails."""
        done = await self._session.act_on(obs, key)
        if done is None:
            self._stats.failed(None, key, "probe: element not found")
            return None
        self._stats.replayed += 1
        outcome, after = done
        return None if outcome.error else after

    async def act(self, obs: Observation, key: str) -> tuple[Outcome, Observation]:
        return await self._session.act_on(obs, key) or (Outcome(error="element not found"), obs)

    def guard_log(self) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
        charges, _, requests = self._session.drain("during the re-auth window probe")
        return charges, requests

    async def fast_forward(self, minutes: float) -> None:
        """Move the page clock (timers.install) forward instead of waiting."""
        assert self._session.page is not None
        await self._session.page.clock.fast_forward(round(minutes * 60_000))


def _evidence_folder(evidence_dir: Path, out_dir: Path) -> Path:
    """The flow's folder (returned) and its screens/ as real folders under --out: a link planted there in a
    reused --out is replaced, so no screenshot or trace is written through it (files.ensure_dir). A folder that
    cannot be made is left to the writes: a trace notes it, a screenshot fails as it would have."""
    if evidence_dir.is_relative_to(out_dir):
        with contextlib.suppress(OSError):
            ensure_dir(evidence_dir, out_dir)
    return evidence_dir.parent

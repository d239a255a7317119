"""The exploration loop: best-first toward the goal, then bounded exhaustive exploration.

Each step takes the best frontier item (frontier.py), brings the page to its screen if needed, performs it,
and records the screen it led to (states.py) and the action as an edge of the FlowGraph. Getting back to a
screen: by its URL in the same context when nothing has changed server-side, else by replaying its
recorded path in a fresh context (fresh cookies, a fresh user) after the spec's setup steps. A plain link
whose destination is already known is recorded without being clicked again.

It stops when the goal is reached and no cheaper path is plausible, when the frontier is empty (the
verdict "goal not reachable" is then backed by every state within `max_depth`), or when `max_states`,
`max_actions` or the flow timeout run out.
"""

from __future__ import annotations

import asyncio
import fnmatch
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page, Playwright
from playwright.async_api import Error as PlaywrightError

from auditor.browser import GuardLog, new_context, request_matches
from auditor.classify import Vocabulary
from auditor.errors import AuditIncomplete
from auditor.explore.act import Outcome, click_again, perform
from auditor.explore.events import ContextWatch, Journal
from auditor.explore.fingerprint import normalise, path_template
from auditor.explore.frontier import Frontier, Item, Scorer, same_control
from auditor.explore.loading import goto, load_start
from auditor.explore.observe import Observation, RequestTracker, changes_late, observe
from auditor.explore.setup import run_setup
from auditor.explore.states import Look, StateIndex
from auditor.explore.window import probe_reauth_window
from auditor.graph import Action, FlowGraph, Screen
from auditor.spec import PURCHASE_KINDS, FlowSpec

LATE_CHANGE_MS = 600  # after a click that changed nothing, how long to watch for a delayed effect
PROBE_ONLY = ("index", "frame_no")  # runtime handles, not evidence
MAX_SHOT_HEIGHT = 10_000  # CSS px: a taller page is screenshotted from the top only (a 20 MB page is ~4M px)
HARD_STOP_GRACE = 10.0  # seconds, past the flow timeout and the longest a step may wait, before it is abandoned
PAGE_HEIGHT_JS = "() => Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)"


@dataclass
class Stats:
    actions: int = 0
    replayed: int = 0
    restores: int = 0
    inferred: int = 0
    unrestorable: int = 0
    abandoned: int = 0  # frontier items given up because their screen could not be restored
    failed_actions: list[dict[str, Any]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.monotonic() - started

    def failed(self, state: str | None, key: str, error: str) -> None:
        self.failed_actions.append({"state": state, "key": key, "error": error})


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
        self.playwright, self.browser, self.spec, self.vocab = playwright, browser, spec, vocab
        self.out_dir, self.evidence_dir = out_dir, evidence_dir
        self.progress = progress or (lambda info: None)
        self.avoid_selectors = [a[4:] for a in spec.explore.avoid if a.startswith("css=")]
        self.graph = FlowGraph(
            {
                "name": spec.name,
                "kind": spec.kind,
                "start": spec.start,
                "spec": spec.source.file,
                "line": spec.source.line,
                "compare_with": spec.compare_with,
                "profile": spec.profile,
            }
        )
        self.states = StateIndex()
        self.scorer = Scorer(spec, vocab)
        self.frontier = Frontier(self.scorer.direction)
        self.stats = Stats()
        self.tried_keys: set[str] = set()
        self.link_targets: dict[str, str] = {}  # normalised href -> the state following it led to
        self.order = 0  # discovery order of actions, for deterministic tie-breaks
        self.best_goal: int | None = None  # depth of the shallowest goal found
        self.context: BrowserContext | None = None
        self.watch: ContextWatch | None = None
        self.journal = Journal()  # dialogs, downloads, blocked navigations, notes: across contexts
        self.page: Page | None = None
        self.tracker: RequestTracker | None = None
        self.guard: GuardLog | None = None
        self.third_party: Counter[str] = Counter()  # hosts outside allow_domains whose requests were refused
        self.tainted = False  # a state-changing request happened in this context
        self.url_failed_tainted: set[str] = set()  # states a URL failed to restore in a changed context
        self.current: str | None = None  # the screen the page shows (None: unknown)
        self.obs: Observation | None = None
        self.last_charges: list[dict[str, Any]] = []
        self.purchase = spec.kind in PURCHASE_KINDS  # charges are goals, but the flow goes on after them
        self.window: dict[str, Any] | None = None

    # ---------------------------------------------------------------- the run
    async def run(self) -> FlowGraph:
        started = time.monotonic()
        status, error, stop = "complete", None, "frontier_exhausted"
        timeouts, stuck = self.spec.explore.timeouts, False
        try:
            async with asyncio.timeout(self._hard_stop()) as timer:
                stop = await self._explore(started + timeouts.flow)
            if self.purchase and stop not in ("timeout", "error"):
                async with asyncio.timeout(self._hard_stop()) as timer:
                    with self.stats.timed("window probe"):
                        self.window = await probe_reauth_window(self)
        except TimeoutError:
            if not timer.expired():
                raise
            stop, stuck = "timeout", True  # one step outlived the flow timeout by far: the page stopped responding
            self.journal.note(f"a step never returned after the flow timeout ({timeouts.flow:g}s) and was abandoned")
        except AuditIncomplete as exc:
            status, error, stop = "incomplete", str(exc), "error"
        except PlaywrightError as exc:
            status, error, stop = "incomplete", f"browser error: {_first_line(exc)}", "error"
        finally:
            await self._close()
        if stop == "timeout" and not self.graph.goal_reached:
            status = "incomplete"
            error = f"flow timeout ({timeouts.flow:g}s) before the goal was found" + (
                ": a step never returned (the page stopped responding)" if stuck else ""
            )
        elif stop in BUDGETS and not self.graph.goal_reached:  # "not found" is no verdict when we stopped looking
            status = "incomplete"
            limit = BUDGETS[stop]
            error = (
                f"exploration stopped at {stop} ({getattr(self.spec.explore, limit)}) before the goal was found; "
                f"raise explore.{limit} to look further"
            )
        self.graph.exploration = self._exploration_record(status, error, stop, time.monotonic() - started)
        return self.graph

    def _hard_stop(self) -> float:
        """Seconds after which the flow is stopped even inside a step: the flow timeout is checked between
        steps, and a page whose script never yields (or a browser that stops answering) would hold a step,
        and the whole run, forever. The margin is the longest a healthy step may wait: a load, a few
        settles and an action."""
        t = self.spec.explore.timeouts
        return t.flow + t.navigation + 3 * t.settle + t.action + HARD_STOP_GRACE

    def _exploration_record(self, status: str, error: str | None, stop: str, seconds: float) -> dict[str, Any]:
        explore = self.spec.explore
        return {
            "status": status,
            "error": error,
            "stop_reason": stop,
            "strategy": "exhaustive" if explore.exhaustive else "best-first",
            "states": len(self.states),
            "actions": self.stats.actions,
            "replayed_actions": self.stats.replayed,
            "inferred_actions": self.stats.inferred,
            "restores": self.stats.restores,
            "unrestorable_states": self.stats.unrestorable,
            "unexplored": self.frontier.remaining() + self.stats.abandoned,
            "abandoned": self.stats.abandoned,
            "failed_actions": self.stats.failed_actions[:50],
            "skipped": dict(sorted(self.scorer.skipped.items())),
            "phase_seconds": {k: round(v, 2) for k, v in sorted(self.stats.seconds.items())},
            "reauth_window": self.window,
            "third_party_blocked": dict(sorted(self.third_party.items())),
            **self.journal.record(),
            "seconds": round(seconds, 2),
            "budget": {
                "max_states": explore.max_states,
                "max_depth": explore.max_depth,
                "max_actions": explore.max_actions,
            },
        }

    async def _explore(self, deadline: float) -> str:
        self.obs = await self.fresh_start()
        goal = self._is_goal(self.obs, [])
        self.current = self._register(self.obs, Look.of(self.obs), (), goal, parent=None, funnel=False)
        while True:
            if time.monotonic() > deadline:
                return "timeout"
            if self.stats.actions >= self.spec.explore.max_actions:
                return "max_actions"
            shorter_than = None if self.spec.explore.exhaustive or self.purchase else self.best_goal
            item = self.frontier.next(self.current, shorter_than)
            if item is None:
                return "goal_reached" if self.graph.goal_reached else "frontier_exhausted"
            if self._infer(item):
                continue
            if item.state != self.current and not await self._restore(item.state):
                self.stats.abandoned += self.frontier.drop(item.state) + 1  # cannot be brought back
                self.stats.unrestorable += 1
                continue
            await self._take(item)
            if len(self.states) >= self.spec.explore.max_states and self.frontier.remaining():
                return "max_states"

    # ---------------------------------------------------------------- screens
    def _register(
        self, obs: Observation, look: Look, via: tuple[str, ...], goal: bool, parent: str | None, funnel: bool
    ) -> str:
        """The state this observation shows: a known one, or a new one (screenshotted, its controls scored)."""
        known = self.states.known(look, goal)
        if known is not None:
            if self.states.fold(look, known) and look.fingerprint != self.states[known].look.fingerprint:
                screen = self.graph.screen(known)
                self.graph.replace_screen(replace(screen, variants=screen.variants + 1))
            if goal:
                self.graph.mark_goal(known)
            return known
        record = self.states.add(look, via, obs.url, obs.dialog is not None, goal, funnel)
        self.graph.add_screen(self._screen(record.id, look, obs, len(via)))
        if obs.unsettled:
            cap = self.spec.explore.timeouts.settle
            self.journal.note(f"screen {record.id} ({obs.url}) never settled within {cap:g}s: {obs.unsettled}")
        if goal:
            self.graph.mark_goal(record.id)
            self.best_goal = len(via) if self.best_goal is None else min(self.best_goal, len(via))
        if (not goal or self.purchase) and len(via) < self.spec.explore.max_depth:
            seen_before = self._usable_controls(parent)
            self.frontier.add(self.scorer.items(record.id, obs, len(via), seen_before, self.tried_keys, funnel))
        self.progress(
            {"flow": self.spec.name, "states": len(self.states), "depth": len(via), "actions": self.stats.actions}
        )
        return record.id

    def _screen(self, state_id: str, look: Look, obs: Observation, depth: int) -> Screen:
        return Screen(
            id=state_id,
            fingerprint=look.fingerprint,
            url=obs.url,
            title=obs.title,
            heading=obs.heading,
            text=obs.text[:4000],
            dialog=obs.dialog,
            veil=obs.veil,
            elements=tuple({k: v for k, v in e.items() if k not in PROBE_ONLY} for e in obs.elements),
            fields=tuple({k: v for k, v in f.items() if k not in PROBE_ONLY} for f in obs.fields),
            screenshot=obs.screenshot,
            depth=depth,
            http_status=obs.http_status,
        )

    def _usable_controls(self, state: str | None) -> set[tuple[str, ...]]:
        if state is None:
            return set()
        return {
            same_control(e)
            for e in self.graph.screen(state).elements
            if e.get("visible") and e.get("enabled") and not e.get("obscured_by")
        }

    def _is_goal(self, obs: Observation, requests: list[tuple[str, str]]) -> bool:
        goal = self.spec.goal
        seen = " ".join(f"{obs.text} {(obs.dialog or {}).get('text', '')}".split()).lower()
        if any(" ".join(t.split()).lower() in seen for t in goal.text):
            return True
        if goal.url and fnmatch.fnmatchcase(obs.url, goal.url):
            return True
        if goal.request and any(request_matches(goal.request, m, u) for m, u in requests):
            return True
        return self.spec.kind in PURCHASE_KINDS and goal.empty and bool(self.last_charges)

    # ---------------------------------------------------------------- links known by their href
    @staticmethod
    def _link_key(element: dict[str, Any], page_url: str) -> str | None:
        """For a plain page link, where it goes with noise stripped; None for anything that needs a click."""
        href = element.get("href") or ""
        if element.get("tag") != "a" or not href.startswith(("http://", "https://")) or element.get("target"):
            return None
        base, _, fragment = href.partition("#")
        if not fragment.startswith(("/", "!")) and base == page_url.partition("#")[0]:
            return None  # a same-page anchor: a script decides what it does
        return normalise(path_template(href) + "?" + urlsplit(base).query)

    def _infer(self, item: Item) -> bool:
        """A plain link whose destination was already followed elsewhere: record the edge, spend no action."""
        screen = self.graph.screen(item.state)
        element = next((e for e in screen.elements if e["key"] == item.key), None)
        link = self._link_key(element, screen.url) if element else None
        if element is None or link is None or link not in self.link_targets:
            return False
        self.graph.add_action(item.state, self.link_targets[link], self._action(element, screen.url, inferred=True))
        self.stats.inferred += 1
        return True

    def _action(self, element: dict[str, Any], url: str, **observed: Any) -> Action:
        self.order += 1
        return Action(
            key=element["key"],
            kind=element["kind"],
            label=element["label"],
            role=element["role"],
            selector=element.get("selector", ""),
            element={k: v for k, v in element.items() if k not in (*PROBE_ONLY, "key")},
            url=url,
            order=self.order,
            **observed,
        )

    # ---------------------------------------------------------------- acting
    async def _take(self, item: Item) -> None:
        assert self.obs is not None and self.guard is not None and self.current is not None
        source, before = self.current, self.obs
        element = before.find(item.key)
        if element is None:
            self.stats.failed(source, item.key, "element not found")
            return
        self._drain(f"while {source} was shown")
        dialogs_before = len(self.journal.dialogs)
        outcome, obs = await self._act(before, element)
        self.stats.actions += 1
        self.tried_keys.add(item.key)
        charges, blocked, requests = self._drain(f"after {element['label']!r} on {source}")
        dialogs = self.journal.dialogs[dialogs_before:]
        self.last_charges = charges
        if outcome.error:
            self.stats.failed(source, item.key, outcome.error)
        if any(m != "GET" for m, _ in requests):  # intercepted charges never reached the server: no taint
            self.tainted = True
        look, goal = Look.of(obs), self._is_goal(obs, requests)
        await self._shoot_if_new(obs, look, goal)
        funnel = self.states[source].funnel or self.scorer.enters_funnel(element["label"])
        target = self._register(obs, look, self.states[source].via + (item.key,), goal, parent=source, funnel=funnel)
        self.current, self.obs = target, obs
        if target in self.graph.goals and not self.purchase:
            self.tainted = True  # a cancellation went through server-side (a purchase's charge was intercepted)
        if outcome.error and target == source:
            return
        link = self._link_key(element, before.url)
        if link and not outcome.error and not blocked:
            self.link_targets.setdefault(link, target)
        self.graph.add_action(
            source,
            target,
            self._action(
                element,
                before.url,
                inputs=tuple(outcome.inputs),
                charges=tuple(charges),
                blocked=tuple(blocked),
                dialogs=tuple(dialogs),
                requests=tuple(f"{m} {u}" for m, u in requests if m != "GET"),
            ),
        )

    def _drain(self, where: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[str, str]]]:
        """The guard's log since the last drain; blocked off-site navigations also go into the journal."""
        assert self.guard is not None
        charges, blocked, requests = self.guard.drain()
        for entry in blocked:
            self.journal.blocked_navigation(entry, where)
        return charges, blocked, requests

    async def _act(self, before: Observation, element: dict[str, Any]) -> tuple[Outcome, Observation]:
        """Perform one action and look again; when nothing changed, watch briefly for a late effect (a
        timer that navigates, a slow render) before calling it a no-op."""
        assert self.page is not None
        with self.stats.timed("act"):
            outcome = await perform(before, element, self.spec.inputs, self.spec.explore.timeouts.action)
        await self._adopt_popup()
        obs = await self._observe()
        unchanged = Look.of(obs).fingerprint == Look.of(before).fingerprint
        late = element["kind"] == "click"  # a tick or a choice takes effect at once; a click may navigate later
        if late and not outcome.error and unchanged:
            changed = await changes_late(self.page, LATE_CHANGE_MS)
            if await self._adopt_popup() or changed:  # a tab may open a moment after the click
                obs = await self._observe()
                unchanged = Look.of(obs).fingerprint == Look.of(before).fingerprint
            if unchanged and outcome.replaced:
                obs = await self._click_again(before, element, obs)
        return outcome, obs

    async def _click_again(self, before: Observation, element: dict[str, Any], obs: Observation) -> Observation:
        """The click changed nothing and its node was re-rendered meanwhile: it was probably lost (see
        act.click_again). Click once more, in place, and look again."""
        problem = await click_again(before, element, self.spec.explore.timeouts.action)
        if problem is not None:
            self.journal.note(
                f"{element['label']!r} was re-rendered during the click; clicking again failed: {problem}"
            )
            return obs
        self.journal.note(f"{element['label']!r} was re-rendered during the click and was clicked again in place")
        await self._adopt_popup()
        return await self._observe()

    async def _shoot_if_new(self, obs: Observation, look: Look, goal: bool) -> None:
        """Screenshot a screen once, on its first visit (password fields masked); the path goes on `obs`."""
        if self.page is None or self.states.known(look, goal) is not None:
            return
        path = self.evidence_dir / f"s{len(self.states)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self.stats.timed("screenshot"):
                await self._capture(path, obs)
            obs.screenshot = str(path.relative_to(self.out_dir))
        except PlaywrightError as exc:
            self.stats.failed(None, "", f"screenshot: {_first_line(exc)}")

    async def _capture(self, path: Path, obs: Observation) -> None:
        """A full-page screenshot; of a page taller than MAX_SHOT_HEIGHT, its top MAX_SHOT_HEIGHT px only,
        taken through a viewport made that tall for the shot. (Playwright's full_page, clipped or not, lays
        the whole page out as one viewport: about a minute and gigabytes for a 20 MB page.)"""
        assert self.page is not None
        options: dict[str, Any] = {
            "path": str(path),
            "timeout": 10_000,
            "mask": [self.page.locator("input[type=password]")],
            "scale": "css",  # one image pixel per CSS pixel, so element boxes outline it on any device
        }
        height = await self.page.evaluate(PAGE_HEIGHT_JS)
        viewport = self.page.viewport_size
        if height <= MAX_SHOT_HEIGHT or viewport is None:
            await self.page.screenshot(full_page=True, **options)
            return
        self.journal.note(
            f"the screenshot of {obs.url} shows its first {MAX_SHOT_HEIGHT}px only; the page is {height}px tall"
        )
        await self.page.set_viewport_size({"width": viewport["width"], "height": MAX_SHOT_HEIGHT})
        try:
            await self.page.screenshot(full_page=False, **options)
        finally:
            await self.page.set_viewport_size(viewport)

    async def _adopt_popup(self) -> bool:
        """A control that opened its next step in a new tab or window: follow the newest one, close the rest
        (the page it was clicked on included). True when the page changed."""
        assert self.page is not None and self.watch is not None
        opened = self.watch.others(self.page)
        if not opened:
            return False
        old, self.page = self.page, opened[-1]
        self.tracker = RequestTracker(self.page)
        self.journal.note(f"followed a new tab or window opened from {old.url}")
        for page in (old, *opened[:-1]):
            with suppress(PlaywrightError):
                await page.close()
        return True

    async def _observe(self) -> Observation:
        assert self.page is not None and self.tracker is not None
        with self.stats.timed("observe"):
            return await observe(
                self.page,
                self.tracker,
                scope=self.scorer.scope,
                avoid_selectors=self.avoid_selectors,
                settle_cap=self.spec.explore.timeouts.settle,
            )

    # ---------------------------------------------------------------- restoring
    async def fresh_start(self, clock: bool = False) -> Observation:
        """A new context (fresh cookies = fresh user), the setup steps, then the start URL. With `clock`, the
        page clock is installed first, so a probe can move time forward instead of waiting."""
        await self._close()
        self.context, self.guard = await new_context(self.browser, self.spec, self.playwright)
        self.watch = ContextWatch(self.context, self.journal)  # before the first page: its dialogs too
        if clock:
            await self.context.clock.install()
        self.context.set_default_timeout(self.spec.explore.timeouts.action * 1000)
        self.page = await self.context.new_page()
        self.tracker = RequestTracker(self.page)
        self.tainted = False
        await run_setup(self.page, self.spec)
        timeouts = self.spec.explore.timeouts
        try:
            await load_start(
                self.page, self.spec.start, timeouts.navigation, timeouts.settle, check_status=not len(self.states)
            )
        finally:
            self._drain("while the start page loaded")
        obs = await self._observe()
        self._drain("while the start page loaded")
        if not len(self.states):
            await self._shoot_if_new(obs, Look.of(obs), self._is_goal(obs, []))
        return obs

    async def _restore(self, state: str) -> bool:
        """Bring the page to `state`, cheapest way first: by its URL in this context; else by the URL of the
        nearest screen on its path that has one, then the few actions after it (a dialog, ticked boxes);
        else by replaying the whole path in a fresh context. On failure `current` says where the page is."""
        with self.stats.timed("restore"):
            self.stats.restores += 1
            return (
                await self._restore_by_url(state)
                or await self._restore_from_anchor(state)
                or await self._restore_by_replay(state)
            )

    async def _restore_by_url(self, state: str) -> bool:
        """Every URL restore is checked (the screen must look the same), so it is tried in a context that
        changed server state too; only a failure in an unchanged context proves the URL cannot restore it."""
        record = self.states[state]
        if record.has_dialog or record.url_restorable is False or self.page is None:
            return False
        if self.tainted and state in self.url_failed_tainted:
            return False
        with suppress(PlaywrightError):
            await goto(self.page, record.url, self.spec.explore.timeouts.navigation, self.spec.explore.timeouts.settle)
            obs = await self._observe()
            self._drain(f"while restoring {state}")
            if self._lands_on(obs, state):
                record.url_restorable = True
                return True
        if self.tainted:
            self.url_failed_tainted.add(state)  # maybe the changed server state: don't try again, don't conclude
        else:
            record.url_restorable = False
        return False

    def _path_states(self, state: str) -> list[str]:
        """The screens the recorded way to `state` passes through, start first (shorter if the graph lacks
        a step)."""
        node, out = self.graph.start, []
        for key in self.states[state].via:
            if node is None:
                break
            out.append(node)
            node = next((v for _, v, k in self.graph.g.out_edges(node, keys=True) if k == key), None)
        return out

    async def _restore_from_anchor(self, state: str) -> bool:
        """The nearest screen on the way that its URL restores, then the remaining actions in this context."""
        via, path = self.states[state].via, self._path_states(state)
        usable = [self.states[s].url_restorable is not False and not self.states[s].has_dialog for s in path]
        anchors = [i for i, ok in enumerate(usable) if ok]
        if not anchors or len(path) != len(via) or not await self._restore_by_url(path[anchors[-1]]):
            return False
        obs = self.obs
        assert obs is not None
        for key in via[anchors[-1] :]:
            element = obs.find(key)
            if element is None:
                return self._landed(obs, False)
            outcome, obs = await self._act(obs, element)
            self.stats.replayed += 1
            _, _, requests = self._drain(f"while restoring {state}")
            if outcome.error:
                return self._landed(obs, False)
            if any(m != "GET" for m, _ in requests):
                self.tainted = True
        return self._lands_on(obs, state) or self._landed(obs, False)

    async def _restore_by_replay(self, state: str) -> bool:
        obs = await self.fresh_start()
        for key in self.states[state].via:
            element = obs.find(key)
            if element is None:
                self.stats.failed(state, key, "replay: element not found")
                return self._landed(obs, False)
            outcome, obs = await self._act(obs, element)
            self.stats.replayed += 1
            _, _, requests = self._drain(f"while replaying the way to {state}")
            if outcome.error or any(m != "GET" for m, _ in requests):
                self.tainted = True
        if not self._lands_on(obs, state):
            self.stats.failed(state, "", "replay reached another screen")
            return self._landed(obs, False)
        self.current, self.obs = state, obs
        return True

    # ---------------------------------------------------------------- for probes (window.py)
    async def replay_step(self, obs: Observation, key: str) -> Observation | None:
        """Perform the action with this key on the current page; None when it is not there or fails."""
        element = obs.find(key)
        if element is None:
            self.stats.failed(None, key, "probe: element not found")
            return None
        outcome, after = await self._act(obs, element)
        self.stats.replayed += 1
        return None if outcome.error else after

    async def act_on(self, obs: Observation, key: str) -> tuple[Outcome, Observation]:
        element = obs.find(key)
        if element is None:
            return Outcome(error="element not found"), obs
        return await self._act(obs, element)

    def record_repeat(
        self,
        obs: Observation,
        requests: list[tuple[str, str]],
        charges: list[dict[str, Any]],
        source: str,
        trigger: Action,
        minutes: int,
    ) -> str:
        """A repeat purchase the probe made: its screen and an edge that carries its charges."""
        self.last_charges = charges
        look, goal = Look.of(obs), self._is_goal(obs, requests)
        target = self._register(
            obs, look, self.states[source].via + (trigger.key,), goal, parent=source, funnel=self.states[source].funnel
        )
        self.order += 1
        repeat = replace(
            trigger,
            key=f"{trigger.key}@+{minutes}min",
            charges=tuple(charges),
            order=self.order,
            requests=tuple(f"{m} {u}" for m, u in requests if m != "GET"),
            inferred=False,
        )
        self.graph.add_action(source, target, repeat)
        return target

    def _lands_on(self, obs: Observation, state: str) -> bool:
        if self.states.lands_on(Look.of(obs), state, self._is_goal(obs, [])):
            self.current, self.obs = state, obs
            return True
        return False

    def _landed(self, obs: Observation, result: bool) -> bool:
        """After a failed restore: the page shows whatever screen it shows (maybe none we know)."""
        self.current, self.obs = self.states.known(Look.of(obs), self._is_goal(obs, [])), obs
        return result

    async def _close(self) -> None:
        if self.guard is not None:
            self.third_party.update(self.guard.third_party)
            self.guard.third_party.clear()
        if self.context is not None:
            with suppress(PlaywrightError):
                await self.context.close()
        self.context = self.page = self.tracker = self.watch = None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__

"""The exploration strategy: best-first toward the goal, then bounded exhaustive exploration.

Every usable control on every new screen becomes a frontier item scored by what its label means for this
kind of flow (exit words for a cancellation, join words for a sign-up), by novelty (controls already on the
previous screen are site navigation) and by depth. The explorer keeps walking from the screen it is on
while that screen holds a good item, and otherwise restores another screen: by loading its URL in the same
context when nothing has changed server-side, else by replaying its recorded path in a fresh context.

It stops when the goal is reached and no cheaper path is plausible (exit-ward items shallower than the
goal have been tried), when the frontier is empty (the verdict "goal not reachable" is then backed by every
state within `max_depth`), or when `max_states` / `max_actions` / the flow timeout run out.
"""

from __future__ import annotations

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

from auditor.browser import GuardLog, host_allowed, new_context, request_matches, scope_of
from auditor.classify import Vocabulary
from auditor.errors import AuditIncomplete
from auditor.explore.act import Outcome, perform
from auditor.explore.fingerprint import (
    near_duplicate,
    normalise,
    path_template,
    screen_fingerprint,
    structure_key,
    template_key,
    word_bag,
)
from auditor.explore.observe import Observation, RequestTracker, changes_late, observe
from auditor.explore.setup import run_setup
from auditor.graph import Action, FlowGraph, Screen, classify_graph
from auditor.spec import PURCHASE_KINDS, FlowSpec

MAX_VARIANTS = 4  # noisy variants of one page template kept apart before they fold into one (trap guard)
CONTINUE_BONUS = 1.5  # staying on the current screen saves a restore
LATE_CHANGE_MS = 600  # after a click that changed nothing, how long to watch for a delayed effect
DEPTH_WEIGHT = 0.25  # a mild preference for shallow items, so ties go breadth-first
SIBLING_PENALTY = 4  # once one radio of a group was tried, its siblings rarely lead anywhere new
SCORES = {  # intent -> score, by flow direction
    "leave": {"exit": 10, "path": 4, "progress": 2, "join": -2, "neutral": 0, "dismiss": 0, "keep": -4, "offer": -6},
    "join": {"join": 10, "progress": 3, "path": 1, "neutral": 0, "dismiss": 0, "offer": 0, "keep": -1, "exit": -4},
}
SHORTCUT_INTENTS = {"leave": {"exit", "path", "progress"}, "join": {"join", "progress"}}
UNSAFE_HREF = ("mailto:", "tel:", "sms:", "javascript:void", "data:", "blob:", "file:")


@dataclass
class StateRecord:
    id: str
    fingerprint: str
    template: str
    via: tuple[str, ...]
    url: str
    has_dialog: bool
    structure: str
    words: Counter[str]
    goal: bool = False
    url_restorable: bool | None = None
    expanded: bool = False


@dataclass
class Item:
    state: str
    key: str
    score: float
    intent: str
    depth: int
    order: int

    group: str = ""  # radios of one question are alternatives: one is enough to move on

    def priority(self) -> float:
        return self.score - DEPTH_WEIGHT * self.depth


@dataclass
class Stats:
    actions: int = 0
    replayed: int = 0
    restores: int = 0
    inferred: int = 0
    unrestorable: int = 0
    abandoned: int = 0  # frontier items given up because their screen could not be restored
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.monotonic() - started

    failed_actions: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


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
        self.direction = "leave" if spec.kind == "cancellation" else "join"
        self.scope = scope_of(spec)
        self.avoid_texts = [a.lower() for a in spec.explore.avoid if not a.startswith("css=")]
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
        self.states: dict[str, StateRecord] = {}
        self.by_fingerprint: dict[str, str] = {}
        self.by_template: dict[str, list[str]] = {}
        self.pending: dict[str, list[Item]] = {}
        self.tried_keys: set[str] = set()
        self.link_targets: dict[str, str] = {}  # normalised href -> the state following it led to
        self.stats = Stats()
        self.order = 0
        self.context: BrowserContext | None = None
        self.page: Page | None = None
        self.tracker: RequestTracker | None = None
        self.guard: GuardLog | None = None
        self.tainted = False  # a state-changing request happened: same-context URL restores are off
        self.current: str | None = None
        self.obs: Observation | None = None
        self.deadline = 0.0
        self.best_goal: int | None = None
        self._last_charges: list[dict[str, Any]] = []

    # ---------------------------------------------------------------- the run
    async def run(self) -> FlowGraph:
        started = time.monotonic()
        self.deadline = started + self.spec.explore.timeouts.flow
        status, error, stop = "complete", None, "frontier_exhausted"
        try:
            stop = await self._explore()
        except AuditIncomplete as exc:
            status, error, stop = "incomplete", str(exc), "error"
        except PlaywrightError as exc:
            status, error, stop = "incomplete", f"browser error: {_first_line(exc)}", "error"
        finally:
            await self._close()
        if stop == "timeout" and not self.graph.goal_reached:
            status = "incomplete"
            error = error or f"flow timeout ({self.spec.explore.timeouts.flow:g}s) before the goal was found"
        self.graph.exploration = {
            "status": status,
            "error": error,
            "stop_reason": stop,
            "strategy": "exhaustive" if self.spec.explore.exhaustive else "best-first",
            "states": len(self.states),
            "actions": self.stats.actions,
            "replayed_actions": self.stats.replayed,
            "inferred_actions": self.stats.inferred,
            "restores": self.stats.restores,
            "unrestorable_states": self.stats.unrestorable,
            "phase_seconds": {k: round(v, 2) for k, v in sorted(self.stats.seconds.items())},
            "unexplored": sum(len(items) for items in self.pending.values()) + self.stats.abandoned,
            "abandoned": self.stats.abandoned,
            "failed_actions": self.stats.failed_actions[:50],
            "skipped": self.stats.skipped,
            "seconds": round(time.monotonic() - started, 2),
            "budget": {
                "max_states": self.spec.explore.max_states,
                "max_depth": self.spec.explore.max_depth,
                "max_actions": self.spec.explore.max_actions,
            },
        }
        classify_graph(self.graph, self.vocab)
        return self.graph

    async def _explore(self) -> str:
        self.obs = await self._fresh_start()
        self.current = self._register(self.obs, (), [], await self._shoot_if_new(self.obs), parent=None)
        while True:
            if time.monotonic() > self.deadline:
                return "timeout"
            if self.stats.actions >= self.spec.explore.max_actions:
                return "max_actions"
            item = self._next_item()
            if item is None:
                return "goal_reached" if self.graph.goal_reached else "frontier_exhausted"
            if self._infer(item):
                continue
            if item.state != self.current and not await self._restore(item.state):
                self.stats.abandoned += len(self.pending.pop(item.state, [])) + 1  # cannot be brought back
                self.stats.unrestorable += 1
                continue
            await self._take(item)
            if len(self.states) >= self.spec.explore.max_states and self._has_pending():
                return "max_states"

    # ---------------------------------------------------------------- choosing
    def _has_pending(self) -> bool:
        return any(self.pending.values())

    def _next_item(self) -> Item | None:
        """The best frontier item; the current screen's best wins ties within CONTINUE_BONUS. After the goal
        (unless exhaustive), only items that could still give a cheaper path are worth an action."""
        best: Item | None = None
        best_value = float("-inf")
        for state, items in self.pending.items():
            if self.best_goal is not None and not self.spec.explore.exhaustive:
                items[:] = [
                    i for i in items if i.depth + 1 < self.best_goal and i.intent in SHORTCUT_INTENTS[self.direction]
                ]
            if not items:
                continue
            top = items[0]
            value = top.priority() + (CONTINUE_BONUS if state == self.current else 0)
            if value > best_value or (value == best_value and best is not None and top.order < best.order):
                best, best_value = top, value
        if best is not None:
            self.pending[best.state].pop(0)
            if best.group:
                self._demote_siblings(best)
        return best

    def _demote_siblings(self, taken: Item) -> None:
        items = self.pending[taken.state]
        for item in items:
            if item.group == taken.group:
                item.score -= SIBLING_PENALTY
        items.sort(key=lambda i: (-i.priority(), i.order))

    def _candidates(self, state: str, obs: Observation, depth: int, parent_keys: set[str]) -> list[Item]:
        """Score every usable control of a new screen; record why the others were left alone."""
        items = []
        unlocks = any(e["kind"] == "click" and e.get("visible") and not e.get("enabled") for e in obs.elements)
        seen_links: set[tuple[str, str]] = set()
        for e in obs.elements:
            reason = self._skip_reason(e, seen_links)
            if reason:
                self.stats.skipped[reason] = self.stats.skipped.get(reason, 0) + 1
                continue
            intent = self.vocab.intent(e["label"])
            score = float(SCORES[self.direction].get(intent, 0))
            if obs.veil and intent == "dismiss":
                score = 8 + (1 if self.vocab.refuses(e["label"]) else 0)
            if e["kind"] in ("check", "select") and unlocks:
                score += 3  # a choice that may unlock a disabled button (forced surveys)
            if e["key"] in parent_keys:
                score -= 3  # already offered on the previous screen: site navigation, not progress
            if e["key"] in self.tried_keys:
                score -= 3
            if self.spec.goal.url and e.get("href") and fnmatch.fnmatchcase(e["href"], self.spec.goal.url):
                score += 20
            self.order += 1
            group = f"{e['frame']}|{e['group']}" if e.get("group") else ""
            items.append(Item(state, e["key"], score, intent, depth, self.order, group))
        items.sort(key=lambda i: (-i.priority(), i.order))
        return items

    def _skip_reason(self, e: dict[str, Any], seen_links: set[tuple[str, str]]) -> str | None:
        if not e.get("visible"):
            return "hidden"
        if not e.get("enabled"):
            return "disabled"
        if e.get("obscured_by"):
            return "obscured"
        label = e["label"].lower()
        if e.get("avoided") or self.vocab.intent(e["label"]) == "avoid" or any(a in label for a in self.avoid_texts):
            return "avoided"
        href = e.get("href")
        if href:
            if href.lower().startswith(UNSAFE_HREF):
                return "not a page link"
            if not host_allowed(href, self.scope):
                return "out of scope"
            link = (href.split("#")[0].split("?")[0], normalise(label))
            if link in seen_links:
                return "duplicate link"
            seen_links.add(link)
        return None

    # ---------------------------------------------------------------- states
    def _identify(self, obs: Observation) -> tuple[str, str, str | None]:
        """(fingerprint, template, known state or None). Besides exact matches, a screen is a known one when
        only a couple of words differ with the same controls (random words no normaliser can spot), or when
        its page template already has MAX_VARIANTS states (a trap: endless pages, calendars)."""
        dialog = obs.dialog_words
        fp = screen_fingerprint(obs.url, dialog, obs.text, obs.signature())
        tk = template_key(obs.url, (obs.dialog or {}).get("label", ""), obs.heading)
        if fp in self.by_fingerprint:
            return fp, tk, self.by_fingerprint[fp]
        variants = self.by_template.get(tk, [])
        structure = structure_key(obs.url, dialog, obs.signature())
        words = word_bag(f"{dialog} {obs.text}")
        goal = self._is_goal(obs, [])
        for state in variants:
            record = self.states[state]
            if record.structure == structure and near_duplicate(record.words, words) and goal == record.goal:
                return fp, tk, state
        if len(variants) >= MAX_VARIANTS:
            return fp, tk, variants[0]
        return fp, tk, None

    def _register(
        self,
        obs: Observation,
        via: tuple[str, ...],
        requests: list[tuple[str, str]],
        shot: str | None,
        parent: str | None,
    ) -> str:
        fp, tk, known = self._identify(obs)
        if known is not None:
            if fp not in self.by_fingerprint:  # a trap variant folded into its template's first page
                self.by_fingerprint[fp] = known
                screen = self.graph.screen(known)
                self.graph.replace_screen(replace(screen, variants=screen.variants + 1))
            if self._is_goal(obs, requests):
                self.graph.mark_goal(known)
            return known
        state_id = f"s{len(self.states)}"
        dialog = obs.dialog_words
        record = StateRecord(
            state_id,
            fp,
            tk,
            via,
            obs.url,
            obs.dialog is not None,
            structure_key(obs.url, dialog, obs.signature()),
            word_bag(f"{dialog} {obs.text}"),
        )
        self.states[state_id] = record
        self.by_fingerprint[fp] = state_id
        self.by_template.setdefault(tk, []).append(state_id)
        self.graph.add_screen(self._screen(state_id, fp, obs, len(via), shot))
        goal = self._is_goal(obs, requests)
        record.goal = goal
        if goal:
            self.graph.mark_goal(state_id)
            self.best_goal = len(via) if self.best_goal is None else min(self.best_goal, len(via))
        if not goal and len(via) < self.spec.explore.max_depth:
            self.pending[state_id] = self._candidates(state_id, obs, len(via), self._usable_keys(parent))
        self.progress(
            {"flow": self.spec.name, "states": len(self.states), "depth": len(via), "actions": self.stats.actions}
        )
        return state_id

    def _usable_keys(self, state: str | None) -> set[str]:
        if state is None:
            return set()
        return {
            e["key"]
            for e in self.graph.screen(state).elements
            if e.get("visible") and e.get("enabled") and not e.get("obscured_by")
        }

    def _screen(self, state_id: str, fp: str, obs: Observation, depth: int, shot: str | None) -> Screen:
        strip = ("index", "frame_no")
        return Screen(
            id=state_id,
            fingerprint=fp,
            url=obs.url,
            title=obs.title,
            heading=obs.heading,
            text=obs.text[:4000],
            dialog=obs.dialog,
            veil=obs.veil,
            elements=tuple({k: v for k, v in e.items() if k not in strip} for e in obs.elements),
            fields=tuple({k: v for k, v in f.items() if k not in strip} for f in obs.fields),
            screenshot=shot,
            depth=depth,
            http_status=obs.http_status,
        )

    def _is_goal(self, obs: Observation, requests: list[tuple[str, str]]) -> bool:
        goal = self.spec.goal
        seen = " ".join(f"{obs.text} {(obs.dialog or {}).get('text', '')}".split()).lower()
        if any(" ".join(t.split()).lower() in seen for t in goal.text):
            return True
        if goal.url and fnmatch.fnmatchcase(obs.url, goal.url):
            return True
        if goal.request and any(request_matches(goal.request, m, u) for m, u in requests):
            return True
        return self.spec.kind in PURCHASE_KINDS and goal.empty and bool(self._last_charges)

    # ---------------------------------------------------------------- acting
    def _link_key(self, element: dict[str, Any]) -> str | None:
        """For a plain page link, where it goes with noise stripped; None for anything that needs a click."""
        href = element.get("href") or ""
        if element.get("tag") != "a" or not href.startswith(("http://", "https://")) or element.get("target"):
            return None
        base, _, fragment = href.partition("#")
        if not fragment.startswith(("/", "!")) and base == element.get("page_url", "").partition("#")[0]:
            return None  # same-page anchor: a script decides what it does
        return normalise(path_template(href) + "?" + urlsplit(base).query)

    def _infer(self, item: Item) -> bool:
        """A plain link whose destination was already followed elsewhere: record the edge, spend no action."""
        element = next((e for e in self.graph.screen(item.state).elements if e["key"] == item.key), None)
        link = self._link_key(element) if element else None
        if element is None or link is None or link not in self.link_targets:
            return False
        self.order += 1
        self.graph.add_action(
            item.state,
            self.link_targets[link],
            Action(
                key=item.key,
                kind="click",
                label=element["label"],
                role=element["role"],
                selector=element.get("selector", ""),
                element=element,
                url=self.graph.screen(item.state).url,
                order=self.order,
                inferred=True,
            ),
        )
        self.stats.inferred += 1
        return True

    async def _take(self, item: Item) -> None:
        assert self.obs is not None and self.page is not None and self.guard is not None
        element = self.obs.find(item.key)
        if element is None:
            self.stats.failed_actions.append({"state": item.state, "key": item.key, "error": "element not found"})
            return
        source = self.current
        assert source is not None
        self.guard.drain()
        outcome, obs = await self._act(self.obs, element)
        self.stats.actions += 1
        self.tried_keys.add(item.key)
        charges, blocked, requests = self.guard.drain()
        self._last_charges = charges
        if outcome.error:
            self.stats.failed_actions.append({"state": source, "key": item.key, "error": outcome.error})
        if any(m != "GET" for m, _ in requests) or charges:
            self.tainted = True
        via = self.states[source].via + (item.key,)
        target = self._register(obs, via, requests, await self._shoot_if_new(obs), parent=source)
        link = self._link_key({**element, "page_url": self.obs.url})
        if link and not outcome.error and not blocked:
            self.link_targets.setdefault(link, target)
        if target in self.graph.goals:
            self.tainted = True
        if outcome.error and target == source:
            self.current, self.obs = source, obs
            return
        self.order += 1
        action = Action(
            key=item.key,
            kind=element["kind"],
            label=element["label"],
            role=element["role"],
            selector=element.get("selector", ""),
            element={k: v for k, v in element.items() if k not in ("index", "frame_no", "key")},
            inputs=tuple(outcome.inputs),
            url=self.obs.url,
            requests=tuple(f"{m} {u}" for m, u in requests if m != "GET"),
            charges=tuple(charges),
            blocked=tuple(blocked),
            order=self.order,
        )
        self.graph.add_action(source, target, action)
        self.current, self.obs = target, obs

    async def _act(self, before: Observation, element: dict[str, Any]) -> tuple[Outcome, Observation]:
        """Perform one action and look again; when nothing changed, watch briefly for a late effect (a
        timer that navigates, a slow render) before calling it a no-op."""
        assert self.page is not None
        pages_before = len(self.page.context.pages)
        with self.stats.timed("act"):
            outcome = await perform(before, element, self.spec.inputs, self.spec.explore.timeouts.action)
        await self._adopt_popup(pages_before)
        obs = await self._observe()
        unchanged = self._identify(obs)[0] == self._identify(before)[0]
        if not outcome.error and unchanged and await changes_late(self.page, LATE_CHANGE_MS):
            obs = await self._observe()
        return outcome, obs

    async def _shoot_if_new(self, obs: Observation) -> str | None:
        """Screenshot a screen once, on its first visit; password fields are masked."""
        if self._identify(obs)[2] is not None or self.page is None:
            return None
        name = f"s{len(self.states)}.png"
        path = self.evidence_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self.stats.timed("screenshot"):
                await self.page.screenshot(
                    path=str(path), full_page=True, timeout=10_000, mask=[self.page.locator("input[type=password]")]
                )
            return str(path.relative_to(self.out_dir))
        except PlaywrightError:
            return None

    async def _adopt_popup(self, pages_before: int) -> None:
        """A control that opens its next step in a new tab: follow the new tab, close the old one."""
        assert self.page is not None
        pages = self.page.context.pages
        if len(pages) > pages_before:
            old, self.page = self.page, pages[-1]
            self.tracker = RequestTracker(self.page)
            await old.close()

    async def _observe(self) -> Observation:
        assert self.page is not None and self.tracker is not None
        with self.stats.timed("observe"):
            return await observe(
                self.page,
                self.tracker,
                scope=self.scope,
                avoid_selectors=self.avoid_selectors,
                settle_cap=self.spec.explore.timeouts.settle,
            )

    # ---------------------------------------------------------------- restoring
    async def _fresh_start(self) -> Observation:
        """A new context (fresh cookies = fresh user), the setup steps, then the start URL."""
        await self._close()
        self.context, self.guard = await new_context(self.browser, self.spec, self.playwright)
        self.context.set_default_timeout(self.spec.explore.timeouts.action * 1000)
        self.page = await self.context.new_page()
        self.tracker = RequestTracker(self.page)
        self.tainted = False
        await run_setup(self.page, self.spec)
        try:
            response = await self.page.goto(self.spec.start, timeout=self.spec.explore.timeouts.navigation * 1000)
        except PlaywrightError as exc:
            raise AuditIncomplete(f"could not load the start URL {self.spec.start}: {_first_line(exc)}") from exc
        if response is not None and response.status >= 400 and not self.states:
            raise AuditIncomplete(f"the start URL {self.spec.start} answered HTTP {response.status}")
        obs = await self._observe()
        self.guard.drain()
        return obs

    async def _restore(self, state: str) -> bool:
        """Bring the page to `state`: by URL in this context when safe, else by replay in a fresh one."""
        with self.stats.timed("restore"):
            return await self._restore_to(state)

    async def _restore_to(self, state: str) -> bool:
        record = self.states[state]
        self.stats.restores += 1
        if not self.tainted and not record.has_dialog and record.url_restorable is not False and self.page:
            try:
                await self.page.goto(record.url, timeout=self.spec.explore.timeouts.navigation * 1000)
                obs = await self._observe()
                assert self.guard is not None
                self.guard.drain()
                if self._lands_on(obs, state):
                    record.url_restorable = True
                    self.current, self.obs = state, obs
                    return True
            except PlaywrightError:
                pass
            record.url_restorable = False
        obs = await self._fresh_start()
        for key in record.via:
            element = obs.find(key)
            if element is None:
                self.stats.failed_actions.append({"state": state, "key": key, "error": "replay: element not found"})
                self.current, self.obs = self._identify(obs)[2], obs
                return False
            outcome, obs = await self._act(obs, element)
            self.stats.replayed += 1
            assert self.guard is not None
            _, _, requests = self.guard.drain()
            if outcome.error or any(m != "GET" for m, _ in requests):
                self.tainted = True
        if not self._lands_on(obs, state):
            self.stats.failed_actions.append({"state": state, "key": "", "error": "replay reached another screen"})
            self.current, self.obs = self._identify(obs)[2], obs  # wherever the replay really landed
            return False
        self.current, self.obs = state, obs
        return True

    def _lands_on(self, obs: Observation, state: str) -> bool:
        """A restore worked when it shows that state, or the same page and controls with other (random)
        content: the actions that follow find the same controls."""
        if self._identify(obs)[2] == state:
            return True
        dialog = obs.dialog_words
        return structure_key(obs.url, dialog, obs.signature()) == self.states[state].structure

    async def _close(self) -> None:
        if self.context is not None:
            with suppress(PlaywrightError):
                await self.context.close()
        self.context = self.page = self.tracker = None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__

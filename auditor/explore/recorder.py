"""The recorder: the one source of truth for what one flow's exploration found.

It holds the states (states.py: is this screen known?) and the FlowGraph of screens and actions, and answers
every question about them: is this observation the goal, which state does the page show, which screens does
the recorded way to a state pass through. Paths exist only here (a state's `via`: the action keys from the
start), so the loop, the restorer and the re-auth probe all replay the same thing.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from auditor.charges import request_matches
from auditor.explore.fingerprint import path_template
from auditor.explore.observe import Observation
from auditor.explore.observe import declined as declined_key
from auditor.explore.states import Look, StateIndex, StateRecord
from auditor.explore.stats import Stats
from auditor.explore.userdata import UserData
from auditor.graph import Action, FlowGraph, Repeat, Screen
from auditor.language import page_language
from auditor.noise import NORMALISERS, normalise
from auditor.records import CHROME_REGIONS, Control
from auditor.spec import PURCHASE_KINDS, FlowSpec


@dataclass
class Position:
    """Where the page is: the state it shows (None: a screen not recorded, or not known yet) and the look."""

    state: str | None
    obs: Observation


NewState = Callable[[StateRecord, Observation, "str | None"], None]  # record, observation, parent


class Recorder:
    """States and actions of one flow. `on_new_state` is told of every state the first time it is seen."""

    def __init__(self, spec: FlowSpec, stats: Stats, on_new_state: NewState, user: UserData | None = None) -> None:
        self.spec, self.stats, self.on_new_state = spec, stats, on_new_state
        self.user = user or UserData()  # the browser user's data now (the session's): see StateRecord.pristine
        self.graph = FlowGraph(
            {
                "name": spec.name,
                "kind": spec.kind,
                "start": spec.start,
                "spec": spec.source.file,
                "line": spec.source.line,
                "compare_with": spec.compare_with,
                "profile": spec.profile,
                "context": spec.context_record(),  # who and where the browser was (nothing secret)
                "spec_sha256": spec.digest,
            }
        )
        self.states = StateIndex()
        # (normalised href, in a funnel) -> the state following it led to; see `infer`
        self.link_targets: dict[tuple[str, bool], str] = {}
        # normalised href -> the state it led to when a pristine user followed it and a new document loaded
        self.new_user_links: dict[str, str] = {}
        self.openers: dict[str, str] = {}  # a chrome button's key -> the menu (a widget state) it opened
        self.order = 0  # discovery order of actions, for deterministic tie-breaks
        self.best_goal: int | None = None  # depth of the shallowest goal found
        self.last_charges: list[dict[str, Any]] = []  # the charges of the latest action taken

    # ---------------------------------------------------------------- screens
    def is_goal(self, obs: Observation, requests: list[tuple[str, str]], said: Sequence[str] = ()) -> bool:
        """Whether this look meets the goal: its words (with the screens and the messages seen on the way, a
        toast gone by the look among them, and the messages of the alerts and confirms its action raised), its
        URL, the requests its action sent, or a charge."""
        goal = self.spec.goal
        words = [obs.text, (obs.dialog or {}).get("text", ""), *obs.interim, *(g["text"] for g in obs.glimpses), *said]
        seen = " ".join(" ".join(words).split()).lower()
        if any(" ".join(t.split()).lower() in seen for t in goal.text):
            return True
        if goal.url and fnmatch.fnmatchcase(obs.url, goal.url):
            return True
        if goal.request and any(request_matches(goal.request, m, u) for m, u in requests):
            return True
        return self.spec.kind in PURCHASE_KINDS and goal.empty and bool(self.last_charges)

    def is_new(
        self, obs: Observation, goal: bool, via: tuple[str, ...], answer: str | None = None, funnel: bool = False
    ) -> bool:
        return self.states.known(_look(obs, via, answer, funnel), goal) is None

    def register(
        self,
        obs: Observation,
        via: tuple[str, ...],
        goal: bool,
        parent: str | None,
        funnel: bool,
        answer: str | None = None,
        stage: bool | None = None,
    ) -> str:
        """The state this observation shows: a known one, or a new one (added to the graph). `answer`: the
        choice just made, when it gates the way on (each answer its own state, see Look.answered); `stage`:
        whether it is told apart from the funnel's other stages by its lead (by default when in the funnel)."""
        look = _look(obs, via, answer, funnel if stage is None else stage)
        known = self.states.known(look, goal)
        if known is not None:
            if self.states.fold(look, known) and look.fingerprint != self.states[known].look.fingerprint:
                screen = self.graph.screen(known)
                self.graph.replace_screen(replace(screen, variants=screen.variants + 1))
            if goal:
                self.graph.mark_goal(known)
            return known
        record = self.states.add(look, via, obs.url, obs.dialog is not None, goal, funnel, answer)
        record.pristine = self.user.pristine
        self.graph.add_screen(_screen(record.id, look, obs, len(via)))
        if goal:
            self.graph.mark_goal(record.id)
            self.best_goal = len(via) if self.best_goal is None else min(self.best_goal, len(via))
        self.on_new_state(record, obs, parent)
        return record.id

    def locate(self, obs: Observation) -> Position:
        """The page shows whatever screen it shows (maybe none we know)."""
        return Position(self.states.known(Look.of(obs), self.is_goal(obs, [])), obs)

    def shows(self, obs: Observation, state: str) -> bool:
        """Whether the page shows `state` (see StateIndex.lands_on)."""
        return self.states.lands_on(Look.of(obs), state, self.is_goal(obs, []))

    def path_states(self, state: str) -> list[str]:
        """The screens the recorded way to `state` passes through, start first (shorter if the graph lacks
        a step)."""
        node, out = self.graph.start, []
        for key in self.states[state].via:
            if node is None:
                break
            out.append(node)
            node = next((v for _, v, k in self.graph.g.out_edges(node, keys=True) if k == key), None)
        return out

    # ---------------------------------------------------------------- actions
    def action(self, element: Control, url: str, *, declined: bool = False, **observed: Any) -> Action:
        self.order += 1
        return Action(
            key=declined_key(element.key) if declined else element.key,
            declined=declined,
            kind=element.kind,
            label=element.label,
            role=element.role,
            selector=element.selector,
            element=element,
            url=url,
            order=self.order,
            **observed,
        )

    def remember_link(self, element: Control, page_url: str, source: str, target: str, new_user: bool = False) -> None:
        """Where a plain link led; or which menu a closed chrome button (the header's account menu) opened:
        the same menu over every page (Look.opened_by), so it is learnt once, as a link's destination is.
        `new_user`: the link was followed by a pristine user (userdata.py) and loaded a new document, so what
        it showed depends on nothing this context did: any pristine user following it sees the same."""
        funnel = self.states[source].funnel
        for link in _link_keys(element, page_url):
            self.link_targets.setdefault((link, funnel), target)
            if new_user:
                self.new_user_links.setdefault(link, target)
        if _opens_menu(element) and self.states[target].look.widget:
            self.openers.setdefault(element.key, target)

    def infer(self, state: str, key: str, loose: bool = True) -> bool:
        """A plain link whose destination was already followed elsewhere (or a chrome button whose menu is
        known, see remember_link): record the edge, spend no action. `loose`: a link to another page of the
        same template counts too (product 7 when product 3 was followed: a catalogue); not for a word of the
        flow, whose numbered steps (/cancel/1, /cancel/2) share a template but not a destination. Learnt before
        the funnel's first action (a "Start my plan", a "Cancel"), a link is followed again inside it: what the
        account page shows may be what that action changed in the user's stored data. Not when neither user
        had stored or sent anything (StateRecord.pristine, `new_user_links`): the footer's help pages, learnt
        on the home page, are the same pages inside a cancellation that changed nothing the browser holds."""
        screen = self.graph.screen(state)
        element = next((e for e in screen.elements if e.key == key), None)
        record = self.states[state]
        funnel = record.funnel
        links = _link_keys(element, screen.url)[: None if loose else 1] if element else ()
        link = next(((k, funnel) for k in links if (k, funnel) in self.link_targets), None)
        opens = element is not None and _opens_menu(element)
        target = self.link_targets.get(link) if link else self.openers.get(key) if opens else None
        if target is None and funnel and record.pristine:
            target = next((self.new_user_links[k] for k in links if k in self.new_user_links), None)
        if element is None or target is None:
            return False
        self.graph.add_action(state, target, self.action(element, screen.url, inferred=True))
        self.stats.inferred += 1
        return True

    def record_repeat(
        self,
        obs: Observation,
        requests: list[tuple[str, str]],
        charges: list[dict[str, Any]],
        source: str,
        trigger: Action,
        minutes: int,
    ) -> str:
        """A repeat of `trigger` made `minutes` after a password (the re-auth window probe): its screen and an
        edge that carries its charges."""
        self.last_charges = charges
        goal = self.is_goal(obs, requests)
        record = self.states[source]
        # a repeat of one action is no step on through the funnel: it shows a screen known, or a new one by its
        # fingerprint (a repeat screen is never screenshot, so none is made from a stage's lead alone)
        target = self.register(obs, record.via + (trigger.key,), goal, parent=source, funnel=record.funnel, stage=False)
        self.order += 1
        repeat = replace(
            trigger,
            key=f"{trigger.key}@+{minutes}min",  # unique among the edges; what it repeats is in `repeat`
            repeat=Repeat(of=trigger.key, after_minutes=minutes),
            charges=tuple(charges),
            order=self.order,
            requests=tuple(f"{m} {u}" for m, u in requests if m != "GET"),
            inferred=False,
        )
        self.graph.add_action(source, target, repeat)
        return target


def _look(obs: Observation, via: tuple[str, ...], answer: str | None, funnel: bool = False) -> Look:
    look = Look.of(obs).opened_by(obs, via[-1]) if via else Look.of(obs)
    look = look.in_funnel() if funnel else look
    return look.answered(answer) if answer else look


def _screen(state_id: str, look: Look, obs: Observation, depth: int) -> Screen:
    return Screen(
        id=state_id,
        fingerprint=look.fingerprint,
        url=obs.url,
        title=obs.title,
        heading=obs.heading,
        text=obs.text[:4000],
        dialog=obs.dialog,
        veil=obs.veil,
        elements=tuple(obs.elements),
        fields=tuple(obs.fields),
        screenshot=obs.screenshot,
        depth=depth,
        http_status=obs.http_status,
        lang=page_language(f"{obs.title}\n{obs.heading}\n{obs.text[:4000]}", obs.lang),
    )


def _opens_menu(element: Control) -> bool:
    """A closed disclosure button of the site's chrome (aria-expanded=false in a header, nav or footer)."""
    return not element.href and element.expanded == "false" and element.region in CHROME_REGIONS


def _link_keys(element: Control, page_url: str) -> tuple[str, ...]:
    """For a plain page link, where it goes with noise stripped: exactly (only random tokens taken out), then
    by page template (ids and numbers abstracted); () for anything that needs a click."""
    href = element.href or ""
    if element.tag != "a" or not href.startswith(("http://", "https://")) or element.target:
        return ()
    base, _, fragment = href.partition("#")
    if not fragment.startswith(("/", "!")) and base == page_url.partition("#")[0]:
        return ()  # a same-page anchor: a script decides what it does
    exact = normalise(href, NORMALISERS[:3] + NORMALISERS[4:])  # tokens out, numbers kept
    return exact, normalise(path_template(href) + "?" + urlsplit(base).query)

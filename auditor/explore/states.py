"""Screen identity for the explorer: is this observation a screen already found, or a new one?

A screen is known when its fingerprint matches; or when it is a modal dialog opened by the same control with
the same words and controls as one known, over another page, or a menu, drawer or disclosure that the same
control opened with the same items (a widget: see Look.opened_by); or when only a
couple of words differ with the same page and controls (random words no normaliser can spot), the goal verdict
being the same; or when its page template already holds MAX_VARIANTS screens (a trap: endless listings,
calendars) and one of them offers the same buttons and fields (its skeleton: repetition changes links and
words, not what can be done), into which it then folds. A template is the page, its dialog, its heading and
the *shape* of its controls (how many of each kind and role, in coarse buckets): repetition (page 7 of a
listing) has the shape of page 6, while distinct content on one URL (the steps of a single-page app without
headings) mostly does not, and is never folded away.

Inside a cancellation's or sign-up's funnel (a screen reached past an exit or join action), a screen is new when
its lead (what it says first: its heading and first lines, noise taken out) differs from a known screen's, even
with the same controls and only a word or two of difference: "Are you sure?" and, past a save offer, "Still
sure?" are two stages of the funnel, and the second one's "Continue" is the one that cancels. The fingerprint
itself still absorbs noise (ids, counters, timestamps, shuffled lists), so the same stage seen again is known.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from auditor.explore.fingerprint import (
    digest,
    near_duplicate,
    screen_fingerprint,
    structure_key,
    template_key,
    unordered,
    word_bag,
)
from auditor.explore.observe import Observation
from auditor.noise import normalise

MAX_VARIANTS = 4


@dataclass(frozen=True)
class Look:
    """Everything that identifies one observation, computed once."""

    fingerprint: str
    template: str  # page template + dialog + heading: groups the variants of one page
    structure: str  # page template + dialog + controls, without the text
    skeleton: str  # page + dialog + which buttons and fields it has (not links, not text): what repetition keeps
    words: Counter[str]
    widget: str | None = None  # a modal dialog as opened by one control, whatever page lies behind it
    lead: str = ""  # what the screen says first (heading, first lines), normalised: a funnel stage's identity
    forward: bool = False  # reached inside the flow's funnel: a stage of it, never folded into another stage

    @classmethod
    def of(cls, obs: Observation) -> Look:
        dialog, signature = obs.dialog_words, obs.signature()
        return cls(
            fingerprint=screen_fingerprint(obs.url, dialog, unordered(normalise(obs.text), _options(obs)), signature),
            template=template_key(obs.url, (obs.dialog or {}).get("label", ""), obs.heading, _shape(obs)),
            structure=structure_key(obs.url, dialog, signature),
            skeleton=structure_key(obs.url, (obs.dialog or {}).get("label", ""), _skeleton(obs)),
            words=word_bag(f"{dialog} {obs.text}"),
            lead=unordered(normalise(obs.lead), _options(obs)),
        )

    def in_funnel(self) -> Look:
        """The look of a screen reached inside the flow's funnel (see the module docstring)."""
        return replace(self, forward=True)

    def opened_by(self, obs: Observation, key: str) -> Look:
        """The look of a screen reached by the action `key`, which knows it again as a *widget* when it shows a
        modal dialog: the same dialog (words and its own controls) opened by the same control is one screen,
        whichever page of the site lies behind it (an account menu's "Membership" dialog from every page).
        Only the dialog is open to the user, and what it does does not depend on the page behind it. So too a
        menu, drawer or disclosure that the action itself opened (see `popup_keys`): the account menu opened
        over each page of a shop is one screen, not one per page."""
        origin = urlsplit(obs.url).netloc
        if not obs.dialog:
            popup = popup_keys(obs, key)
            return replace(self, widget=digest(origin, "popup", normalise(key), *popup)) if popup else self
        own = [e.key for e in obs.elements if e.in_dialog and e.visible]
        return replace(self, widget=digest(origin, normalise(obs.dialog_words), normalise(key), *sorted(own)))

    def answered(self, answer: str) -> Look:
        """The look of a screen reached by picking `answer` of a choice that gates the way on: one state per
        answer, since answers may lead on differently (the form state alone only says "answered")."""
        return replace(self, fingerprint=digest(self.fingerprint, "answer", normalise(answer)))


def popup_keys(obs: Observation, key: str, regions: tuple[str, ...] = ("menu", "popup")) -> list[str]:
    """The controls of the popup (a menu: `region` "menu"; a drawer or disclosure: "popup") that the control
    `key` opened and still shows expanded (aria-expanded=true); [] when it opened none."""
    if not any(e.key == key and e.expanded == "true" for e in obs.elements):
        return []
    return sorted(e.key for e in obs.elements if e.region in regions and e.visible)


def menu_keys(obs: Observation, key: str) -> list[str]:
    """The items of the menu the control `key` opened ([] for none): a menu is all there is to do while it is
    open (a click elsewhere closes it), while what a disclosure shows goes with the page around it (a reason
    to pick, then the form's own Continue)."""
    return popup_keys(obs, key, ("menu",))


def _options(obs: Observation) -> list[str]:
    """The words of a screen's alike options, normalised: the answers of a radio group or listbox, and the rows
    of controls that share a name (a "Choose" per card). A site may show them in any order."""
    return [normalise(e.row or e.label) for e in obs.elements if e.visible and (e.group or e.row)]


def _skeleton(obs: Observation) -> set[str]:
    """The buttons, boxes, choices and fields a screen offers, as a set (how many does not count) and without
    links: page 7 of a listing offers what page 6 did ("Add to cart", "Next") with other links and words,
    while the next step of a single-page app offers other buttons or fields ("Name on card")."""
    controls = {f"{e.kind}|{e.role}|{normalise(e.label)}" for e in obs.elements if e.visible and not e.href}
    controls |= obs.amounts()  # a basket of two is no repetition of a basket of one: bounded (probe.js buckets)
    return controls | {f"field|{normalise(f.label or f.name or f.placeholder)}" for f in obs.fields}


def _shape(obs: Observation) -> str:
    """How many visible controls of each kind and role a screen has, in buckets that grow by powers of two
    (1, 2, 3, 4-7, 8-15, ...): a listing of 17 or 20 items has one shape, a step with one button another."""
    counts = Counter(f"{e.kind}:{e.role}" for e in obs.elements if e.visible)
    return " ".join(f"{name}={n if n < 4 else 1 << (n.bit_length() - 1)}" for name, n in sorted(counts.items()))


@dataclass
class StateRecord:
    """What the explorer keeps about a screen it found: how to get back to it and whether that works."""

    id: str
    look: Look
    via: tuple[str, ...]  # action keys from the start screen
    url: str
    has_dialog: bool
    goal: bool = False
    funnel: bool = False  # the path to it took an exit (or join) action: the flow's funnel
    answer: str | None = None  # reached by this answer of a gating choice: found by its exact look only
    url_restorable: bool | None = None  # None: not tried yet
    pristine: bool = False  # first seen by a user who had stored and sent nothing since the fresh start


class StateIndex:
    """Every screen found in one flow, by id, fingerprint and page template."""

    def __init__(self) -> None:
        self.records: dict[str, StateRecord] = {}
        self.by_fingerprint: dict[tuple[str, bool], str] = {}
        self.by_widget: dict[tuple[str, bool], str] = {}
        self.by_template: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, state: str) -> StateRecord:
        return self.records[state]

    def known(self, look: Look, goal: bool) -> str | None:
        """A screen that meets the goal (say, a request to cancel was sent) is never the same state as one
        that looks alike but does not: landing back on the home page after cancelling is the goal."""
        if (look.fingerprint, goal) in self.by_fingerprint:
            return self.by_fingerprint[(look.fingerprint, goal)]
        if look.widget and (look.widget, goal) in self.by_widget:
            return self.by_widget[(look.widget, goal)]
        records = self.records
        variants = [
            s
            for s in self.by_template.get(look.template, [])
            if records[s].goal == goal and not records[s].answer and not _other_stage(look, records[s].look)
        ]
        for state in variants:
            record = self.records[state]
            if record.look.structure == look.structure and near_duplicate(record.look.words, look.words):
                return state
        if len(variants) >= MAX_VARIANTS:  # a trap folds; distinct content on one URL does not
            return next((s for s in variants if records[s].look.skeleton == look.skeleton), None)
        return None

    def add(
        self,
        look: Look,
        via: tuple[str, ...],
        url: str,
        has_dialog: bool,
        goal: bool,
        funnel: bool = False,
        answer: str | None = None,
    ) -> StateRecord:
        record = StateRecord(f"s{len(self.records)}", look, via, url, has_dialog, goal, funnel, answer=answer)
        self.records[record.id] = record
        self.by_fingerprint[(look.fingerprint, goal)] = record.id
        if look.widget:
            self.by_widget[(look.widget, goal)] = record.id
        self.by_template.setdefault(look.template, []).append(record.id)
        return record

    def fold(self, look: Look, state: str) -> bool:
        """Remember a variant seen as `state`; True when it had not been seen before."""
        key = (look.fingerprint, self.records[state].goal)
        if key in self.by_fingerprint:
            return False
        self.by_fingerprint[key] = state
        return True

    def lands_on(self, look: Look, state: str, goal: bool) -> bool:
        """A restore worked when it shows that screen, or the same page and controls with other (random)
        content: the actions that follow will find the same controls."""
        record = self.records[state].look
        look = replace(look, forward=record.forward)  # a stage of the funnel is found by its own lead
        alike = look.structure == record.structure and not _other_stage(look, record)
        return self.known(look, goal) == state or alike


def _other_stage(look: Look, known: Look) -> bool:
    """Another stage of a funnel: reached inside it, and saying something else first than the screen known."""
    return look.forward and look.lead != known.lead

"""Which action next: every usable control of every new screen becomes a scored item; the best goes next.

A label scores by what it means for this kind of flow (exit words for a cancellation, join words for a
sign-up); on a screen where no label says a word the flow weighs, the button the page puts forward (a dialog's
primary, a funnel step's forward button: structure.py) gains instead. A veil's own buttons score by being the
way past it (refusals first). A choice that may unlock a disabled button gains; a control already offered on
the previous screen (site navigation) or already tried elsewhere loses, unless it is the very control that led
here and still stands after changing the screen (a wizard's "Next step", the way on). Once the path has taken
an exit (for a sign-up: a join) action, every screen after it is in the funnel: its controls, even a "Maybe
later" that is the only way on from a save offer, go before the decoys back at the top of the site (only
controls new on the screen: the site's navigation is no step on). The current screen's best item wins ties
within a small bonus, since taking it costs no restore. Radios of one question are alternatives: once one was
tried, its siblings drop. Every weight is in `Weights`, with why.
"""

from __future__ import annotations

import fnmatch
import itertools
from collections import Counter
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from types import MappingProxyType

from auditor.classify import Vocabulary
from auditor.explore.fingerprint import path_template
from auditor.explore.observe import Observation
from auditor.explore.sidefx import SideEffects
from auditor.explore.structure import Box, primary, wordless
from auditor.graph import Screen, page_of
from auditor.noise import normalise
from auditor.records import CHROME_REGIONS, Control
from auditor.scope import host_allowed, scope_of
from auditor.spec import PURCHASE_KINDS, FlowSpec


@dataclass(frozen=True)
class Weights:
    """Every number the frontier scores with, in one place, each with why it is what it is. The scale: a
    label that says the flow's own word (cancel, join) is 10; everything else is measured against that."""

    # intent -> score for a cancellation ("leave"). An exit word is the goal's own word; a path word ("Account",
    # "Settings", "Manage") is where exits live, ahead of mere progress ("Continue", "Next"); a join word is a
    # decoy here, a keep word a step back, and accepting a save offer the worst step of all: it ends the flow.
    leave: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(
            {"exit": 10, "path": 4, "progress": 2, "join": -2, "neutral": 0, "dismiss": 0, "keep": -4, "offer": -6}
        )
    )
    # intent -> score for a sign-up or purchase ("join"). Sign-up funnels are short and say "Continue" all the
    # way, so progress beats path; an offer is only an upsell here (0), keep is near neutral (-1) and only an
    # exit word clearly leads away (-4).
    join: Mapping[str, int] = field(
        default_factory=lambda: MappingProxyType(
            {"join": 10, "progress": 3, "path": 1, "neutral": 0, "dismiss": 0, "offer": 0, "keep": -1, "exit": -4}
        )
    )
    # a veil's (cookie banner's) own dismiss buttons: the veil swallows every other click, so they go before
    # anything but an exit or join word (10), which on a veiled screen is obscured and skipped anyway.
    veil_dismiss: float = 8
    # plus this for a refusal ("Reject all") over an acceptance: both lift the veil, and the auditor should not
    # consent on the user's behalf. 1 breaks the tie and no more.
    veil_refusal: float = 1
    # a checkbox, select or grouped choice (a reason as a button or card) on a screen with a visible disabled
    # button: it may be what unlocks it (a survey's "Continue"), so it goes before the screen's neutral links,
    # though not before an exit word.
    unlocks: float = 3
    # a control the previous screen offered too (same label, place and href: site navigation): no step on.
    persistent: float = -3
    # a control whose key was already tried on another screen: probably the same action again.
    tried: float = -3
    # a link to the goal URL (the spec's goal.url glob): above any sum without it (10 + 3 + 6 = 19).
    goal_link: float = 20
    # every control new on a screen inside the funnel (after an exit or join action): the goal lies ahead, not
    # in the decoys back at the top of the site; 6 lifts a save offer's "Maybe later" (a keep word, -4) above
    # the site's plain links (0), and a neutral control (0) above a path word off the funnel (4).
    funnel: float = 6
    # per level of depth, taken off an item's score: a mild preference for shallow items, so ties go
    # breadth-first, but four levels cost only one point: a strong word deep down still wins.
    depth: float = 0.25
    # the current screen's best item wins ties within this, since taking it costs no restore (a reload or a
    # replay); it makes up for six levels of depth, yet stays below the 2 between most neighbouring intents, so
    # a better word on another screen still goes first.
    continue_here: float = 1.5
    # off each sibling of a radio once one answer of its question was tried: the answers are alternatives that
    # mostly lead to the same screen; 4 puts them behind the screen's neutral controls but not out of reach.
    sibling: float = 4
    # what a refused form's error asks for (tick the box it names), and then the refused submit again: what
    # the page itself says to do next, so it goes before any word on the screen (10) even when the control
    # was on the previous screen and tried already (-3 -3).
    fix: float = 12
    # a chrome link (header, navigation, footer, an open menu; or a link repeated on another screen) whose
    # words do not relate to the goal: the site's own way around, behind its content (0) but before a keep
    # word (-4): on a real product 30-60 of them stand on every page and would be the whole budget.
    chrome: float = -2
    # the button a screen puts forward when no label on it carries a word the flow weighs (structure.primary:
    # an open dialog's filled button, a funnel step's forward button): a site in a language no pack knows
    # still shows the way on by prominence. Above a path word (4), which is all a filled button could be
    # worth without its words, and above a choice that unlocks a button (3), which only goes first while the
    # button it unlocks is disabled (then it is skipped); a word would outweigh it, but a wordless screen has none.
    primary: float = 5

    def intent_scores(self, direction: str) -> Mapping[str, int]:
        return self.leave if direction == "leave" else self.join


WEIGHTS = Weights()
SHORTCUT_INTENTS = {"leave": {"exit", "path", "progress"}, "join": {"join", "progress"}}
FUNNEL_INTENTS = {"leave": {"exit"}, "join": {"join"}}  # an action of these enters the flow's funnel
MAX_ANSWERS = 4  # of a choice group that gates the way on, how many answers are tried (the first included)
UNSAFE_HREF = ("mailto:", "tel:", "sms:", "javascript:void", "data:", "blob:", "file:")


@dataclass
class Item:
    """One untried control on one screen."""

    state: str
    key: str
    score: float
    intent: str
    depth: int
    order: int
    group: str = ""  # a radio group: alternatives
    must: bool = False  # another answer of a choice already made (a confirm's Cancel): tried even after the goal
    gates: bool = False  # an answer of a choice that gates the way on (a survey): each answer its own state
    opens: bool = False  # ...on the screen where the way on is still closed (a button disabled until answered)
    page: str = ""  # where a plain link goes (graph.page_of its href), "" for anything else
    chrome: bool = False  # a link of the site's chrome: header, nav, footer, an open menu, or shown on other screens
    related: bool = False  # its label is a word of the flow's direction (or it links to the goal URL)

    def priority(self) -> float:
        return self.score - WEIGHTS.depth * self.depth


def same_control(e: Control) -> tuple[str, ...]:
    """Site navigation repeats with the same label *and* place; two "Continue" buttons in different forms of
    consecutive steps are different controls."""
    return (e.key, e.selector, e.href or "")


def sends_chat(obs: Observation, e: Control) -> bool:
    """Is `e` the button that sends a chat's message box (a box in the panel of a message log, its form's)?"""
    return e.kind == "click" and e.tag != "a" and any(f.chat for f in obs.form_around(e)[1])


class Scorer:
    """Turns a new screen's controls into frontier items, counting why the others were left alone."""

    def __init__(self, spec: FlowSpec, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.direction = "leave" if spec.kind == "cancellation" else "join"
        self.purchase = spec.kind in PURCHASE_KINDS
        self.scope = scope_of(spec)
        self.avoid_texts = [a.lower() for a in spec.explore.avoid if not a.startswith("css=")]
        self.goal_url = spec.goal.url
        self.skipped: Counter[str] = Counter()
        self.side_effects = SideEffects(spec, vocab)  # forms that act outside the flow: held back
        self._order = itertools.count(1)
        self._links: dict[tuple[str, str], str] = {}  # a link (page, label) -> the first screen that showed it

    def enters_funnel(self, label: str) -> bool:
        return self.vocab.intent(label) in FUNNEL_INTENTS[self.direction]

    def items(
        self,
        state: str,
        obs: Observation,
        depth: int,
        parent: set[tuple[str, ...]],
        tried: set[str],
        funnel: bool = False,
        answered: bool = False,
        came_by: str | None = None,
        only: Set[str] | None = None,
        came_from: Box | None = None,
        lang: str = "",
        counted: bool = False,
    ) -> list[Item]:
        """`parent`: the previous screen's controls as `same_control` sees them; `answered`: the screen was
        reached by an answer of a gating choice (its other answers still make states of their own); `came_by`:
        the key of the action that led here, `came_from` where its control stood on the previous screen; `only`:
        the keys worth offering (a popup's own items: what lies behind it is the page's, offered there); `lang`:
        the screen's language, whose phrases read its labels first; `counted`: the action that led here only
        changed numbers on the page it was taken on (`counts_only`)."""
        items = []
        unlocks = any(e.kind == "click" and e.visible and not e.enabled for e in obs.elements)
        scores = WEIGHTS.intent_scores(self.direction)
        lead = primary(obs.elements, came_from, came_by) if wordless(obs.elements, self.vocab, scores) else None
        seen_links: set[tuple[str, str]] = set()
        for e in obs.elements:
            if only is not None and e.key not in only:
                continue
            reason = self.skip_reason(e, seen_links, obs.url)
            if not reason and e.usable and self.side_effects.hold(state, obs, e):
                reason = "side effect"
            if reason:
                self.skipped[reason] += 1
                continue
            intent = self.vocab.intent(e.label, lang)
            if intent == "neutral" and self.purchase and self.vocab.matches("basket", e.label):
                intent = "join"  # a purchase's basket ("Cart (1)") is its way on; a sign-up's is a detour
            if intent == "neutral" and self.direction == "leave" and sends_chat(obs, e):
                intent = "exit"  # a chat's Send carries the user's request to cancel (typed by act.py)
            score = float(scores.get(intent, 0)) + (WEIGHTS.primary if e is lead else 0)
            if obs.veil and intent == "dismiss":
                score = WEIGHTS.veil_dismiss + (WEIGHTS.veil_refusal if self.vocab.refuses(e.label) else 0)
            if (e.kind in ("check", "select") or e.group) and unlocks:  # a box, or a reason as a button or card
                score += WEIGHTS.unlocks
            # still there after it changed the screen: a wizard's "Next step"; not a purchase's "Add to basket"
            # whose only change was a count (the badge): again, it only counts up again
            stepper = e.key == came_by and not counted
            persistent = same_control(e) in parent and not stepper
            if persistent:
                score += WEIGHTS.persistent
            if e.key in tried and not stepper:
                score += WEIGHTS.tried
            goal_link = bool(self.goal_url and e.href and fnmatch.fnmatchcase(e.href, self.goal_url))
            if goal_link:
                score += WEIGHTS.goal_link
            related = goal_link or intent in SHORTCUT_INTENTS[self.direction]
            chrome = self._chrome(e, state)
            if chrome and not related:
                score += WEIGHTS.chrome
            if funnel and not persistent:
                score += WEIGHTS.funnel
            group = f"{e.frame}|{e.group}" if e.group else ""
            gates, opens = bool(group) and (unlocks or answered), bool(group) and unlocks
            page = page_of(e.href) if e.href else ""
            order = next(self._order)
            items.append(
                Item(
                    state,
                    e.key,
                    score,
                    intent,
                    depth,
                    order,
                    group,
                    gates=gates,
                    opens=opens,
                    page=page,
                    chrome=chrome,
                    related=related,
                )
            )
        _sort(items)
        return items

    def _chrome(self, e: Control, state: str) -> bool:
        """Whether a link is the site's chrome: it stands in a header, navigation or footer landmark or an open
        menu (`region`; not what a disclosure shows), or another screen showed it too (same page, same words).
        Buttons are not: a header's few buttons open what the page offers (a game's shop, the account menu)."""
        if not e.href:
            return False
        first = self._links.setdefault((page_of(e.href), normalise(e.label)), state)
        return e.region in CHROME_REGIONS or first != state

    def skip_reason(self, e: Control, seen_links: set[tuple[str, str]], here: str = "") -> str | None:
        """Why a control is not worth an action (None: it is). `here`: the screen's URL, to which a chrome link
        may point (the logo on the home page, "Membership FAQ" in the footer of that page): a reload."""
        if not e.visible:
            return "hidden"
        if not e.enabled:
            return "disabled"
        if e.obscured_by:
            return "obscured"
        label = e.label.lower()
        if e.avoided or self.vocab.intent(e.label) == "avoid" or any(a in label for a in self.avoid_texts):
            return "avoided"
        href = e.href
        if href:
            if href.lower().startswith(UNSAFE_HREF):
                return "not a page link"
            if not host_allowed(href, self.scope):
                return "out of scope"
            if href == here and e.region in CHROME_REGIONS:
                return "this page"
            link = (page_of(href), normalise(label))
            if link in seen_links:
                return "duplicate link"
            seen_links.add(link)
        return None


def counts_only(before: Screen, after: Observation) -> bool:
    """Whether a look differs from the screen before it only in its numbers, on a page of the same template:
    an "Add to basket" that raised the badge from 1 to 2, a "+" that raised a quantity. Numbers are abstracted
    as the fingerprints abstract them (noise.normalise: counters, prices)."""
    return (
        path_template(before.url) == path_template(after.url)
        and before.text != after.text
        and normalise(before.text) == normalise(after.text)
    )


class Frontier:
    """The untried items, by screen."""

    def __init__(self, direction: str) -> None:
        self.pending: dict[str, list[Item]] = {}
        self.shortcut_intents = SHORTCUT_INTENTS[direction]
        # what the search for a shorter way left alone, as goal-unrelated: chrome links (by where they go) and
        # other controls (by count); the bound a verdict states (see Explorer.bound)
        self.chrome_left: set[str] = set()
        self.others_left = 0

    def add(self, items: list[Item]) -> None:
        for item in items:
            self.pending.setdefault(item.state, []).append(item)

    def remaining(self) -> int:
        return sum(len(items) for items in self.pending.values())

    def drop(self, state: str) -> int:
        return len(self.pending.pop(state, []))

    def next(
        self,
        current: str | None,
        shorter_than: int | None = None,
        on_the_way: Set[str] | None = None,
        toward: Set[str] = frozenset(),
    ) -> Item | None:
        """The best item. With `shorter_than` (the goal was found that many actions deep), only items that
        could still give a cheaper path toward it are worth an action: a word of the flow's direction, or a
        link to a page on the way to the goal (`toward`: the home page's "See plans" when the way found went
        to the plans page through the account page). With `on_the_way` (a purchase whose
        charge was found: the screens on the ways to a charge), only items that may lead to another charge or
        another way to one: every item of those screens (another shipping option, an add-on unticked, the
        account menu) and buy or progress words anywhere; the rest of the catalogue is no new kind of charge."""
        best: Item | None = None
        best_value = float("-inf")
        for state, items in self.pending.items():
            if shorter_than is not None:
                limit = shorter_than
                keep = [i.must or (i.depth + 1 < limit and (i.related or i.page in toward)) for i in items]
                self._left_alone([i for i, k in zip(items, keep, strict=True) if not k and i.depth + 1 < limit])
                items[:] = [i for i, k in zip(items, keep, strict=True) if k]
            elif on_the_way is not None and state not in on_the_way:
                items[:] = [i for i in items if i.must or i.intent in self.shortcut_intents]
            if not items:
                continue
            top = items[0]
            value = top.priority() + (WEIGHTS.continue_here if state == current else 0)
            if value > best_value or (value == best_value and best is not None and top.order < best.order):
                best, best_value = top, value
        if best is not None:
            self.pending[best.state].pop(0)
            if best.group:
                self._demote_siblings(best)
        return best

    def _left_alone(self, items: list[Item]) -> None:
        for item in items:
            if item.chrome:
                self.chrome_left.add(item.page or item.key)
            else:
                self.others_left += 1

    def insist(self, state: str, keys: frozenset[str]) -> int:
        """The untried items of `state` with these keys go first and are tried even after the goal is found
        (a refused form's fixes, then its submit again: refusal.py; a chat's launcher: explorer.py). Returns
        how many of them are still untried."""
        items = self.pending.get(state, [])
        for item in items:
            if item.key in keys and not item.must:
                item.must, item.score = True, item.score + WEIGHTS.fix
        _sort(items)
        return sum(item.key in keys for item in items)

    def _demote_siblings(self, taken: Item) -> None:
        """The other answers of a group go behind the screen's other controls; of a group that gates the way
        on (a survey), up to MAX_ANSWERS answers in all are tried even after the goal, since they may lead
        different ways (a targeted offer behind one of them)."""
        items = self.pending[taken.state]
        insist = MAX_ANSWERS - 1 if taken.opens and not taken.must else 0
        for item in items:
            if item.group == taken.group:
                item.score -= WEIGHTS.sibling
                if insist and item.gates:
                    item.must, insist = True, insist - 1
        _sort(items)


def _sort(items: list[Item]) -> None:
    items.sort(key=lambda i: (-i.priority(), i.order))

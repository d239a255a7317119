"""The frontier's choices on recorded screens: what a cancellation and a sign-up take first, veils and dialogs,
radio siblings, the funnel, the goal link, skipped controls and the weights' stated reasons."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from auditor.explore.frontier import WEIGHTS, Frontier, Item, Scorer, Weights, counts_only, same_control
from auditor.explore.observe import Observation
from auditor.graph import Screen
from auditor.spec import FlowSpec
from tests.explore_unit.fixtures import load, spec, vocab


def label(item: Item | None) -> str:
    """The normalised label of an item's control, from its key (frame|kind|role|label#n)."""
    assert item is not None
    return item.key.split("|")[-1].rpartition("#")[0]


def usable(obs: Observation) -> set[tuple[str, ...]]:
    """A screen's controls as the explorer hands them on as `parent` (explorer._usable_controls)."""
    return {same_control(e) for e in obs.usable()}


def scored(
    flow: FlowSpec, name: str, *, state: str = "s1", depth: int = 1, parent: str | None = None, **kw: Any
) -> tuple[Scorer, list[Item]]:
    scorer = Scorer(flow, vocab())
    seen = usable(load(parent)) if parent else set()
    return scorer, scorer.items(state, load(name), depth, seen, kw.pop("tried", set()), **kw)


def first(flow: FlowSpec, name: str, **kw: Any) -> str:
    scorer, items = scored(flow, name, **kw)
    frontier = Frontier(scorer.direction)
    frontier.add(items)
    return label(frontier.next("s1"))


@pytest.mark.parametrize(
    ("site", "screen", "leave", "join"),
    [
        ("spa", "spa-home", "settings", "get premium"),
        ("iliad", "iliad-home", "account & lists", "try primebox free"),
    ],
)
def test_same_screen_leave_and_join_go_different_ways(site: str, screen: str, leave: str, join: str) -> None:
    assert first(spec("cancellation", site), screen) == leave
    assert first(spec("signup", site), screen) == join


def test_the_join_button_is_a_decoy_for_a_cancellation() -> None:
    _, items = scored(spec("cancellation", "iliad"), "iliad-home")
    by_label = {label(i): i for i in items}
    assert by_label["try primebox free"].score < by_label["your orders"].score  # below plain site links
    assert by_label["try primebox free"].intent == "join"


def test_a_veil_is_lifted_first_and_refused_rather_than_accepted() -> None:
    for kind in ("cancellation", "signup"):
        scorer, items = scored(spec(kind), "spa-veil")
        assert [label(i) for i in items[:2]] == ["reject all", "accept all"]
        # everything under the veil is obscured, and the cookie-settings panel is not shown yet
        assert scorer.skipped == {"obscured": 9, "hidden": 4}
        assert "settings" not in {label(i) for i in items}


def test_an_open_save_offer_dialog_leads_a_cancellation_out_and_a_signup_in() -> None:
    scorer, items = scored(spec("cancellation"), "spa-offer", funnel=True)
    assert [label(i) for i in items] == ["cancel anyway", "keep plan", "claim offer"]
    assert scorer.skipped["obscured"] == 11  # the page behind the modal
    assert first(spec("signup"), "spa-offer") == "claim offer"


def test_a_control_in_a_shadow_root_below_the_fold_is_scored_like_any_other() -> None:
    _, items = scored(spec("cancellation"), "spa-settings", parent="spa-home")
    manage = next(i for i in items if label(i) == "manage plan")
    element = load("spa-settings").find(manage.key)
    assert element is not None and element.in_shadow and not element.above_fold
    assert manage.score == WEIGHTS.leave["path"]
    # the sidebar was on the previous screen too: site navigation, behind the new path controls
    nav = next(i for i in items if label(i) == "settings")
    assert nav.score == WEIGHTS.leave["path"] + WEIGHTS.persistent
    assert items.index(manage) < items.index(nav)


def test_radios_unlock_the_survey_then_their_siblings_drop() -> None:
    """The survey's Continue is disabled: its radios gain, one is taken, the other answers fall behind; the
    answered survey (another state) then goes on with Continue, not with a second answer."""
    flow = spec("cancellation", avoid=("Sign out",))
    path = {"main|click|link|settings#0", "main|click|button|manage plan#0", "main|click|button|cancel plan#0"}
    scorer, survey = scored(flow, "spa-survey", state="survey", depth=5, parent="spa-offer", tried=path, funnel=True)
    frontier = Frontier(scorer.direction)
    frontier.add(survey)
    taken = frontier.next("survey")
    assert label(taken) == "too expensive" and taken is not None and taken.group == "main|reason"
    siblings = [i for i in frontier.pending["survey"] if i.group == taken.group]
    assert len(siblings) == 3
    assert all(i.score == taken.score - WEIGHTS.sibling for i in siblings)
    assert frontier.pending["survey"][0].group != taken.group  # a sibling is no longer the screen's best

    answered = scorer.items("answered", load("spa-survey-answered"), 6, usable(load("spa-survey")), path, True)
    frontier.add(answered)
    assert label(frontier.next("answered")) == "continue"


def test_the_funnel_puts_maybe_later_before_the_site_navigation() -> None:
    """FitTrack's save offer has no cancel control: its only way on is "Maybe later", a keep word. Off the
    funnel it ranks below the footer links it shares with the account page; after the exit action it ranks
    above them, since they are the same site navigation and get no bonus."""
    flow = spec("cancellation", "fittrack")
    scorer = Scorer(flow, vocab())
    assert scorer.enters_funnel("Cancel membership") and not scorer.enters_funnel("Maybe later")

    def ranks(funnel: bool) -> dict[str, float]:
        items = scored(flow, "fittrack-offer", depth=2, parent="fittrack-account", funnel=funnel)[1]
        return {label(i): i.score for i in items}

    off, on = ranks(False), ranks(True)
    footer = ("help", "privacy", "community guidelines")
    assert all(off["maybe later"] < off[link] for link in footer)
    assert all(on["maybe later"] > on[link] for link in footer)
    assert all(on[link] == off[link] for link in footer)  # shared navigation gets no funnel bonus
    assert on["maybe later"] - off["maybe later"] == WEIGHTS.funnel
    assert on["maybe later"] > on["claim #% off"]


def test_a_link_to_the_goal_url_beats_every_word() -> None:
    assert first(spec("signup", goal_url="*/spa/settings"), "spa-home") == "settings"
    assert first(spec("signup", goal_url="*/spa/nowhere"), "spa-home") == "get premium"


def test_skipped_controls_are_counted_by_reason() -> None:
    scorer, items = scored(spec("signup", "iliad", avoid=("privacy",)), "iliad-signup")
    labels = [label(i) for i in items]
    # "PrimeBox Music" is on another origin; the footer's second "Conditions of use" is the same link
    assert scorer.skipped == {"out of scope": 1, "duplicate link": 1, "avoided": 1}
    assert labels == ["start my free trial", "primebox", "conditions of use"]
    scorer, items = scored(spec("cancellation", "iliad"), "iliad-home")
    assert scorer.skipped["avoided"] == 1 and "sign out" not in {label(i) for i in items}  # vocabulary: avoid


def test_a_key_tried_elsewhere_loses() -> None:
    _, fresh = scored(spec("cancellation"), "spa-home")
    _, tried = scored(spec("cancellation"), "spa-home", tried={"main|click|link|settings#0"})
    before = next(i for i in fresh if label(i) == "settings")
    after = next(i for i in tried if label(i) == "settings")
    assert after.score == before.score + WEIGHTS.tried < before.score


def test_the_current_screen_wins_ties_but_not_better_words() -> None:
    """Two looks of the same start screen as two states: the earlier item wins a tie, unless the page already
    shows the other one (no restore needed); a better word on another screen still beats the bonus."""
    flow = spec("cancellation", "iliad")
    scorer = Scorer(flow, vocab())
    for current, expected in ((None, "a"), ("b", "b")):
        frontier = Frontier(scorer.direction)
        frontier.add(scorer.items("a", load("iliad-home"), 1, set(), set()))
        frontier.add(scorer.items("b", load("iliad-home-again"), 1, set(), set()))
        taken = frontier.next(current)
        assert taken is not None and taken.state == expected and label(taken) == "account & lists"

    frontier = Frontier(scorer.direction)
    frontier.add(scorer.items("offer", load("fittrack-offer"), 1, set(), set()))  # best: a plain link, 0
    frontier.add(scorer.items("home", load("iliad-home"), 1, set(), set()))  # best: a path word, 4
    taken = frontier.next("offer")
    assert taken is not None and taken.state == "home"


def test_once_the_goal_is_found_only_shortcuts_remain() -> None:
    flow = spec("cancellation")
    scorer = Scorer(flow, vocab())
    frontier = Frontier(scorer.direction)
    frontier.add(scorer.items("home", load("spa-home"), 0, set(), set()))
    frontier.add(scorer.items("deep", load("spa-plan"), 3, set(), set()))
    taken = frontier.next("deep", shorter_than=3)  # "Cancel plan" is too deep to make a cheaper path
    assert taken is not None and (taken.state, label(taken)) == ("home", "settings")
    assert frontier.next("home", shorter_than=3) is None  # the rest are neutral links: no shortcut
    assert frontier.remaining() == 0


def test_a_checkout_goes_on_before_its_links() -> None:
    _, items = scored(spec("purchase", "cartly"), "cartly-checkout")
    by_label = {label(i): i for i in items}
    assert by_label["continue"].intent == "progress"
    assert by_label["continue"].score > max(by_label[x].score for x in ("cartly", "change", "details"))
    # the pre-ticked add-on and trial are controls to try as well (unticking them is an alternative)
    assert {"add #-year protection plan (+$#/month)", "start cartly plus free trial"} <= set(by_label)


def test_the_weights_keep_their_stated_reasons() -> None:
    """Each weight's comment in `Weights` says why it is what it is; these are those reasons, checked."""
    w = WEIGHTS
    for scores, own in ((w.leave, "exit"), (w.join, "join")):
        assert max(scores.values()) == scores[own] == 10
        assert w.goal_link > scores[own] + w.unlocks + w.funnel
        assert w.veil_dismiss + w.veil_refusal < scores[own]
    assert w.leave["path"] > w.leave["progress"] and w.join["progress"] > w.join["path"]
    assert min(w.leave.values()) == w.leave["offer"]
    assert w.unlocks - w.sibling < 0  # an answered question's other answers fall below neutral controls
    assert w.leave["keep"] + w.funnel > 0 and w.funnel > w.leave["path"]
    assert w.continue_here == 6 * w.depth and w.continue_here < 2
    assert w.leave["keep"] < w.chrome < w.leave["neutral"]  # chrome: behind the content, before a step back
    assert 4 * w.depth == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.funnel = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        w.leave["exit"] = 0  # type: ignore[index]
    assert Weights() == w


def in_nav(obs: Observation, *labels: str) -> Observation:
    """The screen with these controls moved into a navigation landmark (as the probe marks them: `region`)."""
    marked = [dataclasses.replace(e, region="nav") if e.label in labels else e for e in obs.elements]
    return dataclasses.replace(obs, elements=marked)


def test_chrome_unrelated_to_the_goal_goes_behind_the_content() -> None:
    scorer = Scorer(spec("cancellation"), vocab())
    home = in_nav(load("spa-home"), "Discover", "Library", "Settings")
    by_label = {label(i): i for i in scorer.items("home", home, 0, set(), set())}
    assert by_label["discover"].chrome and not by_label["discover"].related
    assert by_label["discover"].score == WEIGHTS.chrome < by_label["play"].score == 0  # content first
    assert by_label["settings"].chrome and by_label["settings"].related  # a path word: a shortcut candidate
    assert by_label["settings"].score == WEIGHTS.leave["path"]
    assert not by_label["help"].chrome  # outside the landmarks, and on one screen so far ...
    again = {label(i): i for i in scorer.items("other", load("spa-home"), 1, set(), set())}
    assert again["help"].chrome  # ... but a link another screen shows too is chrome there


def test_the_search_for_a_shorter_way_counts_what_it_left_alone() -> None:
    scorer = Scorer(spec("cancellation"), vocab())
    frontier = Frontier(scorer.direction)
    frontier.add(scorer.items("home", in_nav(load("spa-home"), "Discover", "Library", "Help"), 0, set(), set()))
    taken = frontier.next("home", shorter_than=3)
    assert taken is not None and label(taken) == "settings"
    assert frontier.next("home", shorter_than=3) is None
    assert len(frontier.chrome_left) == 3  # Discover, Library, Help: by where they lead
    assert frontier.others_left == 4  # Tunely, Home, Play and "Get Premium" (a join word: a decoy here)


def test_the_basket_is_a_purchase_s_way_on_and_a_sign_up_s_detour() -> None:
    """A header's "Cart (1)" (a `basket` phrase, the whole label) weighs as a join word in a purchase, where the
    basket leads to the order, and stays neutral in a sign-up, where it leads into the shop."""
    screen = load("spa-home")
    cart = dataclasses.replace(
        next(e for e in screen.elements if e.usable), key="main|click|link|cart (1)#0", label="Cart (1)"
    )
    screen.elements.append(cart)

    def intent(kind: str) -> str:
        items = Scorer(spec(kind), vocab()).items("s1", screen, 1, set(), set())
        return next(i.intent for i in items if i.key == cart.key)

    assert intent("purchase") == "join"
    assert intent("signup") == "neutral"
    assert intent("cancellation") == "neutral"


def test_a_purchase_s_add_to_basket_that_only_counted_up_is_no_stepper() -> None:
    """A look that differs from the screen before only in its numbers (the basket badge 1 -> 2) on the same
    page: the "Add to basket" that made it, still there, counts up again if taken again, so it loses as any
    control tried and shown before does; a wizard's "Next step" that changed the words stays a stepper."""
    before = load("spa-home")
    add = dataclasses.replace(
        next(e for e in before.elements if e.usable), key="main|click|button|add to basket#0", label="Add to basket"
    )
    before.elements.append(add)
    screen = Screen(id="s0", fingerprint="f0", url=before.url, text="Basket 1 " + before.text, elements=())
    after = dataclasses.replace(before, text="Basket 2 " + before.text)
    moved = dataclasses.replace(before, text="Step 2: your address " + before.text)
    assert counts_only(screen, after) and not counts_only(screen, moved)
    assert not counts_only(screen, dataclasses.replace(after, url=before.url + "basket"))

    def score(counted: bool) -> float:
        items = Scorer(spec("purchase"), vocab()).items(
            "s1", after, 1, usable(before), {add.key}, came_by=add.key, counted=counted
        )
        return next(i.score for i in items if i.key == add.key)

    assert score(counted=True) == score(counted=False) + WEIGHTS.persistent + WEIGHTS.tried

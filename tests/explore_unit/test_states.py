"""State identity on recorded screens: noise folds, dialogs and unlocked controls split, traps fold, a goal
screen stays apart. (tests/test_fingerprint.py covers the normalisers on strings; these are real screens.)"""

from __future__ import annotations

from dataclasses import replace

from auditor.explore.fingerprint import near_duplicate, path_template
from auditor.explore.observe import Observation
from auditor.explore.states import MAX_VARIANTS, Look, StateIndex
from auditor.records import Control
from tests.explore_unit.fixtures import OBSERVATIONS, load


def index_of(*names: str, goal: bool = False) -> tuple[StateIndex, list[str]]:
    states = StateIndex()
    ids = [states.add(Look.of(load(n)), (), load(n).url, load(n).dialog is not None, goal).id for n in names]
    return states, ids


def test_the_same_screen_with_other_noise_is_the_same_state() -> None:
    first, again = load("iliad-home"), load("iliad-home-again")
    assert first.text != again.text  # a visitor count and the clock changed between the two sessions
    assert first.elements[-1].href != again.elements[-1].href  # and a ?ref= token in a link
    states, (home,) = index_of("iliad-home")
    assert Look.of(again).fingerprint == Look.of(first).fingerprint
    assert states.known(Look.of(again), goal=False) == home


def test_a_random_word_no_normaliser_sees_is_absorbed_but_a_message_is_not() -> None:
    page = load("spa-survey")
    states, (survey,) = index_of("spa-survey")
    noisy = replace(page, text=page.text.replace("Night Drive", "Night zlqdbcza"))
    toast = replace(page, text=page.text + " Your plan has been cancelled")
    assert Look.of(noisy).fingerprint != Look.of(page).fingerprint  # the word survives normalisation...
    assert states.known(Look.of(noisy), goal=False) == survey  # ...and is absorbed as a near duplicate
    assert states.known(Look.of(toast), goal=False) is None


def test_an_open_dialog_is_another_state_on_the_same_url() -> None:
    closed, opened = load("spa-plan"), load("spa-offer")
    assert closed.url == opened.url and closed.dialog is None and opened.dialog is not None
    states, (plan,) = index_of("spa-plan")
    look = Look.of(opened)
    assert look.fingerprint != states[plan].look.fingerprint
    assert look.template != states[plan].look.template  # not even a variant of the plan page
    assert states.known(look, goal=False) is None
    assert not states.lands_on(look, plan, goal=False)  # a restore that shows the dialog has not landed


def test_the_cookie_veil_is_a_screen_of_its_own() -> None:
    states, (home,) = index_of("spa-home")
    veiled = load("spa-veil")
    assert veiled.url == states[home].url and veiled.veil
    assert states.known(Look.of(veiled), goal=False) is None


def test_an_answered_survey_that_unlocks_continue_is_another_state() -> None:
    before, after = load("spa-survey"), load("spa-survey-answered")
    assert "button|continue|off|" in before.signature() and "button|continue|on|" in after.signature()
    assert "radio:reason=false" in before.signature() and "radio:reason=true" in after.signature()
    states, _ = index_of("spa-survey")
    assert states.known(Look.of(after), goal=False) is None


def test_an_endless_listing_folds_into_its_first_page_after_max_variants() -> None:
    recorded = sorted(OBSERVATIONS.glob("iliad-deals-*.json"))
    assert len(recorded) == MAX_VARIANTS + 1, "re-record: python -m tests.explore_unit.record"
    pages = [load(f"iliad-deals-{n}") for n in range(1, MAX_VARIANTS + 2)]
    looks = [Look.of(p) for p in pages]
    assert len({path_template(p.url) for p in pages}) == 1 and len({look.template for look in looks}) == 1
    assert not near_duplicate(looks[0].words, looks[1].words)  # eight new random deals on every page
    states = StateIndex()
    ids = []
    for page, look in zip(pages[:MAX_VARIANTS], looks, strict=False):
        assert states.known(look, goal=False) is None  # each of the first pages is a new state
        ids.append(states.add(look, (), page.url, False, False).id)
    last = looks[MAX_VARIANTS]
    assert states.known(last, goal=False) == ids[0]  # the next one is the trap: it folds into the first
    assert states.fold(last, ids[0]) and not states.fold(last, ids[0])  # a new variant once, then known
    assert len(states) == MAX_VARIANTS


def test_distinct_content_on_one_url_is_never_folded_as_a_trap() -> None:
    """A single-URL app's next step (a card form revealed in place) has the template of the screens before it
    but offers other buttons and fields: it is a new state, not a trap's next page, however many variants the
    template holds; a page that offers what the variants offer still folds."""
    pages = [load(f"iliad-deals-{n}") for n in range(1, MAX_VARIANTS + 2)]
    states = StateIndex()
    ids = [states.add(Look.of(p), (), p.url, False, False).id for p in pages[:MAX_VARIANTS]]
    last = pages[MAX_VARIANTS]
    search = next(f for f in last.fields)
    step = replace(last, fields=[replace(search, label="Name on card", name="cardname", placeholder="")])
    assert Look.of(step).template == Look.of(last).template  # the same page, heading and shape of controls
    assert states.known(Look.of(step), goal=False) is None
    renamed = [replace(e, label="Continue") if e.label == "Search" else e for e in last.elements]
    assert states.known(Look.of(replace(last, elements=renamed)), goal=False) is None
    assert states.known(Look.of(last), goal=False) == ids[0]


def test_a_restore_of_a_listing_lands_though_its_content_changed() -> None:
    """Reloading page 1 of the deals shows other random deals: the same page and controls, so the actions
    still to take there will find their controls; it is a successful restore, not a new screen."""
    states, (deals,) = index_of("iliad-deals-1")
    reloaded = Look.of(load("iliad-deals-2"))
    assert states.known(reloaded, goal=False) is None
    assert states.lands_on(reloaded, deals, goal=False)
    assert not states.lands_on(Look.of(load("iliad-home")), deals, goal=False)


def test_a_goal_screen_never_merges_with_its_lookalike() -> None:
    """Landing back on the start page after cancelling is the goal: the same look, another state."""
    states, (home,) = index_of("iliad-home")
    look = Look.of(load("iliad-home-again"))
    assert states.known(look, goal=False) == home
    assert states.known(look, goal=True) is None
    goal = states.add(look, ("x",), load("iliad-home-again").url, False, True).id
    assert goal != home and states.known(look, goal=True) == goal and states.known(look, goal=False) == home


def test_a_funnel_stage_that_says_something_else_first_is_a_state_of_its_own() -> None:
    """Two stages with the same buttons and a word or two of difference: outside the funnel a near duplicate
    (random words), inside it another stage when the lead differs, and the same stage seen again is known."""
    page = load("spa-survey")
    states = StateIndex()
    first = replace(page, lead="Are you sure?", text="Are you sure? " + page.text)
    stage = states.add(Look.of(first).in_funnel(), (), first.url, False, False, funnel=True).id
    later = replace(page, lead="Still sure?", text="Still sure? " + page.text)
    assert states.known(Look.of(later), goal=False) == stage  # a word or two: folded, as random words are
    assert states.known(Look.of(later).in_funnel(), goal=False) is None  # past a forward action: a new stage
    assert not states.lands_on(Look.of(later), stage, goal=False)  # nor does a restore that shows it land
    again = replace(first, text=first.text.replace("Night Drive", "Night zlqdbcza"))
    assert states.known(Look.of(again).in_funnel(), goal=False) == stage  # noise still folds


def with_menu(name: str, expanded: str | None = "true") -> Observation:
    """A recorded screen with an account menu opened over it: its button expanded, its items a popup."""
    obs = load(name)
    button = Control(key="main|click|button|my account#0", kind="click", label="My account", expanded=expanded)
    items = [
        Control(key=f"main|click|menuitem|{w.lower()}#0", kind="click", label=w, role="menuitem", region="menu")
        for w in ("Profile", "Membership")
    ]
    return replace(obs, elements=[*obs.elements, button, *items])


def test_a_menu_opened_by_the_same_control_is_one_screen_over_every_page() -> None:
    key = "main|click|button|my account#0"
    home, plan = with_menu("spa-home"), with_menu("spa-plan")
    assert home.url != plan.url or home.text != plan.text
    states = StateIndex()
    first = states.add(Look.of(home).opened_by(home, key), (key,), home.url, False, False).id
    assert states.known(Look.of(plan).opened_by(plan, key), goal=False) == first
    closed = with_menu("spa-plan", expanded="false")  # the button did not open it: the page itself
    assert Look.of(closed).opened_by(closed, key).widget is None
    assert Look.of(plan).opened_by(plan, "main|click|link|settings#0").widget is None  # another control


def test_a_quantity_or_a_basket_count_makes_a_screen_of_its_own_within_four_buckets() -> None:
    """The stepper's "+" (one -> two) and a filled basket's badge are other screens; the amounts are words in
    buckets (none, one, two, many), so three and seven are one screen, and a page of the shop already seen
    MAX_VARIANTS times (a trap folds by skeleton) does not swallow a basket of another size."""
    page = load("spa-survey")

    def shop(quantity: str, badge: str):
        return replace(page, form_state=[*page.form_state, f"amount:Quantity={quantity}", f"badge:Basket={badge}"])

    one, two = Look.of(shop("one", "none")), Look.of(shop("two", "none"))
    assert one.fingerprint != two.fingerprint and one.skeleton != two.skeleton
    assert Look.of(shop("one", "one")).fingerprint != one.fingerprint
    many = shop("many", "none")
    assert many.amounts() == {"amount:quantity=many", "badge:basket=none"}
    states = StateIndex()
    for n, badge in enumerate(["none", "one", "two", "many"]):
        states.add(Look.of(shop("one", badge)), (str(n),), page.url, False, False)
    assert states.known(two, goal=False) is None  # not folded into a basket of one like a listing's page 7
    assert states.known(Look.of(shop("one", "two")), goal=False) is not None

"""The rest of a catalogue is not clicked: past a purchase's first charge (explorer.more_of_the_same), and in any
flow once alike controls gave the same outcome twice (explorer.same_outcome_again)."""

from __future__ import annotations

from dataclasses import replace

from auditor.explore.frontier import Item
from auditor.explore.needless import more_of_the_same, needless_click, same_outcome_again, tried_elsewhere
from auditor.graph import Action, FlowGraph, Screen
from auditor.records import Control
from tests.graphs import add_edges

BASE = "http://shop.test/#/"
CARD = "div.grid div.card p.title"


def card(n: int) -> Control:
    return Control(key=f"main|click|generic|product {n}#0", kind="click", label=f"Product {n}", tag="p", selector=CARD)


def shop() -> FlowGraph:
    """A listing (s0) with five product cards, two of them clicked (product pages s1, s2); a colour choice."""
    graph = FlowGraph()
    colour = Control(key="main|check|radio|red#0", kind="check", label="Red", role="radio", tag="input", selector=CARD)
    listing = (*(card(n) for n in range(1, 6)), colour)
    graph.add_screen(Screen(id="s0", fingerprint="f0", url=BASE + "shopping", elements=listing))
    for n in (1, 2):
        graph.add_screen(Screen(id=f"s{n}", fingerprint=f"f{n}", url=f"{BASE}product/{n}"))
    add_edges(graph, [("s0", "s1", "Product 1"), ("s0", "s2", "Product 2")])
    return graph


def item(key: str, intent: str = "neutral") -> Item:
    return Item(state="s0", key=key, score=0, intent=intent, depth=0, order=1)


def test_the_third_card_of_a_list_whose_cards_led_to_one_page_template_is_more_of_the_same() -> None:
    assert more_of_the_same(shop(), item(card(3).key))


def test_a_choice_a_word_of_the_flow_or_a_must_is_always_tried() -> None:
    graph = shop()
    assert not more_of_the_same(graph, item("main|check|radio|red#0"))  # another option may change the charge
    assert not more_of_the_same(graph, item(card(3).key, intent="join"))  # "Buy now"
    assert not more_of_the_same(graph, Item("s0", card(3).key, 0, "neutral", 0, 1, must=True))


def test_one_card_seen_or_cards_leading_to_different_pages_are_not_yet_a_catalogue() -> None:
    graph = shop()
    graph.add_screen(Screen(id="s3", fingerprint="f3", url=BASE + "help"))
    add_edges(graph, [("s0", "s3", "Product 3")])  # alike controls, but another page: a menu, not a list
    assert not more_of_the_same(graph, item(card(4).key))
    single = FlowGraph()
    single.add_screen(Screen(id="s0", fingerprint="f0", url=BASE + "shopping", elements=(card(1), card(2))))
    single.add_screen(Screen(id="s1", fingerprint="f1", url=BASE + "product/1"))
    add_edges(single, [("s0", "s1", "Product 1")])
    assert not more_of_the_same(single, item(card(2).key))


def test_a_goal_screen_keeps_every_control_for_the_way_back() -> None:
    graph = shop()
    graph.mark_goal("s0")
    assert not more_of_the_same(graph, item(card(3).key))


def buy(n: int) -> Control:
    """The n-th "Buy now" of a product grid: one label and one selector, told apart by index only."""
    return Control(
        key=f"main|click|button|buy now#{n}", kind="click", label="Buy now", tag="button", selector="div.grid button"
    )


def grid(targets: list[str]) -> FlowGraph:
    """A grid (s0) of five "Buy now" buttons; the first ones clicked led to `targets` (in order)."""
    graph = FlowGraph()
    graph.add_screen(Screen(id="s0", fingerprint="f0", url=BASE + "shop", elements=tuple(buy(n) for n in range(5))))
    for target in sorted(set(targets) - {"s0"}):
        graph.add_screen(Screen(id=target, fingerprint="f" + target, url=BASE + target))
    for n, target in enumerate(targets):
        action = Action(buy(n).key, "click", "Buy now", "button", "div.grid button", buy(n), order=n)
        graph.add_action("s0", target, action)
    return graph


def test_alike_controls_that_led_to_one_screen_twice_are_the_same_outcome_again_in_any_flow() -> None:
    """Before any charge too, even for a word of the flow: two "Buy now" that both led to the same screen (the
    basket badge went up) make the third the same action on another product."""
    assert same_outcome_again(grid(["s1", "s1"]), item(buy(2).key, intent="join"))
    assert needless_click(grid(["s1", "s1"]), item(buy(2).key, intent="join"), charged=False) == "same outcome again"
    assert not same_outcome_again(grid(["s1"]), item(buy(1).key, intent="join"))  # one is no list yet
    assert not same_outcome_again(grid(["s1", "s2"]), item(buy(2).key, intent="join"))  # outcomes differ: all tried
    assert not same_outcome_again(grid(["s1", "s1"]), Item("s0", buy(2).key, 0, "join", 0, 1, must=True))


def test_a_short_list_of_alike_controls_is_tried_in_full() -> None:
    """Three "Choose" buttons, one per answer of a question: two led back to the same screen, yet the third may
    be the one that leads on (a question's answers differ where a grid's products do not)."""
    graph = grid(["s1", "s1"])
    short = Screen(id="s0", fingerprint="f0", url=BASE + "shop", elements=tuple(buy(n) for n in range(3)))
    graph.replace_screen(short)
    assert not same_outcome_again(graph, item(buy(2).key, intent="join"))


def test_alike_controls_that_acted_in_place_twice_are_the_same_outcome_again() -> None:
    """One product of the grid goes to the basket page, two others only raised the badge (screens of the
    grid's own page): the rest act in place too."""
    graph = grid(["s1", "basket", "s0"])
    graph.replace_screen(Screen(id="s1", fingerprint="f1", url=BASE + "shop"))
    assert same_outcome_again(graph, item(buy(3).key, intent="join"))
    assert not same_outcome_again(grid(["s1", "basket", "s0"]), item(buy(3).key, intent="join"))


def test_past_a_charge_a_click_taken_on_another_screen_is_not_taken_again() -> None:
    """The header's "Account" was clicked on the listing; on the basket page it is the same way again. A
    choice, a word of the flow, a must or a goal screen's control is still tried; before a charge, all are."""
    account = Control(
        key="main|click|link|account#0", kind="click", label="Account", role="link", tag="a", selector="header a"
    )
    tea = Control(
        key="main|check|radio|tea#0", kind="check", label="Tea", role="radio", tag="input", selector="form input"
    )
    graph = FlowGraph()
    graph.add_screen(Screen(id="s0", fingerprint="f0", url=BASE + "shop", elements=(account, tea)))
    graph.add_screen(Screen(id="s1", fingerprint="f1", url=BASE + "basket", elements=(account, tea)))
    graph.add_screen(Screen(id="s2", fingerprint="f2", url=BASE + "account"))
    add_edges(graph, [("s0", "s2", "Account"), ("s0", "s1", "Tea")])
    again = Item("s1", account.key, 0, "path", 1, 1)
    assert needless_click(graph, again, charged=True) == "tried elsewhere"
    assert needless_click(graph, again, charged=False) == ""
    assert not tried_elsewhere(graph, Item("s1", tea.key, 0, "neutral", 1, 1))  # a choice may change the charge
    assert not tried_elsewhere(graph, Item("s1", account.key, 0, "path", 1, 1, must=True))
    graph.mark_goal("s1")
    assert not tried_elsewhere(graph, again)


def listing() -> FlowGraph:
    """A listing (s0, the way to the charge) with category filters and a "Buy now"; two filters led to other views
    of the listing (s1, s2), where "Buy now" once raised the badge in place (s1 -> s3); s0 -> basket -> charge."""
    row = "div.filters button"
    filters = tuple(
        Control(key=f"main|click|button|{c.lower()}#0", kind="click", label=c, tag="button", selector=row)
        for c in ("Notebooks", "Paper", "Crafts")
    )
    add = Control(key="main|click|button|buy now#0", kind="click", label="Buy now", tag="button", selector="div.card b")
    graph = FlowGraph()
    for n in range(4):
        graph.add_screen(Screen(id=f"s{n}", fingerprint=f"f{n}", url=BASE + "products", elements=(*filters, add)))
    pay = Control(key="main|click|button|pay#0", kind="click", label="Pay", tag="button", selector="form button")
    graph.add_screen(Screen(id="basket", fingerprint="fb", url=BASE + "basket", elements=(pay,)))
    graph.add_screen(Screen(id="paid", fingerprint="fp", url=BASE + "thanks"))
    graph.mark_goal("paid")
    add_edges(graph, [("s0", "basket", "Buy now"), ("basket", "paid", "Pay")])
    for n, target in ((0, "s1"), (1, "s2")):
        graph.add_action("s0", target, Action(filters[n].key, "click", filters[n].label, "button", row))
    graph.add_action("s1", "s3", Action(add.key, "click", "Buy now", "button", "div.card b"))
    return graph


def test_past_a_charge_more_filtered_views_of_a_listing_that_led_to_no_charge_are_more_of_the_same() -> None:
    """Two category filters showed other views of the listing, neither of which led on to a charge: the third
    is the rest of the catalogue. Had a view led on to the charge, every filter would still be tried."""
    graph = listing()
    crafts = Item("s0", "main|click|button|crafts#0", 0, "neutral", 0, 1)
    assert needless_click(graph, crafts, charged=True) == "more of the same"
    assert needless_click(graph, crafts, charged=False) == ""
    add_edges(graph, [("s2", "basket", "Buy now")])
    assert not more_of_the_same(graph, crafts)


def test_past_a_charge_buy_now_taken_on_another_view_of_the_listing_is_not_taken_again() -> None:
    """ "Buy now" was taken on two other views of the listing (to the basket, and in place, raising the badge):
    on a third view it is one more item into the same basket, even as a word of the flow. Not before a charge,
    not a must, and not once it was taken on no other view of the listing."""
    graph = listing()
    again = Item("s2", "main|click|button|buy now#0", 0, "join", 1, 1)
    assert needless_click(graph, again, charged=True) == "tried elsewhere"
    assert needless_click(graph, again, charged=False) == ""
    assert needless_click(graph, replace(again, must=True), charged=True) == ""
    in_form = graph.screen("s2").elements[-1]
    graph.replace_screen(replace(graph.screen("s2"), elements=(replace(in_form, form=0),)))
    assert needless_click(graph, again, charged=True) == ""  # a form's button sends what its fields hold
    graph = listing()
    graph.g.remove_edge("s1", "s3")
    graph.g.remove_edge("s0", "basket")
    assert needless_click(graph, again, charged=True) == ""

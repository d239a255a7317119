"""Past a purchase's first charge, plain links to pages no way to a charge went through are not clicked
(explorer.off_the_way), but a goal screen keeps a way back for the re-auth probe."""

from __future__ import annotations

from auditor.explore.frontier import Item
from auditor.explore.needless import off_the_way
from auditor.graph import FlowGraph, Screen
from auditor.records import Control
from tests.graphs import add_edges

SHOP = "http://shop.test"


def link(label: str, href: str) -> Control:
    return Control(key=f"main|click|link|{label.lower()}#0", kind="click", label=label, role="link", tag="a",
                   selector="nav a", href=SHOP + href)  # fmt: skip


def button(label: str) -> Control:
    return Control(key=f"main|click|button|{label.lower()}#0", kind="click", label=label, role="button", tag="button")


def shop(thanks_links: tuple[Control, ...]) -> FlowGraph:
    """Product (s0) -> checkout (s1) -> Pay, a charge -> thanks (s2, a goal); terms and help linked around."""
    graph = FlowGraph()
    graph.add_screen(Screen(id="s0", fingerprint="f0", url=SHOP + "/item/7",
                            elements=(button("Buy"), link("Terms", "/terms"), link("Item 8", "/item/8"))))  # fmt: skip
    graph.add_screen(Screen(id="s1", fingerprint="f1", url=SHOP + "/checkout", elements=(button("Pay"),)))
    graph.add_screen(Screen(id="s2", fingerprint="f2", url=SHOP + "/thanks", elements=thanks_links))
    add_edges(graph, [("s0", "s1", "Buy"), ("s1", "s2", "Pay", {"charges": ({"url": SHOP + "/pay"},)})])
    return graph


def item(state: str, control: Control, intent: str = "neutral") -> Item:
    return Item(state=state, key=control.key, score=0, intent=intent, depth=0, order=1)


def test_a_link_to_a_page_off_every_way_to_a_charge_is_not_clicked() -> None:
    graph = shop((link("Help", "/help"), link("Keep shopping", "/item/7")))
    assert graph.goals
    assert off_the_way(graph, item("s0", link("Terms", "/terms")))
    assert off_the_way(graph, item("s2", link("Help", "/help")))  # the thanks page links back to the item


def test_links_on_the_way_buttons_words_of_the_flow_and_musts_are_clicked() -> None:
    graph = shop((link("Keep shopping", "/item/7"),))
    assert not off_the_way(graph, item("s0", link("Item 8", "/item/8")))  # another item: the same page template
    assert not off_the_way(graph, item("s0", button("Buy")))
    assert not off_the_way(graph, item("s0", link("Terms", "/terms"), intent="join"))
    assert not off_the_way(graph, Item("s0", link("Terms", "/terms").key, 0, "neutral", 0, 1, must=True))


def test_a_goal_screen_with_no_link_back_keeps_its_links() -> None:
    graph = shop((link("Help", "/help"), link("Deals", "/deals")))
    assert not off_the_way(graph, item("s2", link("Help", "/help")))

"""Which frontier items are not worth a click: the same outcome again (alike controls of a list, in any flow),
and, once a purchase's charge was found, the rest of the catalogue (more cards of it, more filtered views of
it), a click taken on another screen already (the same "Buy now" on another view of the listing), or a page
off the way to a charge. The explorer asks `needless_click` before each action; the reason it gives is counted in
`exploration.skipped`."""

from __future__ import annotations

import networkx as nx

from auditor.explore.fingerprint import path_template
from auditor.explore.frontier import SHORTCUT_INTENTS, Item
from auditor.graph import FlowGraph

CATALOGUE = 2  # alike controls that led to one page template: past the first charge, more is more of the same
SHORT_LIST = 4  # at most this many alike controls (a question's answers, plan tiers) are cheap to try in full
CHOICE_ROLES = frozenset({"radio", "checkbox", "switch", "option", "menuitemradio", "menuitemcheckbox"})


def needless_click(graph: FlowGraph, item: Item, charged: bool) -> str:
    """Why an item is not clicked ("": it is): the same outcome again, or, once a purchase's charge was found
    (`charged`), the rest of the catalogue or a page off the way."""
    if same_outcome_again(graph, item):
        return "same outcome again"
    if charged and more_of_the_same(graph, item):
        return "more of the same"
    if charged and tried_elsewhere(graph, item):
        return "tried elsewhere"
    return "off the way" if charged and off_the_way(graph, item) else ""


def same_outcome_again(graph: FlowGraph, item: Item) -> bool:
    """In any flow: the next of a list of alike controls (one selector and one label: a product grid's "Buy
    now" buttons, a row of "Add" buttons) of which CATALOGUE were clicked on this screen already, every one
    leading to one and the same screen, or CATALOGUE of them acting in place (the page stayed a page of its
    template: the basket badge went up), is the same action on another item of the list; it is not clicked.
    Never a choice, nor an item that must be tried, nor one of a short list (SHORT_LIST alike controls at most:
    a question's answers, each a "Choose" in its own row): trying it in full costs little, and its items often
    differ where a grid's do not (one answer leads on, the others back)."""
    if item.must:
        return False
    element = next((e for e in graph.screen(item.state).elements if e.key == item.key), None)
    if element is None or element.kind != "click" or element.role in CHOICE_ROLES or not element.selector:
        return False
    alike = [
        e for e in graph.screen(item.state).elements if e.selector == element.selector and e.label == element.label
    ]
    if len(alike) <= SHORT_LIST:
        return False
    targets = [
        target
        for source, target, action in graph.actions()
        if source == item.state
        and action.selector == element.selector
        and action.label == element.label
        and not action.inferred
        and not action.declined
    ]
    here = path_template(graph.screen(item.state).url)
    in_place = [t for t in targets if path_template(graph.screen(t).url) == here]
    return len(targets) >= CATALOGUE and (len(set(targets)) == 1 or len(in_place) >= CATALOGUE)


def tried_elsewhere(graph: FlowGraph, item: Item) -> bool:
    """Past a purchase's first charge: a click (not a choice) already taken on another screen is the same way
    again from another page of the purchase; what it leads to was seen, so it is not clicked. The same control
    is the same key (the header's "Account", a product link the listing showed too), or, even for a word of
    the flow, the same label and selector on another screen of this page template: "Buy now" on a filtered or
    sorted view of the listing is one more item into the same basket, by the same way on; not a form's button
    (it sends what the form's fields hold: the ticked box on one screen of the form, not on another). Never a
    word of the flow by key alone (one "Continue" on each step of a checkout), an item that must be tried, or
    a control of a goal screen (the way back the re-auth probe takes)."""
    if item.must or item.state in graph.goals:
        return False
    element = next((e for e in graph.screen(item.state).elements if e.key == item.key), None)
    if element is None or element.kind != "click" or element.role in CHOICE_ROLES:
        return False
    here, word = path_template(graph.screen(item.state).url), item.intent in SHORTCUT_INTENTS["join"]
    return any(
        (action.key == item.key and not word)
        or (
            element.selector
            and element.form is None  # a form's button sends what its fields hold, which differs by screen
            and (action.selector, action.label) == (element.selector, element.label)
            and path_template(graph.screen(source).url) == here
        )
        for source, _, action in graph.actions()
        if source != item.state and not action.inferred
    )


def more_of_the_same(graph: FlowGraph, item: Item) -> bool:
    """Past a purchase's first charge: the next of a list of alike controls (the same selector: product cards,
    their prices, a listing's category filters) of which CATALOGUE were clicked on this screen already is the
    rest of the catalogue, and not clicked, when every one led to a screen of one other page template
    (`path_template`: ids and numbers abstracted), the same kind of page, so no new kind of charge; or when
    every one acted in place (another view of this page: a filter) and none of those views led on to a
    charge. Never a choice (another shipping option may change the charge), a word of the flow (buy, go on),
    an item that must be tried, or a control of a goal screen (its links are the way back that the re-auth
    probe takes)."""
    if item.must or item.intent in SHORTCUT_INTENTS["join"] or item.state in graph.goals:
        return False
    element = next((e for e in graph.screen(item.state).elements if e.key == item.key), None)
    if element is None or element.kind != "click" or element.role in CHOICE_ROLES or not element.selector:
        return False
    targets = [
        target
        for source, target, action in graph.actions()
        if source == item.state and target != source and action.selector == element.selector and not action.inferred
    ]
    taken = {path_template(graph.screen(target).url) for target in targets}
    if len(targets) < CATALOGUE or len(taken) != 1:
        return False
    here = path_template(graph.screen(item.state).url)
    return here not in taken or not set(targets) & on_the_way_to_goals(graph)


def off_the_way(graph: FlowGraph, item: Item) -> bool:
    """Past a purchase's first charge: a plain link to a page of a template that no way to a charge went
    through (terms, help, another section of the shop) leads away from the purchase, and a gate or a charge
    behind it would be reached by a word of the flow; it is not clicked. Never a word of the flow (buy, go
    on), an item that must be tried, or a link of a goal screen with no link back to a page on the way to a
    charge (the re-auth probe needs a way back)."""
    if item.must or item.intent in SHORTCUT_INTENTS["join"]:
        return False
    element = next((e for e in graph.screen(item.state).elements if e.key == item.key), None)
    if element is None or element.kind != "click" or element.role != "link" or not element.href:
        return False
    on_the_way = on_the_way_to_goals(graph)
    if path_template(element.href) in {path_template(graph.screen(s).url) for s in on_the_way}:
        return False
    back = {path_template(graph.screen(s).url) for s in on_the_way - set(graph.goals)}
    screen = graph.screen(item.state)
    return item.state not in graph.goals or any(
        e.role == "link" and e.href and path_template(e.href) in back for e in screen.elements
    )


def on_the_way_to_goals(graph: FlowGraph) -> set[str]:
    """The goal screens and every screen on a way to one: for a purchase whose charge was found, where
    another charge or another way to one may still be (see Frontier.next)."""
    return set(graph.goals).union(*(nx.ancestors(graph.g, goal) for goal in graph.goals))

"""e2e on Planr (tests/sites/planr/, issue 13 item 6): controls as component libraries build them. One audit of
tests/realworld_flows/planr.yaml on real Chromium; then, per pattern, that its control was found the general
way (ARIA roles, listeners seen by the init script, geometry) and taken on the cheapest path:

- a menu trigger that is a div with aria-haspopup, opening on hover or click, its role=menu in a portal;
- a role=tablist whose "Plan" tab sits under the fixed header after a deep-link scroll (a click that scrolls
  would reveal it, so it is not covered);
- a section rendered only when scrolled into view (IntersectionObserver), holding an aria-expanded accordion;
- "Cancel subscription": a div with nothing but a click listener (no role, no tabindex, no pointer cursor),
  hidden while its accordion is collapsed (height 0, overflow hidden);
- a role=dialog in a portal at the end of <body>, over an overlay, without aria-modal: a modal all the same;
- a custom select: a role=combobox div whose role=listbox of role=option items opens in a portal of its own;
- a role=switch; and the exit as one link among 60 in the footer (a longer, alternative path).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from auditor.graph import FlowGraph
from auditor.records import Control
from auditor.run import RunResult, run
from auditor.spec import load_specs
from tests.conftest import TESTS

pytestmark = pytest.mark.e2e

SPEC = TESTS / "realworld_flows" / "planr.yaml"
REASONS = {"Too expensive", "Missing features", "Moving to another tool", "Our team is shrinking", "Something else"}
KNOWN_PATH = [  # (action, role, label); the reason may be any of REASONS
    ("click", "generic", "Account menu"),
    ("click", "menuitem", "Billing"),
    ("click", "tab", "Plan"),
    ("click", "generic", "Advanced"),
    ("click", "generic", "Cancel subscription"),
    ("click", "combobox", "Reason for leaving"),
    ("click", "option", "<reason>"),
    ("click", "button", "Continue"),
    ("check", "switch", "Keep my projects for 30 days"),
    ("click", "button", "Confirm cancellation"),
]
HEADER_HEIGHT = 64  # planr's fixed header, CSS px


@pytest.fixture(scope="module")
def planr(sites_server, tmp_path_factory) -> tuple[RunResult, Path]:
    out = tmp_path_factory.mktemp("planr-report")
    old = os.environ.get("DEMO_URL")
    os.environ["DEMO_URL"] = sites_server.url  # the spec's ${DEMO_URL}, expanded when it is loaded
    try:
        specs = load_specs([SPEC])
    finally:
        if old is None:
            os.environ.pop("DEMO_URL", None)
        else:
            os.environ["DEMO_URL"] = old
    return run(specs, out), out


@pytest.fixture(scope="module")
def flow(planr) -> dict[str, Any]:
    return planr[0].report["flows"][0]


@pytest.fixture(scope="module")
def graph(planr, flow) -> FlowGraph:
    return FlowGraph.load(planr[1] / flow["graph"])


def _step(graph: FlowGraph, flow: dict[str, Any], n: int) -> tuple[str, str, Control]:
    """Step n (1-based) of the cheapest path: from, to, and the control as the probe saw it when taken."""
    step = flow["path"][n - 1]
    action = graph.first_action(step["from"], step["to"])
    assert action.element is not None
    return step["from"], step["to"], action.element


def _controls(graph: FlowGraph, state: str, label: str) -> list[Control]:
    return [e for e in graph.screen(state).elements if e.label == label]


def test_goal_reached_on_the_known_path(flow):
    assert flow["status"] == "complete" and flow["goal_reached"], flow["error"]
    steps = [(s["action"], s["role"], s["label"]) for s in flow["path"]]
    assert len(steps) == len(KNOWN_PATH), steps
    reason = steps[6][2]
    assert reason in REASONS, steps
    assert steps == [(a, r, reason if label == "<reason>" else label) for a, r, label in KNOWN_PATH]
    assert flow["metrics"]["steps_to_goal"] == 10


def test_hover_menu_trigger_and_menuitem(graph, flow):
    """A div with aria-haspopup (no role, no pointer cursor) is a control; its menu opens in a portal."""
    _, opened, trigger = _step(graph, flow, 1)
    assert trigger.tag == "div" and trigger.expanded == "false"
    billing = [e for e in _controls(graph, opened, "Billing") if e.role == "menuitem"]
    assert billing and billing[0].usable
    # the Workspace menu opens on mouseenter only: its wrapper is a control named by its shown words
    workspace = _controls(graph, flow["path"][0]["from"], "Workspace")
    assert workspace and workspace[0].role == "generic" and workspace[0].usable


def test_tab_under_the_fixed_header_is_not_covered(graph, flow):
    source, _, tab = _step(graph, flow, 3)
    assert tab.role == "tab" and tab.obscured_by is None
    header = _controls(graph, source, "Account menu")[0]  # in the fixed header, so its top is the viewport's
    assert header.bbox is not None and tab.bbox is not None
    viewport_top = header.bbox[1] - 14  # the avatar sits 14 px below the header's top edge
    assert tab.bbox[1] < viewport_top + HEADER_HEIGHT, "the tab was not under the header when probed"
    # the tab already selected is no action
    assert not [e for e in graph.screen(source).elements if e.role == "tab" and e.label == "Overview"]


def test_section_rendered_on_scroll_and_accordion(graph, flow):
    source, expanded, summary = _step(graph, flow, 4)
    assert summary.expanded == "false" and summary.tag == "div"
    # the section exists only because the page was scrolled through before the look
    assert _controls(graph, source, "Data and exports")
    # collapsed: its content is there but not visible; expanded: it is
    before = _controls(graph, source, "Cancel subscription")
    assert [e.visible for e in before if e.role == "generic"] == [False]
    after = [e for e in _controls(graph, expanded, "Cancel subscription") if e.role == "generic"]
    assert after and after[0].usable


def test_div_with_only_a_click_listener(graph, flow):
    _, _, cancel = _step(graph, flow, 5)
    assert (cancel.tag, cancel.role, cancel.kind) == ("div", "generic", "click")
    assert cancel.styled_as == "text"  # nothing about it looks clickable


def test_portal_dialog_without_aria_modal_is_modal(graph, flow):
    _, dialog_state, _ = _step(graph, flow, 5)
    screen = graph.screen(dialog_state)
    assert screen.dialog is not None and screen.dialog["label"] == "Cancel your Planr subscription?"
    combobox = [e for e in screen.elements if e.role == "combobox"]
    assert combobox and combobox[0].in_dialog and combobox[0].usable
    # the page behind it is covered by the modal
    page_tabs = [e for e in screen.elements if e.role == "tab"]
    assert page_tabs and all(e.obscured_by == "modal" and not e.in_dialog for e in page_tabs)


def test_custom_select_and_its_portal_listbox(graph, flow):
    _, listbox_state, combobox = _step(graph, flow, 6)
    assert combobox.tag == "div" and combobox.label == "Reason for leaving"  # its value is not its name
    options = [e for e in graph.screen(listbox_state).elements if e.role == "option"]
    assert {e.label for e in options} == REASONS
    # the listbox is rendered outside the dialog, yet belongs to it (aria-controls) and is on top of it
    assert all(e.in_dialog and e.usable and e.group for e in options)
    _, chosen, option = _step(graph, flow, 7)
    assert option.role == "option"
    assert [e.enabled for e in _controls(graph, chosen, "Continue")] == [True]


def test_switch(graph, flow):
    source, target, switch = _step(graph, flow, 9)
    assert (switch.kind, switch.role, switch.checked) == ("check", "switch", False)
    assert [e.enabled for e in _controls(graph, source, "Confirm cancellation")] == [False]
    assert [e.enabled for e in _controls(graph, target, "Confirm cancellation")] == [True]


def test_footer_exit_among_sixty_links(graph, flow):
    start = flow["path"][0]["from"]
    links = [e for e in graph.screen(start).elements if e.role == "link"]
    assert len(links) >= 60
    footer_exit = [
        (u, v, a)
        for u, v, a in graph.actions()
        if u == start and a.label == "Cancel subscription" and a.role == "link" and not a.inferred
    ]
    assert footer_exit, "the footer's exit link was never followed"
    _, article, _ = footer_exit[0]
    assert "How do I cancel my subscription?" in graph.screen(article).text
    assert article not in {s["to"] for s in flow["path"]}  # the longer way round: not the cheapest path

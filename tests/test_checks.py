"""Check functions over small hand-built flow graphs (no browser): each fails, passes and stays incomplete
or inapplicable exactly as its docstring says, with the figures the rules' messages use."""

from __future__ import annotations

import re
from typing import Any

import pytest

from auditor.analyse import analyse
from auditor.classify import Vocabulary
from auditor.graph import Action, FlowGraph, Screen
from auditor.rules.checks import REGISTRY, CheckContext, CheckResult, with_defaults
from tests.graphs import add_edges

VOCAB = Vocabulary.default()
H = "http://h"


# ---- building graphs ----
def el(label: str, kind: str = "click", **kw: Any) -> dict[str, Any]:
    """A probe record of a usable, plainly prominent control; override any feature."""
    role = {"click": "button", "check": "radio", "select": "combobox"}[kind]
    return {
        "key": f"main|{kind}|{role}|{label.lower()}#0",
        "kind": kind,
        "role": role,
        "tag": "button",
        "label": label,
        "selector": "#" + re.sub(r"\W+", "-", label.lower()).strip("-"),
        "visible": True,
        "enabled": True,
        "obscured_by": None,
        "avoided": False,
        "font_size": 16,
        "contrast": 12.0,
        "area": 6000,
        "above_fold": True,
        "styled_as": "button",
        **kw,
    }


def link(label: str, **kw: Any) -> dict[str, Any]:
    return el(label, styled_as="link", **kw)


def screen(state: str, path: str, *elements: dict[str, Any], **kw: Any) -> Screen:
    """A screen of these probe records (the graph.json form: Screen.from_dict types them)."""
    data = {"id": state, "fingerprint": f"f-{state}", "url": H + path, "screenshot": f"{state}.png", **kw}
    return Screen.from_dict({**data, "elements": list(elements), "fields": list(kw.get("fields", ()))})


def graph(
    screens: list[Screen],
    edges: list[tuple[Any, ...]],
    goal: str | None = None,
    *,
    stop: str = "goal_reached",
    status: str = "complete",
    flow: dict[str, Any] | None = None,
) -> FlowGraph:
    """Edges are (source, target, label[, {Action fields}]); the action uses the source screen's element."""
    g = FlowGraph(flow or {"name": "t-cancel", "kind": "cancellation"})
    for s in screens:
        g.add_screen(s)
    add_edges(g, edges)
    if goal:
        g.mark_goal(goal)
    g.exploration = {"status": status, "stop_reason": stop}
    return g


def run(name: str, g: FlowGraph, partner: FlowGraph | None = None, **options: Any) -> CheckResult:
    spec = REGISTRY[name]
    ctx = CheckContext(analyse(g, VOCAB), VOCAB, analyse(partner, VOCAB) if partner else None)
    return spec.fn(ctx, with_defaults(spec, options))


def only(result: CheckResult) -> dict[str, Any]:
    """The figures of a failure with exactly one violation."""
    assert result.outcome == "fail", result
    assert len(result.violations) == 1, result.violations
    return dict(result.violations[0].figures)


KEEP = dict(font_size=20, contrast=13.6, area=14000)
WEAK = dict(font_size=11, contrast=2.8, area=1400)


def iliad(**flow: Any) -> FlowGraph:
    """Menu -> collapsed exit -> save offer with a weak exit -> password wall -> cancelled."""
    return graph(
        [
            screen("s0", "/", link("Account"), text="Welcome back"),
            screen("s1", "/account", el("Manage membership"), el("End membership", visible=False)),
            screen("s2", "/account", el("Manage membership"), el("End membership")),
            screen(
                "s3",
                "/cancel/1",
                el("Keep my benefits", **KEEP),
                link("Continue to cancel", **WEAK),
                heading="Before you go",
                text="Before you go: 50% off for 3 months",
            ),
            screen(
                "s4",
                "/cancel/verify",
                el("Continue"),
                heading="Confirm it's you",
                text="Please re-enter your password",
                fields=({"label": "Password", "type": "password"}, {"label": "Email", "type": "email"}),
            ),
            screen("s5", "/cancelled", heading="Done", text="Your membership has been cancelled."),
        ],
        [
            ("s0", "s1", "Account"),
            ("s1", "s2", "Manage membership"),
            ("s2", "s3", "End membership"),
            ("s3", "s4", "Continue to cancel"),
            ("s4", "s5", "Continue", {"inputs": ("Password",)}),
        ],
        "s5",
        flow={"name": "t-cancel", "kind": "cancellation", **flow},
    )


ILIAD_PATH = ("Account", "Manage membership", "End membership", "Continue to cancel", "Continue")


def fair(goal_text: str = "Your subscription has been cancelled.", **kw: Any) -> FlowGraph:
    """Two clicks, the exit as prominent as the way to stay, a confirmation."""
    return graph(
        [
            screen("s0", "/", link("Account")),
            screen("s1", "/account", el("Cancel subscription"), el("Keep my plan"), heading="Account"),
            screen("s2", "/cancelled", heading="Sorry to see you go", text=f"Sorry to see you go. {goal_text}"),
        ],
        [("s0", "s1", "Account"), ("s1", "s2", "Cancel subscription")],
        "s2",
        **kw,
    )


def phone(text: str = "To cancel your membership, please call Member Services at 1-800-555-0199.", **kw: Any):
    """No online way: the membership page tells the user to call."""
    kw.setdefault("stop", "frontier_exhausted")
    return graph(
        [screen("s0", "/", link("My membership")), screen("s1", "/membership", link("Home"), text=text)],
        [("s0", "s1", "My membership"), ("s1", "s0", "Home")],
        **kw,
    )


def signup(inputs: tuple[str, ...] = ("Email",), reached: bool = True) -> FlowGraph:
    return graph(
        [
            screen("s0", "/", el("Join now")),
            screen("s1", "/join", el("Start my free trial"), fields=({"label": "Email", "type": "email"},)),
            screen("s2", "/welcome", text="Welcome!"),
        ],
        [("s0", "s1", "Join now"), ("s1", "s2", "Start my free trial", {"inputs": inputs})],
        "s2" if reached else None,
        flow={"name": "t-signup", "kind": "signup"},
    )


def unreached_graph(stop: str = "max_states") -> FlowGraph:
    return graph([screen("s0", "/", link("Account")), screen("s1", "/account")], [("s0", "s1", "Account")], stop=stop)


# ---- the registry ----
def test_registry_names_options_and_docs():
    assert set(REGISTRY) == {
        "no_online_path",
        "steps",
        "harder_than_partner",
        "detours",
        "exit_prominence",
        "hidden_exit",
        "confirmshaming",
        "forced_survey",
        "confirmation",
        "login_wall",
        "required_label",
        "exit_on_offers",
        "control_near_start",
        "unguarded_charge",
        "reauth_window",
        "parental_gate",
        "price_at_confirm",
        "prechecked_addon",
        "renewal_terms",
        "express_consent",
        "same_medium",
        "offers_before_goal",
        "terms_at_enrolment",
        "minimal_form",
        "subscription_claims",
    }
    for spec in REGISTRY.values():
        assert spec.doc and "Figures" in spec.doc, spec.name
        for option, schema in spec.options.items():
            assert "default" in schema or option in REQUIRED.get(spec.name, {}), (spec.name, option)
    assert REGISTRY["steps"].options["max_steps"]["default"] == 5
    assert REGISTRY["harder_than_partner"].options["compare"]["default"] == ["steps", "pages", "inputs"]


# the options a check has no default for (a rule must give them: they name words of the packs)
REQUIRED: dict[str, dict[str, Any]] = {
    "required_label": {"phrases": ["cancel here"]},
    "minimal_form": {"allowed": "cancel_how"},
    "terms_at_enrolment": {"terms": {"price": "the cost"}},
    "subscription_claims": {"category": "addon"},
}


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_check_says_why_when_it_cannot_tell(name):
    result = run(name, unreached_graph(), **REQUIRED.get(name, {}))
    assert result.outcome in ("incomplete", "inapplicable", "fail", "pass")
    if result.outcome in ("incomplete", "inapplicable"):
        assert result.reason


# ---- no_online_path ----
def test_no_online_path_fails_when_only_a_phone_line_is_offered():
    result = run("no_online_path", phone())
    assert only(result) == {
        "states": 2,
        "channel": "please call",
        "excerpt": "To cancel your membership, please call Member Services at 1-800-555-0199.",
        "verdict": 'the site sends the user to another channel ("please call")',
        "stop_reason": "frontier_exhausted",
    }
    evidence = result.violations[0].evidence
    assert (evidence.state, evidence.url, evidence.path) == ("s1", H + "/membership", ("My membership",))


def test_no_online_path_excerpt_is_cut_around_the_phrase():
    text = "x" * 200 + " Please write to us at Box 1. " + "y" * 200
    figures = only(run("no_online_path", phone(text)))
    assert figures["channel"] == "write to us"
    assert "write to us at Box 1." in figures["excerpt"] and len(figures["excerpt"]) <= 162


def test_no_online_path_passes_when_the_goal_is_reached():
    result = run("no_online_path", fair())
    assert (result.outcome, result.figures) == ("pass", {"states": 3, "stop_reason": "goal_reached"})


def test_no_online_path_cannot_tell_when_exploration_stopped_early():
    result = run("no_online_path", phone(stop="max_states"))
    assert result.outcome == "incomplete"
    assert "exploration stopped at max_states before the goal was found" in result.reason


def test_no_online_path_fails_without_another_channel_and_says_to_check_the_goal():
    """A finished search that never found the way out (a removed cancel link, a wrong goal) is no pass."""
    result = run("no_online_path", phone(text="Your membership: Gold"))
    figures = only(result)
    assert (figures["channel"], figures["excerpt"], figures["states"]) == (None, None, 2)
    assert "check the spec's goal (it may be wrong), or the site has no online way" in figures["verdict"]
    assert result.violations[0].evidence.state == "s0"  # the start page: no screen to point at


def test_no_online_path_cannot_tell_without_another_channel_when_stopped_early():
    result = run("no_online_path", phone(text="Your membership: Gold", stop="max_states"))
    assert result.outcome == "incomplete"


# ---- steps ----
def test_steps_fail_over_the_limit():
    result = run("steps", iliad(), max_steps=4)
    assert only(result) == {"steps": 5, "pages": 4, "max_steps": 4, "max_pages": None, "detours": 1}
    assert result.violations[0].evidence.state == "s5"
    assert result.violations[0].evidence.path == ILIAD_PATH


def test_steps_fail_over_the_page_limit():
    assert only(run("steps", iliad(), max_steps=10, max_pages=3))["pages"] == 4


def test_steps_pass():
    result = run("steps", fair())
    assert result.outcome == "pass"
    assert result.figures == {"steps": 2, "pages": 2, "max_steps": 5, "max_pages": None, "detours": 0}


def test_steps_cannot_tell_without_the_goal_or_when_a_shorter_path_may_exist():
    assert run("steps", unreached_graph()).outcome == "incomplete"
    g = iliad()
    g.exploration = {"status": "complete", "stop_reason": "max_actions"}
    result = run("steps", g, max_steps=4)
    assert result.outcome == "incomplete" and "a shorter one may exist" in result.reason


# ---- harder_than_partner ----
def test_harder_than_partner_fails_on_the_worse_figures():
    result = run("harder_than_partner", iliad(compare_with="t-signup"), signup())
    assert only(result) == {
        "partner": "t-signup",
        "slack_steps": 0,
        "compare": ["steps", "pages", "inputs"],
        "steps": 5,
        "partner_steps": 2,
        "pages": 4,
        "partner_pages": 2,
        "inputs": 1,
        "partner_inputs": 1,
        "worse": ["steps", "pages"],
    }
    assert result.violations[0].evidence.path == ILIAD_PATH


def test_harder_than_partner_compares_only_what_is_asked_with_slack():
    cancel = iliad(compare_with="t-signup")
    assert run("harder_than_partner", cancel, signup(), compare=["inputs"]).outcome == "pass"
    assert run("harder_than_partner", cancel, signup(), slack_steps=3).figures["worse"] == []
    assert only(run("harder_than_partner", cancel, signup(inputs=()), compare=["inputs"]))["worse"] == ["inputs"]


def test_harder_than_partner_passes_when_as_easy():
    result = run(
        "harder_than_partner", fair(flow={"name": "f", "kind": "cancellation", "compare_with": "t-signup"}), signup()
    )
    assert result.outcome == "pass" and result.figures["worse"] == []


def test_harder_than_partner_inapplicable_or_incomplete():
    assert run("harder_than_partner", iliad(), signup()).outcome == "inapplicable"
    cancel = iliad(compare_with="t-signup")
    missing = run("harder_than_partner", cancel, None)
    assert missing.outcome == "incomplete" and "'t-signup' has no graph" in missing.reason
    assert run("harder_than_partner", cancel, signup(reached=False)).outcome == "incomplete"
    assert (
        run(
            "harder_than_partner",
            phone(flow={"name": "p", "kind": "cancellation", "compare_with": "t-signup"}),
            signup(),
        ).outcome
        == "incomplete"
    )


# ---- detours ----
def offer(state: str, path: str, heading: str = "Before you go", **kw: Any) -> Screen:
    return screen(
        state, path, el("Keep my plan"), el("Cancel anyway"), heading=heading, text=f"{heading}: a special offer", **kw
    )


def test_detours_fail_when_every_way_passes_an_offer():
    result = run("detours", iliad())
    assert only(result) == {"detours": 1, "max_detours": 0, "offers": ["Before you go"]}
    evidence = result.violations[0].evidence
    assert (evidence.state, evidence.path) == ("s3", ("Account", "Manage membership", "End membership"))


def test_detours_count_the_least_offered_way_not_the_cheapest():
    g = graph(
        [
            screen("s0", "/", link("Cancel"), link("Help")),
            offer("s1", "/offer"),
            screen("s2", "/help", link("Cancel here")),
            screen("s3", "/help/cancel", el("Confirm cancellation")),
            screen("s4", "/done", text="Your plan has been cancelled"),
        ],
        [
            ("s0", "s1", "Cancel"),
            ("s1", "s4", "Cancel anyway"),
            ("s0", "s2", "Help"),
            ("s2", "s3", "Cancel here"),
            ("s3", "s4", "Confirm cancellation"),
        ],
        "s4",
    )
    assert analyse(g, VOCAB).metrics()["detours"] == 1  # the cheapest path passes the offer...
    result = run("detours", g)
    assert (result.outcome, result.figures) == ("pass", {"detours": 0, "max_detours": 0, "offers": []})


def test_detours_count_an_offer_at_the_start_and_the_evidence_is_the_first_over_the_limit():
    g = graph(
        [offer("s0", "/offer", "Wait!"), offer("s1", "/offer2", "Last chance"), screen("s2", "/done")],
        [("s0", "s1", "Cancel anyway"), ("s1", "s2", "Cancel anyway")],
        "s2",
    )
    result = run("detours", g, max_detours=1)
    assert only(result) == {"detours": 2, "max_detours": 1, "offers": ["Wait!", "Last chance"]}
    assert result.violations[0].evidence.state == "s1"
    assert result.violations[0].evidence.path == ("Cancel anyway",)


def test_detours_pass_within_the_limit_and_cannot_tell_otherwise():
    assert run("detours", iliad(), max_detours=1).outcome == "pass"
    assert run("detours", unreached_graph()).outcome == "incomplete"
    g = iliad()
    g.exploration["stop_reason"] = "timeout"
    assert run("detours", g).outcome == "incomplete"


# ---- exit_prominence ----
def test_exit_prominence_fails_on_a_weak_exit_next_to_a_strong_keep():
    result = run("exit_prominence", iliad())
    assert only(result) == {
        "screen": "Before you go",
        "exit_label": "Continue to cancel",
        "exit_font_size": 11,
        "exit_contrast": 2.8,
        "exit_area": 1400,
        "exit_styled_as": "link",
        "exit_above_fold": True,
        "keep_label": "Keep my benefits",
        "keep_font_size": 20,
        "keep_contrast": 13.6,
        "keep_area": 14000,
        "keep_styled_as": "button",
        "keep_above_fold": True,
        "exit_font_weight": None,
        "keep_font_weight": None,
        "font_size_ratio": 0.55,
        "contrast_ratio": 0.21,
        "area_ratio": 0.1,
        "weaker_on": ["font_size", "contrast", "area", "styled_as"],
        "score": 5.0,  # a point each, and two for a link beside a filled button
        "comparison": [
            "font size 11px vs 20px",
            "contrast 2.8:1 vs 13.6:1",
            "area 1400 vs 14000 px²",
            "styled as a link vs a button",
        ],
        "min_ratio": 0.8,
        "min_weaker": 2,
    }
    evidence = result.violations[0].evidence
    assert (evidence.state, evidence.selector, evidence.label) == ("s3", "#continue-to-cancel", "Continue to cancel")


def test_exit_prominence_compares_with_the_strongest_keep_and_sees_the_fold():
    g = graph(
        [
            screen(
                "s0",
                "/",
                el("Remind me later", area=3000),
                el("Claim offer", area=9000),
                el("Cancel", above_fold=False),
            ),
            screen("s1", "/done"),
        ],
        [("s0", "s1", "Cancel")],
        "s1",
    )
    figures = only(run("exit_prominence", g))
    assert (figures["keep_label"], figures["weaker_on"]) == ("Claim offer", ["area", "above_fold"])
    assert figures["area_ratio"] == 0.67
    assert run("exit_prominence", g, min_weaker=3).outcome == "pass"


def test_a_ghost_exit_beside_a_filled_keep_is_styled_lighter():
    """A bordered exit with no fill (an "outline") beside a filled keep button draws the eye less: with a
    lower contrast that makes two measures; two outlines, or an outline keep beside a filled exit, do not."""

    def on_screen(exit_style: str, keep_style: str) -> FlowGraph:
        return graph(
            [
                screen(
                    "s0",
                    "/",
                    el("Keep my plan", styled_as=keep_style),
                    el("Cancel", styled_as=exit_style, contrast=5.0),
                ),
                screen("s1", "/done"),
            ],
            [("s0", "s1", "Cancel")],
            "s1",
        )

    figures = only(run("exit_prominence", on_screen("outline", "button")))
    assert figures["weaker_on"] == ["contrast", "styled_as"]
    assert "styled as an outline vs a button" in figures["comparison"]
    assert run("exit_prominence", on_screen("outline", "outline")).outcome == "pass"
    assert run("exit_prominence", on_screen("button", "outline")).outcome == "pass"
    assert only(run("exit_prominence", on_screen("link", "outline")))["weaker_on"] == ["contrast", "styled_as"]


def test_an_exit_by_its_role_is_compared_though_no_exit_word_names_it():
    """ "Yes (this cannot be undone)" names no exit, but on a screen that offers to keep it is the way on to
    the goal: the analysis classes it an exit by its role, and its prominence is measured."""
    g = graph(
        [
            screen(
                "s0",
                "/",
                el("Never mind, I'll stay", area=9000, font_size=20),
                el("Yes (this cannot be undone)", area=900, font_size=11),
            ),
            screen("s1", "/done"),
        ],
        [("s0", "s1", "Yes (this cannot be undone)")],
        "s1",
    )
    figures = only(run("exit_prominence", g))
    assert (figures["exit_label"], figures["keep_label"]) == ("Yes (this cannot be undone)", "Never mind, I'll stay")


def test_prominence_scores_weight_and_reading_order_as_a_person_sees_them():
    """Regular type beside bold is one point; standing under the other control is half a point (fair pages list
    their options one under the other too), so an outline under a filled button (1.5) passes, and the same in
    regular type beside bold (2.5) fails; side by side and equal weight, an outline alone (1) passes."""

    def stacked(exit_weight: int, exit_y: int) -> FlowGraph:
        return graph(
            [
                screen(
                    "s0",
                    "/",
                    el("Keep my plan", font_weight=700, bbox=[0, 100, 300, 50]),
                    el("Cancel", styled_as="outline", font_weight=exit_weight, bbox=[0, exit_y, 300, 50]),
                ),
                screen("s1", "/done"),
            ],
            [("s0", "s1", "Cancel")],
            "s1",
        )

    assert run("exit_prominence", stacked(700, 170)).outcome == "pass"  # after it, an outline: 1.5 points
    figures = only(run("exit_prominence", stacked(400, 170)))
    assert (figures["weaker_on"], figures["score"]) == (["font_weight", "styled_as", "after"], 2.5)
    assert figures["comparison"] == ["font weight 400 vs 700", "styled as an outline vs a button", "placed after it"]
    assert run("exit_prominence", stacked(700, 100)).outcome == "pass"  # beside it: the outline alone, 1 point


def test_an_offer_screens_unnamed_filled_buttons_are_its_offers():
    """On a screen that says it makes an offer, a filled button whose words no pack knows is an offer the exit
    is compared with; the same buttons on a screen that makes no offer are not (nothing to compare)."""

    def funnel(text: str) -> FlowGraph:
        return graph(
            [
                screen(
                    "s0",
                    "/",
                    el("Take 3 months at half price", area=40000, font_size=20),
                    el("Menu", styled_as="button", region="header"),
                    el("Cancel my subscription", styled_as="link", area=1500, font_size=12),
                    text=text,
                ),
                screen("s1", "/done"),
            ],
            [("s0", "s1", "Cancel my subscription")],
            "s1",
        )

    figures = only(run("exit_prominence", funnel("Before you go: a special offer for you")))
    assert figures["keep_label"] == "Take 3 months at half price"
    assert figures["weaker_on"] == ["font_size", "area", "styled_as"] and figures["score"] == 4
    result = run("exit_prominence", funnel("Your plan and billing"))
    assert (result.outcome, result.figures["screens"]) == ("pass", 0)


def test_the_exit_is_judged_against_the_keep_it_loses_to_most():
    """Of two keeps, the one the exit scores most points against is reported, though the other is larger."""
    g = graph(
        [
            screen(
                "s0",
                "/",
                el("Keep my plan", area=20000, styled_as="outline"),
                el("Stay with us", area=7000, font_weight=700),
                el("Cancel", area=6000, styled_as="outline", font_weight=400),
            ),
            screen("s1", "/done"),
        ],
        [("s0", "s1", "Cancel")],
        "s1",
    )
    figures = only(run("exit_prominence", g))
    assert (figures["keep_label"], figures["score"]) == ("Stay with us", 2)
    assert figures["weaker_on"] == ["font_weight", "styled_as"]


def test_exit_prominence_passes():
    result = run("exit_prominence", fair())
    assert (result.outcome, result.figures) == ("pass", {"screens": 1, "min_ratio": 0.8, "min_weaker": 2})
    assert run("exit_prominence", iliad(), min_weaker=5.5).outcome == "pass"  # it scores 5


def test_exit_prominence_cannot_tell_without_the_goal():
    assert run("exit_prominence", unreached_graph()).outcome == "incomplete"


# ---- hidden_exit ----
def test_hidden_exit_reports_collapsed_tiny_and_low_contrast_exits():
    result = run("hidden_exit", iliad())
    assert result.outcome == "fail"
    figures = [dict(v.figures) for v in result.violations]
    assert figures == [
        {
            "label": "End membership",
            "reasons": ["collapsed"],
            "font_size": 16,
            "contrast": 12.0,
            "area": 6000,
            "above_fold": True,
            "menu_depth": 2,
            "min_font_px": 12,
            "min_contrast": 4.5,
            "min_area": 400,
        },
        {
            "label": "Continue to cancel",
            "reasons": ["tiny", "low contrast"],
            "font_size": 11,
            "contrast": 2.8,
            "area": 1400,
            "above_fold": True,
            "menu_depth": 2,
            "min_font_px": 12,
            "min_contrast": 4.5,
            "min_area": 400,
        },
    ]
    assert [v.evidence.state for v in result.violations] == ["s2", "s3"]
    assert result.violations[0].evidence.path == ("Account", "Manage membership")


def test_hidden_exit_deep_menu_and_below_the_fold():
    menus = ["Account", "Settings", "Billing", "Manage"]
    screens = [screen(f"s{i}", f"/{i}", link(label)) for i, label in enumerate(menus)]
    screens.append(screen("s4", "/4", el("Cancel", above_fold=False, area=300)))
    screens.append(screen("s5", "/done"))
    edges = [(f"s{i}", f"s{i + 1}", label) for i, label in enumerate([*menus, "Cancel"])]
    figures = only(run("hidden_exit", graph(screens, edges, "s5")))
    assert figures["reasons"] == ["below the fold", "tiny", "deep menu"]
    assert figures["menu_depth"] == 4


def test_hidden_exit_passes_when_the_flow_itself_reveals_the_exit():
    g = graph(
        [
            screen("s0", "/plan", el("Cancel plan"), el("Cancel anyway", visible=False)),
            screen("s1", "/plan", el("Cancel anyway"), dialog={"label": "Sure?", "text": "Sure?"}),
            screen("s2", "/done"),
        ],
        [("s0", "s1", "Cancel plan"), ("s1", "s2", "Cancel anyway")],
        "s2",
    )
    result = run("hidden_exit", g)
    assert (result.outcome, result.figures) == ("pass", {"exits": 2, "menu_depth": 0})
    assert run("hidden_exit", fair()).figures == {"exits": 1, "menu_depth": 1}


def test_hidden_exit_cannot_tell_without_the_goal():
    assert run("hidden_exit", unreached_graph()).outcome == "incomplete"


# ---- confirmshaming ----
def test_confirmshaming_finds_shaming_labels_anywhere_once_each():
    shame = link("No thanks, I prefer to pay full price")
    g = graph(
        [
            screen("s0", "/", link("Account"), link("Deals")),
            screen("s1", "/account", el("Cancel"), shame, heading="Account"),
            screen("s2", "/deals", shame, el("Nein, ich zahle lieber mehr"), heading="Deals"),
            screen("s3", "/done"),
        ],
        [("s0", "s1", "Account"), ("s0", "s2", "Deals"), ("s1", "s3", "Cancel")],
        "s3",
    )
    result = run("confirmshaming", g)
    assert result.outcome == "fail"
    common = {"source": "control"}
    assert [dict(v.figures) for v in result.violations] == [
        {
            "label": "No thanks, I prefer to pay full price",
            "phrase": "I prefer to pay full price",
            "signal": "structure",
            "screen": "Account",
            **common,
        },
        {
            "label": "Nein, ich zahle lieber mehr",
            "phrase": "ich zahle lieber mehr",
            "signal": "phrase",
            "screen": "Deals",
            **common,
        },
    ]
    assert result.violations[0].evidence.selector == "#no-thanks-i-prefer-to-pay-full-price"
    assert result.violations[1].evidence.path == ("Deals",)


def test_confirmshaming_in_a_signup_leaves_out_exits_from_something_else():
    """A sign-up's declines are of its own offer: an unsubscribe link elsewhere on the site, however it is
    worded, is no decline of this flow (in a cancellation it would be)."""
    screens = [
        screen("s0", "/", el("Unsubscribe (I'd rather be clueless)"), el("No thanks, I'd rather be clueless")),
        screen("s1", "/done"),
    ]
    signup = graph(
        screens, [("s0", "s1", "No thanks, I'd rather be clueless")], "s1", flow={"name": "t", "kind": "signup"}
    )
    assert [v.figures["label"] for v in run("confirmshaming", signup).violations] == [
        "No thanks, I'd rather be clueless"
    ]
    cancel = graph(screens, [("s0", "s1", "No thanks, I'd rather be clueless")], "s1")
    assert len(run("confirmshaming", cancel).violations) == 2


def test_confirmshaming_reads_the_confirms_actions_raised():
    """A confirm() offering to leave is a decline option too; an alert is not, and a neutral confirm passes."""
    shaming = {"type": "confirm", "message": "Leave now? OK: I'd rather stay uninformed.", "answer": "ok"}
    neutral = {"type": "confirm", "message": "Are you sure you want to cancel?", "answer": "ok"}
    alert = {"type": "alert", "message": "OK, I'd rather stay uninformed", "answer": "ok"}
    g = graph(
        [screen("s0", "/", el("Cancel"), el("Unsubscribe"), heading="Plan"), screen("s1", "/bye")],
        [("s0", "s1", "Cancel", {"dialogs": (shaming, alert)}), ("s0", "s1", "Unsubscribe", {"dialogs": (neutral,)})],
        "s1",
    )
    result = run("confirmshaming", g)
    assert only(result) == {
        "label": "Leave now? OK: I'd rather stay uninformed.",
        "phrase": "I'd rather stay uninformed",
        "signal": "structure",
        "source": "confirm",
        "screen": "Plan",
        "control": "Cancel",
    }
    assert result.violations[0].evidence.selector == "#cancel"
    shaming["message"] = "Leave anyway?"
    assert run("confirmshaming", g).figures == {"screens": 2, "controls": 2, "dialogs": 2}


def test_confirmshaming_ignores_controls_the_user_cannot_use():
    g = graph([screen("s0", "/", link("I'm OK with paying more", visible=False))], [])
    assert run("confirmshaming", g).outcome == "pass"


def test_confirmshaming_passes_and_cannot_tell():
    result = run("confirmshaming", fair())
    assert (result.outcome, result.figures) == ("pass", {"screens": 3, "controls": 3, "dialogs": 0})
    assert run("confirmshaming", FlowGraph()).outcome == "incomplete"
    assert run("confirmshaming", unreached_graph()).outcome == "incomplete"  # stopped at max_states


# ---- forced_survey ----
def survey(locked: bool = True) -> FlowGraph:
    question = dict(heading="Why are you leaving?", text="Why are you leaving? Pick one.")
    radios = (el("Too expensive", "check", group="reason"), el("Other", "check", group="reason"))
    screens = [
        screen("s0", "/plan", el("Cancel plan")),
        screen("s1", "/plan/cancel", *radios, el("Continue", enabled=not locked), el("Keep Premium"), **question),
        screen("s2", "/plan/cancel", radios[1], el("Continue"), el("Keep Premium"), **question),
        screen("s3", "/plan/cancel", text="Your plan has been cancelled"),
    ]
    edges = [("s0", "s1", "Cancel plan"), ("s1", "s2", "Too expensive"), ("s2", "s3", "Continue")]
    if not locked:
        edges[1:] = [("s1", "s3", "Continue")]
    return graph(screens, edges, "s3")


def test_forced_survey_fails_when_an_answer_unlocks_the_way_on():
    result = run("forced_survey", survey())
    assert only(result) == {
        "question": "Why are you leaving?",
        "choices": ["Too expensive", "Other"],
        "blocked": "Continue",
        "locked_by": "disabled",
    }
    evidence = result.violations[0].evidence
    assert (evidence.state, evidence.selector, evidence.path) == ("s1", "#continue", ("Cancel plan",))


def test_forced_survey_fails_when_the_way_on_refused_until_answered():
    """ "Continue" is not disabled, but pressed before an answer it did nothing (the screen stayed as it was):
    the way out was still locked until answering."""
    g = survey(locked=False)
    g.g.remove_edges_from(list(g.g.edges))
    add_edges(g, [("s0", "s1", "Cancel plan"), ("s1", "s1", "Continue"), ("s1", "s2", "Too expensive")])
    add_edges(g, [("s2", "s3", "Continue")])
    figures = only(run("forced_survey", g))
    assert (figures["blocked"], figures["locked_by"]) == ("Continue", "refused")


def test_forced_survey_passes_when_the_question_can_be_skipped():
    result = run("forced_survey", survey(locked=False))
    assert (result.outcome, result.figures) == ("pass", {"surveys": 1})
    assert run("forced_survey", fair()).figures == {"surveys": 0}


def test_forced_survey_cannot_tell_without_the_goal():
    assert run("forced_survey", unreached_graph()).outcome == "incomplete"


# ---- confirmation ----
def test_confirmation_passes_with_the_phrase():
    result = run("confirmation", fair())
    assert result.outcome == "pass"
    assert result.figures == {
        "phrase": "has been cancelled",
        "excerpt": "Sorry to see you go. Your subscription has been cancelled.",
        "signal": "phrase",
        "source": "screen",
    }


def test_confirmation_reads_a_dialog_and_other_languages():
    g = fair(goal_text="")
    g.replace_screen(Screen("s2", "f", H + "/x", dialog={"label": "OK", "text": "Ihr Vertrag wurde gekündigt."}))
    assert run("confirmation", g).figures["phrase"] == "wurde gekündigt"


def test_confirmation_reads_the_structure_and_the_last_actions_dialogs():
    result = run("confirmation", fair(goal_text="You're unsubscribed from every list."))
    assert (result.figures["phrase"], result.figures["signal"]) == ("You're unsubscribed", "structure")
    g = fair(goal_text="Back to the homepage")
    g.g.remove_edge("s1", "s2")
    done = {"type": "alert", "message": "Membership cancelled. See you soon!", "answer": "ok"}
    add_edges(g, [("s1", "s2", "Cancel subscription", {"dialogs": (done,)})])
    assert run("confirmation", g).figures == {
        "phrase": "Membership cancelled",
        "excerpt": "Membership cancelled. See you soon!",
        "signal": "structure",
        "source": "alert",
    }
    for question in ("Are you sure you want to cancel?", "If you cancel, your membership will end on 3 May."):
        g = fair(goal_text=question)
        assert run("confirmation", g).outcome == "fail", question


def test_confirmation_reads_what_the_last_action_showed_on_the_way():
    """A confirmation that closes by itself (a toast, a modal with a 2 s timer) was seen: the goal screen is
    the page after it, and the words are in the last action's interim looks."""
    g = fair(goal_text="Your plans: Basic, 9 dollars a month")
    g.g.remove_edge("s1", "s2")
    add_edges(g, [("s1", "s2", "Cancel subscription", {"interim": ("Done! Your plan has been cancelled. Close",)})])
    result = run("confirmation", g)
    assert (result.outcome, result.figures["source"]) == ("pass", "interim")
    assert result.figures["phrase"] == "has been cancelled"
    g = fair(goal_text="Your plans: Basic, 9 dollars a month")
    g.g.remove_edge("s1", "s2")
    add_edges(g, [("s1", "s2", "Cancel subscription", {"interim": ("Processing, please wait",)})])
    assert run("confirmation", g).outcome == "fail"


def test_confirmation_fails_without_the_phrase():
    result = run("confirmation", fair(goal_text="Thanks for your feedback."))
    assert only(result) == {
        "heading": "Sorry to see you go",
        "excerpt": "Sorry to see you go. Thanks for your feedback.",
    }
    assert result.violations[0].evidence.path == ("Account", "Cancel subscription")


def test_confirmation_cannot_tell_without_the_goal():
    assert run("confirmation", unreached_graph()).outcome == "incomplete"


# ---- login_wall ----
def test_login_wall_fails_when_every_way_passes_a_password():
    result = run("login_wall", iliad())
    assert only(result) == {"heading": "Confirm it's you", "fields": ["Password"], "auth_screens": 1}
    evidence = result.violations[0].evidence
    assert (evidence.state, evidence.path) == ("s4", ILIAD_PATH[:4])


def test_login_wall_counts_a_login_at_the_start():
    g = graph(
        [
            screen("s0", "/login", el("Sign in"), fields=({"label": "Password", "type": "password"},)),
            screen("s1", "/done", text="Your plan has been cancelled"),
        ],
        [("s0", "s1", "Sign in")],
        "s1",
    )
    assert analyse(g, VOCAB).kind("s0") == "start"
    result = run("login_wall", g)
    assert only(result)["fields"] == ["Password"]
    assert result.violations[0].evidence.path == ()


def test_login_wall_passes_with_a_way_around_it():
    g = iliad()
    g.add_action("s3", "s5", Action("skip", "click", "Cancel now", order=99))
    result = run("login_wall", g)
    assert (result.outcome, result.figures) == ("pass", {"auth_screens": 1})
    assert run("login_wall", fair()).figures == {"auth_screens": 0}


def test_login_wall_cannot_tell():
    assert run("login_wall", unreached_graph()).outcome == "incomplete"
    g = iliad()
    g.exploration = {"status": "incomplete", "stop_reason": "error", "error": "boom"}
    result = run("login_wall", g)
    assert result.outcome == "incomplete" and "error (boom)" in result.reason


# ---- required_label ----
def german(final: str = "Jetzt kündigen") -> FlowGraph:
    return graph(
        [
            screen("s0", "/", link("Verträge  hier\nkündigen")),
            screen("s1", "/kuendigen", el(final)),
            screen("s2", "/fertig", text="Ihr Vertrag wurde gekündigt"),
        ],
        [("s0", "s1", "Verträge  hier\nkündigen"), ("s1", "s2", final)],
        "s2",
    )


def test_required_label_passes_on_the_wording():
    first = run("required_label", german(), phrases=["Verträge hier kündigen"])
    assert first.outcome == "pass"
    assert first.figures == {
        "label": "Verträge  hier\nkündigen",
        "expected": ["Verträge hier kündigen"],
        "where": "first_exit",
        "phrase": "Verträge hier kündigen",
    }
    final = run("required_label", german(), phrases=["jetzt kündigen"], where="final_action")
    assert final.outcome == "pass" and final.figures["label"] == "Jetzt kündigen"


def test_required_label_fails_on_other_wording():
    result = run("required_label", german("Weiter"), phrases=["jetzt kündigen"], where="final_action")
    assert only(result) == {"label": "Weiter", "expected": ["jetzt kündigen"], "where": "final_action"}
    assert result.violations[0].evidence.state == "s1"
    assert only(run("required_label", iliad(), phrases=["cancel"]))["label"] == "End membership"
    assert run("required_label", german(), phrases=["jetzt künd"], where="final_action").outcome == "fail"


def test_required_label_without_the_goal():
    # fully explored, and no control anywhere bears the words: the button the law requires does not exist
    figures = only(run("required_label", phone(), phrases=["cancel here"]))
    assert figures == {
        "label": None,
        "expected": ["cancel here"],
        "where": "first_exit",
        "missing": "no control with one of the phrases on any screen",
    }
    assert run("required_label", phone(), phrases=["my membership"]).outcome == "incomplete"  # it exists
    assert run("required_label", phone(stop="max_states"), phrases=["cancel here"]).outcome == "incomplete"
    with pytest.raises(ValueError, match="phrases"):
        run("required_label", german())


# ---- exit_on_offers ----
def test_exit_on_offers_fails_on_an_offer_without_a_usable_exit():
    g = graph(
        [
            screen("s0", "/", el("Cancel")),
            screen(
                "s1",
                "/offer",
                el("Keep my plan"),
                el("Claim 50% off"),
                el("Cancel anyway", obscured_by="div.promo"),
                heading="Wait!",
                text="Wait! 50% off",
            ),
        ],
        [("s0", "s1", "Cancel")],
        stop="frontier_exhausted",
    )
    result = run("exit_on_offers", g)
    assert only(result) == {"heading": "Wait!", "controls": ["Keep my plan", "Claim 50% off"]}
    assert result.violations[0].evidence.path == ("Cancel",)


def test_exit_on_offers_passes_and_cannot_tell():
    assert (run("exit_on_offers", iliad()).outcome, run("exit_on_offers", iliad()).figures) == ("pass", {"offers": 1})
    assert run("exit_on_offers", fair()).figures == {"offers": 0}
    assert run("exit_on_offers", unreached_graph()).outcome == "incomplete"


# ---- control_near_start ----
def contract(*extra_links: str) -> FlowGraph:
    return graph(
        [
            screen("s0", "/", link("Account")),
            screen("s1", "/account", link("Orders"), *(link(x) for x in extra_links)),
            screen("s2", "/orders", link("Withdraw from contract here")),
        ],
        [("s0", "s1", "Account"), ("s1", "s2", "Orders")],
        stop="frontier_exhausted",
    )


def test_withdrawal_control_passes_within_reach():
    result = run("control_near_start", contract())
    assert (result.outcome, result.figures) == (
        "pass",
        {"found_label": "Withdraw from contract here", "steps": 2, "max_steps": 2},
    )


def test_withdrawal_control_fails_when_too_far_or_missing():
    result = run("control_near_start", contract(), max_steps=1)
    assert only(result) == {"found_label": "Withdraw from contract here", "steps": 2, "max_steps": 1}
    assert result.violations[0].evidence.state == "s0"
    assert only(run("control_near_start", fair())) == {"found_label": None, "steps": None, "max_steps": 2}


def test_withdrawal_control_cannot_tell():
    assert run("control_near_start", unreached_graph()).outcome == "incomplete"
    assert run("control_near_start", FlowGraph()).outcome == "incomplete"

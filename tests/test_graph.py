"""FlowGraph: cheapest path, metrics, lossless save/load (no browser)."""

import json

from auditor.analyse import analyse
from auditor.classify import Vocabulary
from auditor.graph import Action, FlowGraph, Screen
from auditor.records import Control


def _el(label, role="button", **kw):
    return Control.from_dict({
        "key": f"main|click|{role}|{label.lower()}#0",
        "kind": "click",
        "role": role,
        "label": label,
        "visible": True,
        "enabled": True,
        "obscured_by": None,
        **kw,
    })


def _graph():
    g = FlowGraph({"name": "demo", "kind": "cancellation"})
    g.add_screen(Screen("s0", "f0", "http://h/", elements=(_el("Account", "link"), _el("Help", "link"))))
    g.add_screen(Screen("s1", "f1", "http://h/account", elements=(_el("Cancel"), _el("Keep"))))
    g.add_screen(
        Screen(
            "s2",
            "f2",
            "http://h/offer",
            text="Before you go: 50% off",
            elements=(_el("Keep my plan"), _el("Continue to cancel", "link")),
        )
    )
    g.add_screen(Screen("s3", "f3", "http://h/cancelled", text="Your plan has been cancelled"))
    g.add_screen(Screen("s4", "f4", "http://h/help"))
    g.add_action("s0", "s1", Action("a", "click", "Account", "link", order=1))
    g.add_action("s0", "s4", Action("h", "click", "Help", "link", order=2))
    g.add_action("s1", "s2", Action("c", "click", "Cancel", "button", inputs=("Password",), order=3))
    g.add_action("s2", "s3", Action("x", "click", "Continue to cancel", "link", order=4))
    g.add_action("s2", "s3", Action("y", "click", "Cancel anyway", "link", order=5))  # a parallel edge
    g.add_action("s4", "s0", Action("home", "click", "Home", "link", order=6))
    g.mark_goal("s3")
    return g


def test_cheapest_path_and_tie_break():
    path = _graph().cheapest_path()
    assert [a.label for _, _, a in path] == ["Account", "Cancel", "Continue to cancel"]


def test_metrics():
    m = analyse(_graph(), Vocabulary.default()).metrics()
    assert m["goal_reached"] is True
    assert m["steps_to_goal"] == 3
    assert m["pages_to_goal"] == 3
    assert m["options_on_path"] == 6
    assert m["forced_inputs"] == 1
    assert m["detours"] == 1  # the offer screen on the path
    assert (m["states"], m["actions"]) == (5, 6)


def test_unreached_goal_has_no_path_figures():
    g = _graph()
    g.goals.clear()
    m = analyse(g, Vocabulary.default()).metrics()
    assert m["goal_reached"] is False and m["steps_to_goal"] is None


def test_classification():
    g = _graph()
    before = g.to_dict()
    analysed = analyse(g, Vocabulary.default())
    assert [analysed.kind(s) for s in ("s0", "s2", "s3")] == ["start", "offer", "goal"]
    assert analysed.intent("s2", "s3", "x") == "exit"
    assert g.to_dict() == before  # analysis is pure: the graph is left as it was


def test_save_load_is_lossless(tmp_path):
    g = _graph()
    g.exploration = {"status": "complete", "states": 5}
    g.save(tmp_path / "graph.json")
    again = FlowGraph.load(tmp_path / "graph.json")
    assert again.to_dict() == g.to_dict()
    vocab = Vocabulary.default()
    assert analyse(again, vocab).metrics() == analyse(g, vocab).metrics()
    assert json.loads((tmp_path / "graph.json").read_text())["schema"] == "retention-auditor/graph/v2"


def test_a_v1_graph_still_reads_and_its_repeats_become_typed(tmp_path):
    """graph.json v1 told a probe's repeat by an "@+N min" suffix on the key; v2 says so in `repeat`."""
    from pathlib import Path

    from auditor.artifacts import ReauthWindow

    fixture = Path(__file__).resolve().parents[1] / "auditor" / "rules" / "packs" / "fixtures" / "gems-iap.graph.json"
    old = FlowGraph.load(fixture)
    repeats = sorted((a.repeat.after_minutes, a.control) for _, _, a in old.actions() if a.repeat)
    assert repeats and repeats[0][0] == 0 and all("@+" not in control for _, control in repeats)
    old.save(tmp_path / "graph.json")
    assert json.loads((tmp_path / "graph.json").read_text())["schema"] == "retention-auditor/graph/v2"
    again = FlowGraph.load(tmp_path / "graph.json")
    assert sorted((a.repeat.after_minutes, a.control) for _, _, a in again.actions() if a.repeat) == repeats
    window = ReauthWindow.from_dict(again.exploration["reauth_window"])
    assert window is not None and window.open_after_minutes and window.closed_at_minutes == 15
    assert ReauthWindow.from_dict(window.to_dict()) == window


def test_an_action_whose_confirm_was_declined_keeps(tmp_path):
    """Both answers of a confirm() are actions on one control: the Cancel answer means staying."""
    g = _graph()
    g.add_action("s1", "s1", Action("c|declined", "click", "Cancel", "button", order=9, declined=True))
    g.save(tmp_path / "graph.json")
    again = FlowGraph.load(tmp_path / "graph.json")
    analysed = analyse(again, Vocabulary.default())
    assert analysed.intent("s1", "s1", "c|declined") == "keep"
    assert analysed.intent("s1", "s2", "c") == "exit"


def test_a_refused_submit_is_no_step_of_the_path():
    """Submit, refused (an error shows), tick the box, submit again: the path is the one a user who ticks
    first takes; the refused edge counts only when there is no other way."""
    g = FlowGraph({"name": "form", "kind": "purchase"})
    for state in ("s0", "s1", "s2", "s3", "s4"):
        g.add_screen(Screen(state, f"f{state}", f"http://h/{state}"))
    g.add_action("s0", "s1", Action("pay", "click", "Pay now", order=1, refused=True))
    g.add_action("s1", "s2", Action("tick", "check", "I accept", order=2))
    g.add_action("s2", "s4", Action("pay", "click", "Pay now", order=3))
    g.mark_goal("s4")
    assert [a.label for _, _, a in g.cheapest_path()] == ["Pay now", "I accept", "Pay now"]  # the only way seen
    g.add_action("s0", "s3", Action("tick", "check", "I accept", order=4))
    g.add_action("s3", "s4", Action("pay", "click", "Pay now", order=5))
    assert [a.order for _, _, a in g.cheapest_path()] == [4, 5]


def _renewal():
    """Home -> account (an upsell: "Switch to annual") -> auto-renewal -> a dialog whose "Cancel" closes it and
    whose "Stop auto-renewal" is the goal."""
    g = FlowGraph({"name": "renewal", "kind": "cancellation"})
    dialog = {"label": "Stop auto-renewal?", "text": "Stop auto-renewal?"}
    g.add_screen(Screen("s0", "f0", "http://h/", elements=(_el("Account", "link"),)))
    upsell = (_el("Switch to annual"), _el("Cancel subscription", "link"))
    g.add_screen(Screen("s1", "f1", "http://h/account", text="Save 20% off with annual billing", elements=upsell))
    g.add_screen(Screen("s2", "f2", "http://h/renewal", elements=(_el("Stop auto-renewal"),)))
    own = (_el("Cancel", in_dialog=True), _el("Stop auto-renewal", in_dialog=True))
    g.add_screen(Screen("s3", "f3", "http://h/renewal", dialog=dialog, elements=own))
    g.add_screen(Screen("s4", "f4", "http://h/renewal", text="Auto-renewal is off"))
    g.add_action("s0", "s1", Action("a", "click", "Account", "link", order=1))
    g.add_action("s1", "s2", Action("c", "click", "Cancel subscription", "link", order=2))
    g.add_action("s2", "s3", Action("o", "click", "Stop auto-renewal", order=3))
    g.add_action("s3", "s2", Action("n", "click", "Cancel", element=own[0], order=4))
    g.add_action("s3", "s4", Action("y", "click", "Stop auto-renewal", element=own[1], order=5))
    g.mark_goal("s4")
    return g


def test_a_cancel_that_closes_the_dialog_keeps_and_the_way_on_is_the_exit():
    analysed = analyse(_renewal(), Vocabulary.default())
    assert analysed.intent("s3", "s2", "n") == "keep"
    assert analysed.why("s3", "s2", "n").startswith("by what it did: it closed the dialog")
    assert analysed.intent("s3", "s4", "y") == "exit"


def test_an_upsell_before_the_user_leaves_is_no_retention_offer():
    g = _renewal()
    assert analyse(g, Vocabulary.default()).kind("s1") == "info"
    # the same screen past the exit action stands between the user and the goal: a save offer
    g.add_screen(Screen("s5", "f5", "http://h/stay", text="Before you go: 50% off", elements=(_el("Keep my plan"),)))
    g.add_action("s2", "s5", Action("z", "click", "Cancel now", order=6))
    assert analyse(g, Vocabulary.default()).kind("s5") == "offer"


def test_a_cancel_on_the_last_screen_that_goes_back_keeps_but_the_sites_navigation_does_not():
    g = FlowGraph({"name": "last", "kind": "cancellation"})
    nav = _el("Account", "link", href="http://h/account")
    g.add_screen(Screen("s0", "f0", "http://h/account", elements=(nav, _el("End membership", "link"))))
    back, end = _el("Cancel", "link"), _el("Confirm")
    g.add_screen(Screen("s1", "f1", "http://h/end", elements=(nav, back, end)))
    g.add_screen(Screen("s2", "f2", "http://h/ended", text="Membership ended"))
    g.add_action("s0", "s1", Action("e", "click", "End membership", "link", order=1))
    g.add_action("s1", "s0", Action(back.key, "click", "Cancel", "link", element=back, order=2))
    g.add_action("s1", "s0", Action(nav.key, "click", "Account", "link", element=nav, order=3))
    g.add_action("s1", "s2", Action(end.key, "click", "Confirm", element=end, order=4))
    g.mark_goal("s2")
    analysed = analyse(g, Vocabulary.default())
    assert analysed.intent("s1", "s0", back.key) == "keep"
    assert analysed.why("s1", "s0", back.key).startswith("by what it did: it went back")
    assert analysed.intent("s1", "s0", nav.key) == "path"  # shown on the account page too: the site's navigation
    assert analysed.intent("s1", "s2", end.key) == "exit"

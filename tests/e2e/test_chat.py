"""e2e on a sparring site of issue 24 (tests/sites/larder, a meal-kit delivery): chats are online. The
cancellation page says "chat with a specialist, or call us". The chat is opened before any "another channel"
verdict, the request is typed into its message box in the page's language, and its suggestion chips are
answered toward cancelling. Where the chat cancels, the goal is reached; where the chat itself says to call,
that answer is the verdict and `cancel.no-online-path` fails naming the phone."""

from __future__ import annotations

import pytest

from auditor.graph import FlowGraph
from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e

REQUEST = "Write a message (request)"  # the chat's message box, filled with the pack's `chat_request`


def _audit(name, tmp_path):
    specs = [s for s in load_specs([SITES / "larder" / "flow.yaml"]) if s.name == name]
    result = run(specs, tmp_path)
    flow = result.report["flows"][0]
    return result, flow, FlowGraph.load(tmp_path / flow["graph"])


def _findings(result, rule):
    return [f for f in result.report["findings"] if f["rule"] == rule]


def test_a_chat_that_cancels_is_the_online_way(sites_server, tmp_path):
    """Before: exploration stopped at "...chat with a specialist, or call us" (stop_reason other_channel), the
    chat never opened, and no-online-path failed. Now the chat is opened, told "I want to cancel my
    subscription", and its chip "Yes, cancel my plan" cancels."""
    result, flow, graph = _audit("larder-cancel", tmp_path)
    assert flow["status"] == "complete", flow["error"]
    assert flow["goal_reached"] and flow["exploration"]["stop_reason"] != "other_channel"
    steps = [s["label"] for s in flow["path"]]
    assert steps == ["My Larder", "Cancel plan", "Chat with a specialist", "Send", "Yes, cancel my plan"]
    sends = [a for _, _, a in graph.actions() if a.label == "Send"]
    assert sends and all(a.inputs == (REQUEST,) for a in sends)
    assert flow["rules"]["cancel.no-online-path"]["outcome"] == "pass"
    assert any("offers a chat" in note for note in flow["exploration"]["notes"])


def test_the_request_is_typed_in_the_pages_language(sites_server, tmp_path):
    """The chat's page says `<html lang="de">` and its chat understands only German ("Bitte schreiben Sie uns
    auf Deutsch" to anything else): the request typed is the `de` one, and the plan is cancelled."""
    result, flow, graph = _audit("larder-deutsch", tmp_path)
    assert flow["status"] == "complete", flow["error"]
    assert flow["goal_reached"]
    assert [s["label"] for s in flow["path"]][-3:] == ["Chat with a specialist", "Send", "Yes, cancel my plan"]
    assert not [s for s in graph.screens() if "auf Deutsch" in s.text]


def test_a_chat_that_says_to_call_is_another_channel(sites_server, tmp_path):
    """The same chat, told the same request, answers "Please call us at 1-800-555-0142": that answer, not the
    page before the chat, ends exploration, and no-online-path fails naming the phone."""
    result, flow, graph = _audit("larder-phone", tmp_path)
    assert flow["status"] == "complete", flow["error"]
    assert not flow["goal_reached"] and flow["exploration"]["stop_reason"] == "other_channel"
    told = [a for _, _, a in graph.actions() if a.label == "Send" and a.inputs == (REQUEST,)]
    assert told  # the chat was opened and asked before the verdict
    replies = [s for s in graph.screens() if "handled by our care team" in s.text]
    assert replies
    assert flow["rules"]["cancel.no-online-path"]["outcome"] == "fail"
    failed = _findings(result, "cancel.no-online-path")
    assert failed and 'another channel ("call us")' in failed[0]["message"]
    assert failed[0]["evidence"]["state"] == flow["exploration"]["other_channel_screen"]
    assert failed[0]["evidence"]["state"] in {s.id for s in replies}  # the chat's own answer, not the page before

"""e2e on a Japanese cancellation funnel (tests/sites/kaiyaku): Japanese has no spaces between words, so the
pack's Japanese phrases are found inside longer runs of text ("解約" in "解約手続きへ"), the explorer finds its
way by them, and the rules read Japanese: a save offer declined by a shaming link, a survey that holds its
forward button, a last screen that warns. Every screen's language is recorded; the last page says nothing in
a `lang` attribute, so its language comes from its words."""

from __future__ import annotations

import json

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def test_a_japanese_cancellation_reaches_its_goal_and_its_findings_fire(sites_server, tmp_path):
    result = run(load_specs([SITES / "kaiyaku" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["goal_reached"], flow["exploration"]
    labels = [s["label"] for s in flow["path"]]
    assert labels[:3] == ["ご契約内容", "解約手続きへ", "いいえ、お得な割引はいりません"]
    assert labels[-2:] == ["次へ", "解約を確定する"]
    assert [s["intent"] for s in flow["path"]][:2] == ["path", "exit"]
    fired = {f["rule"]: f for f in result.report["findings"]}
    assert {"cancel.confirmshaming", "cancel.forced-survey", "cancel.retention-detours"} <= set(fired)
    assert "いいえ、お得な割引はいりません" in fired["cancel.confirmshaming"]["message"]
    assert "cancel.no-confirmation" not in fired  # "解約手続きが完了しました" confirms it
    states = {s["url"].rsplit("/", 1)[-1].split("?")[0]: s for s in flow["states"]}
    assert {s["lang"] for s in states.values()} == {"ja"}
    assert states["done.html"]["lang"] == "ja"  # no lang attribute: told by its words
    graph = json.loads((tmp_path / "flows" / "kaiyaku-cancel" / "graph.json").read_text(encoding="utf-8"))
    assert {s["lang"] for s in graph["states"]} == {"ja"}

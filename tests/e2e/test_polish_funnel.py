"""e2e on a Polish sparring site (tests/sites/kinopolis): a cancellation funnel whose way out is a small grey
link, then a save offer declined by a shaming "Nie, dziękuję, wolę płacić więcej", then "Czy na pewno ...?"
where the exit is a grey link beside a big keep button, and a Polish confirmation at the end. No English word
is on the way: the explorer and the rules know the words from core.yaml's `pl` vocabulary alone."""

from __future__ import annotations

import pytest

from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def test_a_polish_cancellation_funnel_reaches_its_goal_and_its_findings_fire(sites_server, tmp_path):
    sites_server.clear_hits()
    result = run(load_specs([SITES / "kinopolis" / "flow.yaml"]), tmp_path)
    flow = result.report["flows"][0]
    assert flow["status"] == "complete" and flow["goal_reached"]
    steps = [(s["label"], s["intent"]) for s in flow["path"]]
    assert steps == [
        ("Zrezygnuj z subskrypcji", "exit"),
        ("Nie, dziękuję, wolę płacić więcej", "exit"),  # the offer's decline leads on to the exit
        ("Anuluj subskrypcję", "exit"),
    ]
    kinds = {s["title"]: s["kind"] for s in flow["states"]}
    assert kinds["Zanim odejdziesz – Kinopolis"] == "offer"  # "zanim odejdziesz" beside "Odbierz zniżkę"
    assert sites_server.count("/kinopolis/wyloguj.html") == 0  # "Wyloguj" is avoided, never followed
    findings = {f["rule"]: f for f in result.report["findings"]}
    assert findings["cancel.confirmshaming"]["evidence"]["label"] == "Nie, dziękuję, wolę płacić więcej"
    assert findings["cancel.exit-less-prominent"]["evidence"]["label"] == "Anuluj subskrypcję"
    assert "cancel.retention-detours" in findings and "cancel.hidden-exit" in findings
    assert "cancel.no-confirmation" not in findings  # "Subskrypcja anulowana ... nie zostanie odnowiona"

"""The progress display: live table on a terminal, one line per finished flow in logs, nothing when quiet."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from auditor.analyse import analyse
from auditor.classify import Vocabulary
from auditor.graph import FlowGraph
from auditor.progress import FlowProgress, progress_display

FIXTURES = Path(__file__).parent.parent / "auditor" / "rules" / "packs" / "fixtures"


def test_rows_follow_the_explorer_events():
    graph = FlowGraph.load(FIXTURES / "iliad-cancel.graph.json")
    state = FlowProgress(["iliad-cancel", "iliad-signup"])
    state.update({"flow": "iliad-cancel", "states": 3, "depth": 2, "actions": 4})
    state.update({"flow": "iliad-cancel", "states": 5, "depth": 1, "actions": 7})
    row = state.rows["iliad-cancel"]
    assert (row.status, row.states, row.depth, row.actions) == ("exploring", 5, 2, 7)  # depth: the deepest seen
    metrics = analyse(graph, Vocabulary.default()).metrics()
    state.update(
        {"flow": "iliad-cancel", "done": True, "metrics": metrics, "exploration": graph.exploration, "findings": 11}
    )
    assert row.status == "done" and row.goal == f"reached in {metrics['steps_to_goal']} steps"
    assert state.line("iliad-cancel", None).startswith("  iliad-cancel: goal reached in 8 steps (")
    assert "11 findings" in state.line("iliad-cancel", None)
    text = io.StringIO()
    Console(file=text, width=120).print(state.table())
    assert "iliad-signup" in text.getvalue() and "waiting" in text.getvalue()


def test_logs_get_one_line_per_finished_flow_and_quiet_gets_nothing():
    graph = FlowGraph.load(FIXTURES / "fair-cancel.graph.json")
    out = io.StringIO()
    with progress_display(["fair-cancel"], quiet=False, console=Console(file=out)) as show:
        assert show is not None
        show({"flow": "fair-cancel", "states": 1, "depth": 0, "actions": 0})
        metrics = analyse(graph, Vocabulary.default()).metrics()
        show({"flow": "fair-cancel", "done": True, "metrics": metrics, "exploration": graph.exploration, "findings": 0})
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("  fair-cancel: goal reached in 2 steps (3 states, 0 findings")
    with progress_display(["fair-cancel"], quiet=True) as show:
        assert show is None


def test_log_lines_are_never_wrapped_and_verbose_logs_each_new_state():
    """Outside a terminal a console is 80 columns wide by default; a CI log must still get whole lines."""
    graph = FlowGraph.load(FIXTURES / "fair-cancel.graph.json")
    name = "fair-cancel-" + "x" * 100
    out = io.StringIO()
    with progress_display([name], quiet=False, console=Console(file=out, width=40), verbose=True) as show:
        assert show is not None
        show({"flow": name, "states": 1, "depth": 0, "actions": 1})
        show({"flow": name, "states": 1, "depth": 0, "actions": 2})  # no new state: no line
        show({"flow": name, "states": 2, "depth": 1, "actions": 3})
        metrics = analyse(graph, Vocabulary.default()).metrics()
        show({"flow": name, "done": True, "metrics": metrics, "exploration": graph.exploration, "findings": 1})
    lines = out.getvalue().splitlines()
    assert lines == [
        f"  {name}: 1 state, depth 0, 1 action",
        f"  {name}: 2 states, depth 1, 3 actions",
        f"  {name}: goal reached in 2 steps (3 states, 1 finding, {graph.exploration['seconds']}s)",
    ]

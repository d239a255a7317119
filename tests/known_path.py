"""One check for every e2e test that holds an audited flow against its known shortest path (a paths.yaml)."""

from __future__ import annotations

from typing import Any

from auditor.demo.paths import Click


def assert_walks_known_path(flow: dict[str, Any], known: tuple[Click, ...] | None, *, inputs: bool = True) -> None:
    """The report's flow took the known path: complete, with the verdict it implies (None: no path, the goal is
    not reachable), as many steps, each step's label one of the click's; with `inputs`, each step typed the
    fields the click types (by label)."""
    assert flow["status"] == "complete", flow["error"]
    if known is None:
        assert flow["goal_reached"] is False
        assert flow["metrics"]["steps_to_goal"] is None and flow["path"] == []
        return
    assert flow["goal_reached"] is True
    assert flow["metrics"]["steps_to_goal"] == len(known), [s["label"] for s in flow["path"]]
    for step, click in zip(flow["path"], known, strict=True):
        assert step["label"] in click.labels, [s["label"] for s in flow["path"]]
        if inputs:
            assert set(step["inputs"]) == {field for field, _ in click.inputs}, step["label"]

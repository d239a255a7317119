"""Building small FlowGraphs by hand for check tests (no browser)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditor.graph import Action, FlowGraph


def add_edges(graph: FlowGraph, edges: Iterable[tuple[Any, ...]]) -> None:
    """Edges are (source, target, label[, {Action fields}]); the action uses the source screen's element with
    that label. A charge edge's target is marked a goal, as the explorer marks it."""
    for order, (u, v, label, *extra) in enumerate(edges):
        record = next(e for e in graph.screen(u).elements if e.label == label)
        action = Action(record.key, record.kind, label, record.role, record.selector, record, order=order)
        if extra:
            action = Action(**{**action.__dict__, **extra[0]})
        graph.add_action(u, v, action)
        if action.charges:
            graph.mark_goal(v)

"""The offline half of the pipeline for one run: analyse -> evaluate -> report model.

`run.py` explores flows and hands each finished graph to an `Assessment`; `auditor check` and the tests hand
it saved graphs. Each flow is analysed once, when it arrives, and evaluated again only when it or its
compare_with partner changed, so rewriting the report after every finished flow stays linear in flows.
Nothing here imports Playwright.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from auditor.analyse import Analysed, analyse
from auditor.graph import FlowGraph
from auditor.report.model import build_report, flow_entry, pending_flow, rule_info
from auditor.rules.engine import evaluate_flow
from auditor.rules.pack import RuleSet
from auditor.spec import FlowSpec


@dataclass
class Assessment:
    """The judged flows of one run, kept up to date as flows finish."""

    rules: RuleSet
    order: Sequence[str] = ()  # flow names in the order the report lists them (the specs' order)
    flows: dict[str, Analysed] = field(default_factory=dict)
    files: dict[str, str | None] = field(default_factory=dict)  # graph.json, relative to the report
    judged: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = field(default_factory=dict)

    def add(self, name: str, graph: FlowGraph, graph_file: str | None = None) -> None:
        """Analyse a finished flow; evaluate it and every flow that compares itself with it."""
        self.flows[name] = analyse(graph, self.rules.vocabulary)
        self.files[name] = graph_file
        for other, flow in self.flows.items():
            if other == name or flow.graph.flow.get("compare_with") == name:
                self.judged[other] = evaluate_flow(other, self.flows, self.rules)

    def findings(self, name: str) -> list[dict[str, Any]]:
        return self.judged[name][1]

    def report(
        self, *, pending: Sequence[FlowSpec] = (), browser: dict[str, Any], started: float, finished: float
    ) -> dict[str, Any]:
        """The whole report: finished flows (in `order`, then as added), then the unfinished (incomplete)."""
        rank = {name: i for i, name in enumerate(self.order)}
        names = sorted(self.flows, key=lambda n: rank.get(n, len(rank)))
        entries = [flow_entry(self.flows[n], self.files[n], self.judged[n][0]) for n in names]
        entries += [pending_flow(spec) for spec in pending]
        return build_report(
            entries,
            findings=[f for n in names for f in self.judged[n][1]],
            packs=self.rules.describe(),
            catalog=[rule_info(rule) for rule in self.rules.enabled],
            browser=browser,
            started=started,
            finished=finished,
        )


def report_from_graphs(
    graphs: Mapping[str, FlowGraph],
    graph_files: Mapping[str, str],
    rules: RuleSet,
    *,
    pending: Sequence[FlowSpec] = (),
    browser: dict[str, Any],
    started: float,
    finished: float,
) -> dict[str, Any]:
    """Analyse and evaluate saved graphs at once and build their report (as `auditor check` does)."""
    assessment = Assessment(rules, order=list(graphs))
    for name, graph in graphs.items():
        assessment.add(name, graph, graph_files.get(name))
    return assessment.report(pending=pending, browser=browser, started=started, finished=finished)

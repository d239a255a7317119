"""`auditor rules test`: every rule proves itself on saved graphs, as Semgrep rules do on fixtures.

A pack lists its fixtures explicitly under `tests:` (a saved graph, its comparison partner, the rules
that must fire and those that must stay quiet), so a renamed file or rule is an error, not a silent skip.
For the rules a pack defines itself, checking is strict: a finding not listed under `fires` is
*unexpected*; each of them must be shown firing somewhere and staying quiet somewhere. Inherited rules
are checked only where a fixture names them. No browser runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from auditor.analyse import analyse
from auditor.graph import FlowGraph
from auditor.rules.engine import evaluate
from auditor.rules.pack import RuleSet, load_rules
from auditor.yamlsource import Problem, raise_problems


@dataclass
class RuleReport:
    rule: str
    fired_in: list[str] = field(default_factory=list)
    quiet_in: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)  # fixtures where it should have fired and did not
    unexpected: list[str] = field(default_factory=list)  # fixtures where it fired and should not have
    undecided: list[str] = field(default_factory=list)  # listed as quiet, but the check could not tell
    own: bool = False

    @property
    def problems(self) -> list[str]:
        out = [f"missed on {f}" for f in self.missed] + [f"unexpected on {f}" for f in self.unexpected]
        out += [f"could not tell on {f}" for f in self.undecided]
        if self.own and not self.fired_in:
            out.append("no fixture shows it firing")
        if self.own and not self.quiet_in:
            out.append("no fixture shows it staying quiet")
        return out


@dataclass
class PackReport:
    pack: str
    file: str
    fixtures: int
    rules: dict[str, RuleReport]

    @property
    def ok(self) -> bool:
        return all(not r.problems for r in self.rules.values())


def _load_graph(pack_dir: Path, name: str, where: Problem) -> FlowGraph:
    path = pack_dir / name
    try:
        return FlowGraph.load(path)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise_problems([Problem(where.file, where.line, f"cannot load fixture {name}: {exc}")])
        raise AssertionError("unreachable") from exc


def test_pack(ref: str) -> PackReport:
    rules: RuleSet = load_rules([ref])
    pack = rules.packs[-1]
    tests = pack.data.get("tests") or []
    own = {r.id for r in rules.enabled if r.pack == pack.name}
    reports = {r.id: RuleReport(r.id, own=r.id in own) for r in rules.enabled if r.id in own}
    unknown = [
        pack.doc.problem(("tests", i, key, j), f"tests[{i}].{key}: no enabled rule {rid!r} in this pack")
        for i, test in enumerate(tests)
        for key in ("fires", "quiet")
        for j, rid in enumerate(test.get(key) or [])
        if rid not in rules.rules or not rules.rules[rid].enabled
    ]
    raise_problems(unknown)
    for i, test in enumerate(tests):
        graph = _load_graph(pack.path.parent, test["graph"], pack.doc.problem(("tests", i, "graph"), ""))
        graphs = {graph.flow.get("name", test["graph"]): graph}
        if "partner" in test:
            partner = _load_graph(pack.path.parent, test["partner"], pack.doc.problem(("tests", i, "partner"), ""))
            graphs[partner.flow.get("name", test["partner"])] = partner
        name = graph.flow.get("name", test["graph"])
        evaluation = evaluate({n: analyse(g, rules.vocabulary) for n, g in graphs.items()}, rules)
        fired = {f["rule"] for f in evaluation.findings if f["flow"] == name}
        outcomes = evaluation.outcomes[name]
        fires, quiet = set(test.get("fires") or []), set(test.get("quiet") or [])
        for rid in sorted(fires | quiet | own):
            report = reports.setdefault(rid, RuleReport(rid))
            checked = rid in fires or rid in quiet or rid in own
            if rid in fires and rid not in fired:
                report.missed.append(test["graph"])
            elif rid in fired and rid not in fires and checked:
                report.unexpected.append(test["graph"])
            elif rid in fired:
                report.fired_in.append(test["graph"])
            elif outcomes.get(rid, {}).get("outcome") == "pass":
                report.quiet_in.append(test["graph"])
            elif rid in quiet:
                report.undecided.append(test["graph"])
    return PackReport(pack.name, str(pack.path), len(tests), dict(sorted(reports.items())))

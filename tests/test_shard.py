"""Sharding flows across CI jobs and merging the shard reports (saved graphs, no browser)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.assess import report_from_graphs
from auditor.errors import InputError
from auditor.graph import FlowGraph
from auditor.rules.pack import load_rules
from auditor.shard import merge_reports, parse_shard, select_shard
from auditor.spec import FlowSpec, Goal, SourceRef

FIXTURES = Path(__file__).parent.parent / "auditor" / "rules" / "packs" / "fixtures"
PAIRS = ["abo", "fair", "fittrack", "iliad", "phone", "spa", "vertrag"]


def _spec(name: str, partner: str | None = None) -> FlowSpec:
    return FlowSpec(
        name=name,
        kind="cancellation" if partner else "signup",
        start="http://127.0.0.1/",
        goal=Goal(text="done"),
        source=SourceRef("x.yaml", 1),
        compare_with=partner,
    )


SPECS = [s for site in PAIRS for s in (_spec(f"{site}-cancel", f"{site}-signup"), _spec(f"{site}-signup"))]
SPECS += [_spec(n) for n in ("gems-iap", "cartly-purchase", "brightbox-purchase")]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 20])
def test_every_flow_in_exactly_one_shard_with_its_partner(count):
    shards = [select_shard(SPECS, i, count) for i in range(1, count + 1)]
    names = [s.name for shard in shards for s in shard]
    assert sorted(names) == sorted(s.name for s in SPECS)
    for shard in shards:
        inside = {s.name for s in shard}
        assert all(s.compare_with in inside for s in shard if s.compare_with)
    sizes = [len(shard) for shard in shards]
    assert max(sizes) - min(sizes) <= 2  # groups are at most 2 flows here
    assert shards == [select_shard(list(SPECS), i, count) for i in range(1, count + 1)]  # deterministic


def test_shard_order_follows_the_specs_and_ignores_their_order_for_the_split():
    reordered = list(reversed(SPECS))
    for i in (1, 2, 3):
        assert {s.name for s in select_shard(SPECS, i, 3)} == {s.name for s in select_shard(reordered, i, 3)}


@pytest.mark.parametrize("bad", ["0/2", "3/2", "1", "a/b", "1/0", "-1/2", ""])
def test_parse_shard_rejects_nonsense(bad):
    with pytest.raises(ValueError):
        parse_shard(bad)
    assert parse_shard(" 2 / 4 ") == (2, 4)


def _report(names: list[str], folder: Path, packs: tuple[str, ...] = ()) -> Path:
    graphs = {n: FlowGraph.load(FIXTURES / f"{n}.graph.json") for n in names}
    now = time.time()
    files = {n: f"flows/{n}/graph.json" for n in names}
    report = report_from_graphs(graphs, files, load_rules(packs), browser={"name": "none"}, started=now, finished=now)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(json.dumps(report))
    return folder / "report.json"


def test_merged_shards_equal_one_whole_run(tmp_path):
    names = ["iliad-cancel", "iliad-signup", "fittrack-cancel", "fittrack-signup", "phone-cancel", "phone-signup"]
    whole = json.loads(_report(names, tmp_path / "whole").read_text())
    parts = [
        _report(names[:2], tmp_path / "shard-1"),
        _report(names[2:4], tmp_path / "shard-2"),
        _report(names[4:], tmp_path / "shard-3"),
    ]
    merged = merge_reports([(p, json.loads(p.read_text())) for p in parts], tmp_path / "merged")
    assert sorted(f["fingerprint"] for f in merged["findings"]) == sorted(f["fingerprint"] for f in whole["findings"])
    assert merged["summary"] == whole["summary"]
    iliad = next(f for f in merged["flows"] if f["name"] == "iliad-cancel")
    assert iliad["graph"] == "../shard-1/flows/iliad-cancel/graph.json"
    assert iliad["path"][0]["screenshot"].startswith("../shard-1/flows/iliad-cancel/")
    finding = next(f for f in merged["findings"] if f["flow"] == "phone-cancel")
    assert finding["evidence"]["screenshot"].startswith("../shard-3/")
    assert merged["merged_from"] == [str(p) for p in parts]


def test_merge_refuses_a_flow_twice_and_mixed_packs(tmp_path):
    a = _report(["fair-cancel"], tmp_path / "a")
    b = _report(["fair-cancel"], tmp_path / "b")
    with pytest.raises(InputError, match="'fair-cancel' is also in"):
        merge_reports([(a, json.loads(a.read_text())), (b, json.loads(b.read_text()))], tmp_path)
    c = _report(["fair-signup"], tmp_path / "c", ("us-ftc",))
    with pytest.raises(InputError, match="other rule packs"):
        merge_reports([(a, json.loads(a.read_text())), (c, json.loads(c.read_text()))], tmp_path)


def test_merge_command_writes_the_formats_and_exits_like_the_whole_run(tmp_path):
    a = _report(["iliad-cancel", "iliad-signup"], tmp_path / "a", ("us-ftc",))
    b = _report(["fair-cancel", "fair-signup"], tmp_path / "b", ("us-ftc",))
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "merge", str(a), str(b), "--out", str(tmp_path / "m"), "--format", "all"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr  # iliad's error findings fail the merged run
    merged = json.loads((tmp_path / "m" / "report.json").read_text())
    assert [f["name"] for f in merged["flows"]] == ["iliad-cancel", "iliad-signup", "fair-cancel", "fair-signup"]
    assert {p.name for p in (tmp_path / "m").iterdir()} == {
        "report.json", "report.html", "report.sarif", "junit.xml", "report.md"
    }

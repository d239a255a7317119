"""Bad input and bad ground (issue 25): each case ends in `FILE[:LINE]: what` and exit 2 (or a normal run),
never a traceback, a hang or a gigabyte, and each is bounded here in time (pytest-timeout) and, where memory
is the point, in memory (tracemalloc, or an address-space limit on the child process).

Cases: a spec aliasing a 3 MB text many times; a pack regex with alternatives that start alike, `(a|a)+$`;
`storage_state: /dev/zero` and a FIFO; `--out` under a file or where nothing can be created; links planted in
a reused --out; wrong types in a tampered graph.json; a 100k-state chain graph; a FIFO as a screenshot; a bad
time zone or proxy, refused when the spec loads.
"""

from __future__ import annotations

import copy
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from auditor.assess import report_from_graphs
from auditor.errors import InputError
from auditor.graph import FlowGraph
from auditor.report.formats import FORMATS, ReportWriter
from auditor.rules.pack import load_rules
from auditor.run import flow_dirs, run
from auditor.spec import load_specs
from tests.conftest import SITES

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_GRAPH = ROOT / "auditor/rules/packs/fixtures/fair-cancel.graph.json"
FLOW = "name: f\nkind: cancellation\nstart: https://shop.test/account\ngoal: {text: Cancelled}\n"


def auditor(*args: str, cwd: Path | None = None, limit_mb: int | None = None, timeout: float = 120) -> tuple[int, str]:
    """`python -m auditor ARGS`: exit code and stderr (with `limit_mb`, under that address-space limit)."""

    def limit() -> None:
        if limit_mb:
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))

    proc = subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=limit,
    )
    return proc.returncode, proc.stderr


def refused(code: int, stderr: str, where: str) -> None:
    assert code == 2, stderr
    assert "Traceback" not in stderr and where in stderr, stderr


# ---- YAML: bounded in bytes expanded ---------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_a_huge_text_aliased_many_times_is_refused_fast_and_small(tmp_path: Path) -> None:
    """4 MB of spec: a 3 MB text and 2,000 aliases of it (6 GB once expanded). Before: still loading after 20 s.
    Measured in a child process: its CPU time, and an address-space limit of 1 GB (tracemalloc would make
    PyYAML's pure-Python scanner ten times slower)."""
    big = "x" * (3 * 1024 * 1024)
    aliases = "".join(f"  k{i}: *s\n" for i in range(2000))
    path = tmp_path / "bomb.yaml"
    path.write_text(f"{FLOW}explore: {{avoid: [&s '{big}']}}\ninputs:\n{aliases}")
    assert 3 << 20 < path.stat().st_size < 5 << 20
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    code, stderr = auditor("audit", str(path), "--out", str(tmp_path / "out"), limit_mb=1024, timeout=110)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    refused(code, stderr, f"{path}:5: document expands to more than 10 MB of text")
    assert after.ru_utime - before.ru_utime < 20


def test_aliases_within_the_bound_still_load(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        f"{FLOW}explore: {{avoid: [&s Keep my plan]}}\ninputs:\n" + "".join(f"  k{i}: *s\n" for i in range(50))
    )
    assert load_specs([path])[0].inputs["k49"].reveal() == "Keep my plan"


# ---- pack regexes ----------------------------------------------------------------------------------------

PACK = """pack: hostile
version: "1"
extends: [core]
vocabulary:
  phrases:
    offer:
      en: ["re:{regex}"]
"""


@pytest.mark.timeout(300)
@pytest.mark.parametrize("regex", ["(a|a)+$", "(?:x(a|ab))+$", "(\\\\w|\\\\d)+!", "(a|)+b"])
def test_regexes_that_backtrack_are_refused_by_validate_and_check(tmp_path: Path, regex: str) -> None:
    pack = tmp_path / "hostile.yaml"
    pack.write_text(PACK.format(regex=regex))
    code, stderr = auditor("rules", "validate", str(pack))
    refused(code, stderr, f"{pack}:7:")
    assert "alternatives that may start alike" in stderr
    code, stderr = auditor("check", str(FIXTURE_GRAPH), "--rules", str(pack), "--out", str(tmp_path / "out"))
    refused(code, stderr, f"{pack}:7:")


# ---- storage_state, --out, time zone, proxy: refused when the spec loads ------------------------------------


@pytest.mark.timeout(60)
def test_storage_state_that_is_no_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "state.fifo"
    os.mkfifo(fifo)
    for target in ("/dev/zero", str(fifo), str(tmp_path)):
        spec = tmp_path / "flow.yaml"
        spec.write_text(f"{FLOW}storage_state: {target}\n")
        with pytest.raises(InputError) as error:
            load_specs([spec])
        assert str(error.value).startswith(f"{spec}:5: storage_state:"), str(error.value)


@pytest.mark.timeout(300)
def test_a_bad_out_is_refused_before_any_crawl(tmp_path: Path) -> None:
    """The site cannot be reached at all: the only way to exit 2 fast is to check --out before the crawl."""
    spec = tmp_path / "flow.yaml"
    spec.write_text(FLOW.replace("https://shop.test", "http://127.0.0.1:9"))
    (tmp_path / "afile").write_text("x")
    for out in (tmp_path / "afile" / "out", Path("/proc/auditor-out"), Path("/dev/null/out")):
        started = time.monotonic()
        code, stderr = auditor("audit", str(spec), "--out", str(out), "--quiet")
        refused(code, stderr, f"--out {out}:")
        assert time.monotonic() - started < 60 and not out.exists()
    code, stderr = auditor("check", str(FIXTURE_GRAPH), "--out", str(tmp_path / "afile" / "out"))
    refused(code, stderr, "--out")


def test_a_driver_that_cannot_start_is_a_set_up_message_not_a_traceback(tmp_path: Path, monkeypatch: Any) -> None:
    """Playwright's Node.js driver missing (PLAYWRIGHT_NODEJS_PATH points nowhere): one line and exit 2, as
    for a missing Chromium, and not asyncio's "Future exception was never retrieved" after it."""
    spec = tmp_path / "flow.yaml"
    spec.write_text(FLOW.replace("https://shop.test", "http://127.0.0.1:9"))
    monkeypatch.setenv("PLAYWRIGHT_NODEJS_PATH", str(tmp_path / "no-node"))
    code, stderr = auditor("audit", str(spec), "--out", str(tmp_path / "out"), "--quiet")
    refused(code, stderr, "could not start Playwright's driver")
    assert "never retrieved" not in stderr, stderr


@pytest.mark.timeout(300)  # four CLI runs of a few seconds each, on a busy machine
def test_time_zone_and_proxy_are_checked_at_load(tmp_path: Path) -> None:
    cases = {
        "timezone: Mars/Olympus": "timezone: 'Mars/Olympus' is not a time zone",
        "proxy: http://proxy.example:99999": "is not a proxy such as",
        "proxy: ftp://user:hunter2secret@proxy.example": "is not a proxy such as",
        "proxy: {server: 'http://u:hunter2secret@proxy.example:3128', password: x}": "credentials once",
    }
    for i, (line, message) in enumerate(cases.items()):
        spec = tmp_path / f"flow{i}.yaml"
        spec.write_text(f"{FLOW}{line}\n")
        code, stderr = auditor("audit", str(spec), "--out", str(tmp_path / "out"), "--quiet")
        refused(code, stderr, f"{spec}:5:")
        assert message in stderr and "hunter2secret" not in stderr, stderr
    assert not (tmp_path / "out" / "report.json").exists()


def test_proxy_credentials_in_the_url_go_to_username_and_password(tmp_path: Path) -> None:
    spec = tmp_path / "flow.yaml"
    spec.write_text(f"{FLOW}proxy: 'http://pro%40xy-user:p%40ss%3Aw0rd@127.0.0.1:3128'\n")
    (flow,) = load_specs([spec])
    assert flow.proxy is not None and flow.proxy.server == "http://127.0.0.1:3128"
    assert flow.proxy.to_playwright() == {
        "server": "http://127.0.0.1:3128",
        "username": "pro@xy-user",
        "password": "p@ss:w0rd",
    }
    assert flow.context_record()["proxy"] == "http://127.0.0.1:3128"


# ---- graph.json: types checked on load, linear memory, screenshots that are no files -----------------------


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path of a JSON document (containers and leaves)."""
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _leaves(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node[:2]):  # the first two items of each list stand for the rest
            out += _leaves(value, path + (i,))
    return out


WRONG = [None, True, -1, 1e308, "x", [], {}, [1, "a"], {"a": [None]}]


def _set(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    copied = copy.deepcopy(document)
    node = copied
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copied


@pytest.mark.timeout(600)
def test_a_tampered_graph_loads_and_checks_or_is_refused(tmp_path: Path) -> None:
    """Each field of a real graph.json set to each wrong type: either the graph loads and is checked and
    rendered in every format, or loading says what is wrong (ValueError, turned into exit 2); nothing else."""
    graph = json.loads(FIXTURE_GRAPH.read_text())
    rules = load_rules(())
    writer = ReportWriter(tmp_path, list(FORMATS))
    failures = []
    refusals = 0
    for path in _leaves(graph):
        for value in WRONG:
            file = tmp_path / "tampered.json"
            file.write_text(json.dumps(_set(graph, path, value)))
            try:
                loaded = FlowGraph.load(file)
            except ValueError:
                refusals += 1
                continue
            try:
                report = report_from_graphs({"f": loaded}, {"f": "g.json"}, rules, browser={}, started=0, finished=0)
                writer.final(writer.prepare(report))
            except Exception as exc:  # noqa: BLE001 -- any exception here is the failure being looked for
                failures.append(f"{path} = {value!r}: {type(exc).__name__}: {exc}")
    assert refusals > 100
    assert not failures, "\n".join(failures[:20])


def test_cli_names_the_tampered_field_and_its_line(tmp_path: Path) -> None:
    graph = json.loads(FIXTURE_GRAPH.read_text())
    graph["states"][1]["depth"] = "two"
    file = tmp_path / "graph.json"
    file.write_text(json.dumps(graph, indent=1))
    line = file.read_text().splitlines().index('   "depth": "two",') + 1
    code, stderr = auditor("check", str(file), "--out", str(tmp_path / "out"))
    refused(code, stderr, f"{file}:{line}: not a graph.json: states[1].depth: expected int, got str")


def chain(n: int) -> dict[str, Any]:
    """A graph whose only way to the goal passes n states, one action each."""
    element = {"kind": "click", "label": "Next", "role": "button", "tag": "button", "selector": "#next"}
    states = [
        {"id": f"s{i}", "fingerprint": f"f{i}", "url": f"https://shop.test/p{i}", "title": f"Step {i}",
         "text": "Your plan has been cancelled" if i == n - 1 else "Continue",
         "elements": [{**element, "key": f"k{i}"}]}
        for i in range(n)
    ]  # fmt: skip
    actions = [
        {"source": f"s{i}", "target": f"s{i + 1}", "key": f"k{i}", "kind": "click", "label": "Next", "order": i}
        for i in range(n - 1)
    ]
    return {"schema": "retention-auditor/graph/v2", "flow": {"name": "chain", "kind": "cancellation"},
            "start": "s0", "goals": [f"s{n - 1}"], "exploration": {"status": "complete"},
            "states": states, "actions": actions}  # fmt: skip


@pytest.mark.timeout(900)
def test_a_100k_state_chain_checks_in_linear_memory(tmp_path: Path) -> None:
    """`auditor check` of a chain of 100,000 screens under a 3 GB address-space limit. A path kept per state
    (networkx's single_source_dijkstra) would need 100,000^2 / 2 list slots: 40 GB."""
    file = tmp_path / "chain.json"
    file.write_text(json.dumps(chain(100_000)))
    out = tmp_path / "out"
    code, stderr = auditor("check", str(file), "--out", str(out), "--json", limit_mb=3072, timeout=850)
    assert code in (0, 1) and "Traceback" not in stderr, stderr[-3000:]
    flow = json.loads((out / "report.json").read_text())["flows"][0]
    assert flow["metrics"]["steps_to_goal"] == 99_999


@pytest.mark.timeout(120)
def test_a_fifo_as_a_screenshot_does_not_hang_check(tmp_path: Path) -> None:
    graph = json.loads(FIXTURE_GRAPH.read_text())
    (tmp_path / "screens").mkdir()
    for i, state in enumerate(graph["states"]):
        state["screenshot"] = f"screens/s{i}.png"
        os.mkfifo(tmp_path / "screens" / f"s{i}.png")
    (tmp_path / "screens" / "s0.png").unlink()
    (tmp_path / "screens" / "s0.png").symlink_to("/dev/zero")
    file = tmp_path / "graph.json"
    file.write_text(json.dumps(graph))
    code, stderr = auditor("check", str(file), "--out", str(tmp_path), "--format", "all", timeout=100)
    assert code in (0, 1) and "Traceback" not in stderr, stderr
    assert (tmp_path / "report.html").is_file()


# ---- a reused --out with links planted in it ----------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.timeout(300)
def test_links_planted_in_a_reused_out_are_never_written_through(sites_server: Any, tmp_path: Path) -> None:
    (spec,) = load_specs([SITES / "tiny" / "flow.yaml"])
    spec = replace(spec, trace="on")
    out = tmp_path / "out"
    folder = flow_dirs([spec], out)[spec.name]
    victims = tmp_path / "victims"
    victims.mkdir()
    (victims / "screens").mkdir()
    planted = {
        folder / "trace.zip": victims / "trace",
        folder / "graph.json": victims / "graph",
        out / "report.json": victims / "report",
        out / "report.html": victims / "html",
    }
    for link, victim in planted.items():
        victim.write_text("victim")
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(victim)
    (folder / "screens").symlink_to(victims / "screens")  # a folder link: screenshots would land in victims/
    result = run([spec], out, writer=ReportWriter(out, ["json", "html"]))
    assert result.report["flows"][0]["goal_reached"]
    assert all(victim.read_text() == "victim" for victim in planted.values())
    assert not any((victims / "screens").iterdir())
    written = [folder / "trace.zip", folder / "graph.json", out / "report.json", out / "report.html"]
    assert all(p.is_file() and not p.is_symlink() for p in written)
    shots = list((folder / "screens").glob("*.png"))
    assert shots and not (folder / "screens").is_symlink()

"""Audit the demo several times and print what differs between the runs: per flow its graph (every action as
source, control, target) and what a report must keep (bench/same_report.py: verdict, path, rules, findings).

An audit of one site should find the same graph every time. Where it does not, the explorer depends on
timing or on noise it does not strip: a frame probed before it parsed, a random word that cut a dialog's text
differently (both found this way, under `--realistic`, where responses are slow and scripts large). Timing
differences show best with `--realistic` and with `--jobs 2` on 2 cores.

Run: `.venv/bin/python -m bench.determinism [--runs 3] [--realistic] [--jobs N] [--only NAME,...]`; exit 1 when
any two runs differ.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from auditor.demo import demo_specs
from auditor.demo.server import DemoServer, Weight
from auditor.report.formats import ReportWriter
from auditor.run import run
from auditor.spec import load_specs
from bench.same_report import differences


def graphs(report: dict[str, Any], out: Path) -> dict[str, set[tuple[str, str, str]]]:
    """Per flow, its actions as (source, control key, target)."""
    found = {}
    for flow in report["flows"]:
        graph = json.loads((out / flow["graph"]).read_text()) if flow.get("graph") else {"actions": []}
        found[flow["name"]] = {(a["source"], a["key"], a["target"]) for a in graph["actions"]}
    return found


def compare(first: dict[str, Any], other: dict[str, Any], run_no: int) -> list[str]:
    """What run `run_no` found otherwise than the first run."""
    out = [f"run {run_no}: {line}" for line in differences(first["report"], other["report"])]
    for name, actions in first["graphs"].items():
        theirs = other["graphs"].get(name, set())
        if actions != theirs:
            out.append(f"run {run_no}: {name}: {len(actions)} actions in run 1, {len(theirs)} here")
            out += [f"    only in run 1: {a}" for a in sorted(actions - theirs)[:8]]
            out += [f"    only here:     {a}" for a in sorted(theirs - actions)[:8]]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--realistic", action="store_true", help="60 ms per response, a 1.5 MB script per page")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated flow names")
    args = parser.parse_args()
    only = {n for n in args.only.split(",") if n}
    with DemoServer(weight=Weight() if args.realistic else None) as server:
        os.environ["DEMO_URL"] = server.url
        specs = [s for s in load_specs(demo_specs()) if not only or s.name in only]
        runs, problems = [], []
        for number in range(1, args.runs + 1):
            with tempfile.TemporaryDirectory() as folder:
                out = Path(folder)
                report = run(specs, out, jobs=args.jobs, writer=ReportWriter(out, ["json"])).report
                runs.append({"report": report, "graphs": graphs(report, out)})
            problems += compare(runs[0], runs[-1], number) if number > 1 else []
            print(f"run {number}: {sum(len(g) for g in runs[-1]['graphs'].values())} actions", flush=True)
    for line in problems:
        print(line)
    print(f"{len(specs)} flows, {args.runs} runs: {'the same every time' if not problems else 'DIFFERENT'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

"""e2e: the Ray executor on a local Ray cluster (2 CPUs) gives the same report as a local run of the same
demo flows: the same verdicts, paths, metrics and finding fingerprints. Flows run in Ray worker processes
(async actors owning their own Chromium); the driver writes their evidence and evaluates as usual."""

from __future__ import annotations

import time
from typing import Any

import pytest

from auditor.demo import FLOWS_DIR
from auditor.report.formats import ReportWriter
from auditor.run import run
from auditor.spec import load_specs

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.e2e

SITES = ["fair", "iliad", "fittrack", "spa"]


def _summary(report: dict[str, Any], names: set[str]) -> dict[str, Any]:
    flows = {
        f["name"]: (f["status"], f["goal_reached"], f["metrics"].get("steps_to_goal"), f["metrics"].get("detours"),
                    [step["label"] for step in f["path"]])
        for f in report["flows"] if f["name"] in names
    }  # fmt: skip
    findings = sorted((f["flow"], f["rule"], f["fingerprint"]) for f in report["findings"] if f["flow"] in names)
    return {"flows": flows, "findings": findings}


def test_ray_executor_gives_the_same_report_as_a_local_run(demo_run, tmp_path):
    local, _ = demo_run
    specs = load_specs([FLOWS_DIR / f"{site}.yaml" for site in SITES])
    names = {s.name for s in specs}
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        started = time.monotonic()
        result = run(specs, tmp_path, jobs=2, executor="ray", writer=ReportWriter(tmp_path, ["json", "html"]))
        seconds = time.monotonic() - started
    finally:
        ray.shutdown()
    report = result.report
    assert report["browser"]["executor"] == "ray" and report["browser"]["actors"] == 1
    assert _summary(report, names) == _summary(local.report, names)
    for finding in report["findings"]:  # evidence came back from the workers into --out
        assert (tmp_path / finding["evidence"]["screenshot"]).is_file()
    assert all((tmp_path / f["graph"]).is_file() for f in report["flows"])
    assert seconds < 240

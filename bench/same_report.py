"""Compare two report.json files on what a refactor must not change: per flow its status, goal verdict,
metrics, path (action labels and kinds) and rule outcomes; and every finding's rule, flow, severity, message and
fingerprint. Timing, state ids, screenshot names and exploration counters may differ.

Run: `.venv/bin/python -m bench.same_report BEFORE/report.json AFTER/report.json` (exit 1 when they differ).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

METRICS = ("goal_reached", "steps_to_goal", "pages_to_goal", "options_on_path", "detours", "forced_inputs")


def essentials(report: dict[str, Any]) -> dict[str, Any]:
    flows = {}
    for flow in report["flows"]:
        flows[flow["name"]] = {
            "status": flow["status"],
            "goal_reached": flow["goal_reached"],
            "metrics": {k: flow["metrics"].get(k) for k in METRICS},
            "path": [(step["action"], step["label"], step["intent"]) for step in flow["path"]],
            "rules": {rule: outcome["outcome"] for rule, outcome in sorted(flow["rules"].items())},
        }
    findings = sorted((f["flow"], f["rule"], f["severity"], f["fingerprint"], f["message"]) for f in report["findings"])
    return {"flows": flows, "findings": findings}


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    a, b = essentials(before), essentials(after)
    out = []
    for name in sorted(set(a["flows"]) | set(b["flows"])):
        fa, fb = a["flows"].get(name), b["flows"].get(name)
        if fa is None or fb is None:
            out.append(f"{name}: only in {'after' if fa is None else 'before'}")
            continue
        out += [f"{name}.{key}: {fa[key]!r} -> {fb[key]!r}" for key in fa if fa[key] != fb[key]]
    for finding in sorted(set(a["findings"]) ^ set(b["findings"])):
        side = "before" if finding in a["findings"] else "after"
        out.append(f"finding only {side}: {finding[0]} {finding[1]} {finding[3]}: {finding[4]}")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv)
    diff = differences(before, after)
    flows, findings = len(before["flows"]), len(before["findings"])
    if diff:
        print("\n".join(diff))
        print(f"{len(diff)} difference(s)")
        return 1
    print(f"same: {flows} flows (status, goal, metrics, path, rule outcomes) and {findings} findings (fingerprints)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

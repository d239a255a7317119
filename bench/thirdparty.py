"""Audit the third-party development set: dark-pattern demo sites written by other people, served locally.

For each site folder of a truth file (../shared/thirdparty/devset.yaml), serve the built folder as static files
on 127.0.0.1 (a folder holding a file named `spa` answers unknown paths with its index.html), write the flows
as a spec with `start` prefixed by the server's address, audit them all in one run, and print each flow's goal
verdict and steps against the truth, with the `must` rules it missed, the `must_not` rules it fired and the
`stretch` rules it found; then the whole run's time.

The sites' code is not ours and never enters the repository: build them outside it first (see the truth file's
README: `MIRRORS=/work/.mirror ../shared/thirdparty/build.sh /tmp/devset`).

Run: `.venv/bin/python -m bench.thirdparty [--root /tmp/devset] [--truth ../shared/thirdparty/devset.yaml]
[--only NAME,...] [--out DIR] [--jobs N] [--rules PACK]`; exit 1 when a flow's verdict or steps are wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from auditor.report.formats import ReportWriter
from auditor.rules.pack import load_rules
from auditor.run import run
from auditor.spec import load_specs

HERE = Path(__file__).resolve().parent
DEFAULT_TRUTH = HERE.parent.parent / "shared" / "thirdparty" / "devset.yaml"
SPEC_KEYS = ("name", "kind", "goal", "compare_with", "inputs", "explore", "charges", "profile", "setup")


class _Handler(SimpleHTTPRequestHandler):
    """Static files; with `spa`, an unknown path without a file extension gets index.html (history routers)."""

    spa = False

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if self.spa and not path.exists() and not Path(self.path.split("?")[0]).suffix:
            self.path = "/index.html"
        return super().send_head()


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) in a daemon thread; yields the base URL."""
    handler = type("Handler", (_Handler,), {"spa": (folder / "spa").exists()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def spec_of(flow: dict[str, Any], base: str) -> dict[str, Any]:
    spec = {k: flow[k] for k in SPEC_KEYS if k in flow}
    spec["start"] = base + flow["start"]
    return spec


def judge(flow: dict[str, Any], entry: dict[str, Any], fired: set[str]) -> dict[str, Any]:
    """One flow's result against its truth: verdict, steps, missed `must`, fired `must_not`, found `stretch`."""
    expect = flow.get("expect") or {}
    steps = entry["metrics"].get("steps_to_goal")
    low, high = expect.get("steps", [None, None])
    verdict_ok = entry["goal_reached"] == expect.get("goal_reached", True)
    steps_ok = not entry["goal_reached"] or low is None or (steps is not None and low <= steps <= high)
    return {
        "name": flow["name"],
        "status": entry["status"],
        "goal": "reached" if entry["goal_reached"] else "not reached",
        "verdict_ok": verdict_ok,
        "steps": steps,
        "expected_steps": f"{low}-{high}" if low != high else str(low),
        "steps_ok": steps_ok,
        "missed": sorted(set(expect.get("must") or []) - fired),
        "unexpected": sorted(set(expect.get("must_not") or []) & fired),
        "stretch": sorted(set(expect.get("stretch") or []) & fired),
        "seconds": entry.get("exploration", {}).get("seconds"),
        "error": entry.get("error"),
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = f"{'flow':24} {'status':10} {'goal':11} {'ok':3} {'steps':>5} {'want':>5} {'secs':>6}  missed / unexpected"
    lines = [head]
    for r in rows:
        ok = "yes" if r["verdict_ok"] and r["steps_ok"] else "NO"
        rules = ", ".join([f"-{m}" for m in r["missed"]] + [f"+{u}" for u in r["unexpected"]]) or "-"
        steps = "-" if r["steps"] is None else str(r["steps"])
        secs = "-" if r["seconds"] is None else f"{r['seconds']:.0f}"
        verdict = f"{r['name']:24} {r['status']:10} {r['goal']:11} {ok:3}"
        lines.append(f"{verdict} {steps:>5} {r['expected_steps']:>5} {secs:>6}  {rules}")
        if r["error"]:
            lines.append(f"{'':24} {r['error'][:110]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/tmp/devset"), help="where build.sh put the sites")
    parser.add_argument("--truth", type=Path, default=DEFAULT_TRUTH)
    parser.add_argument("--only", default="", help="comma-separated flow names (their partners come along)")
    parser.add_argument("--out", type=Path, default=None, help="report folder (default: a temporary one)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rules", action="append", default=[], help="rule packs (default: core)")
    args = parser.parse_args(argv)
    truth = yaml.safe_load(args.truth.read_text(encoding="utf-8"))
    wanted = {n for n in args.only.split(",") if n}
    flows_by_site = {site: flows for site, flows in truth.items() if (args.root / site / "index.html").exists()}
    for site in sorted(set(truth) - set(flows_by_site)):
        print(f"skipped {site}: not built under {args.root} (see the truth file's README)", file=sys.stderr)
    if wanted:
        partners = {f.get("compare_with") for fl in flows_by_site.values() for f in fl if f["name"] in wanted}
        wanted |= {p for p in partners if p}
        flows_by_site = {s: [f for f in fl if f["name"] in wanted] for s, fl in flows_by_site.items()}
    with contextlib.ExitStack() as stack:
        specs_data, flows = [], []
        for site, site_flows in flows_by_site.items():
            if not site_flows:
                continue
            base = stack.enter_context(serve(args.root / site))
            specs_data += [spec_of(f, base) for f in site_flows]
            flows += site_flows
        if not flows:
            print("no flows to audit", file=sys.stderr)
            return 2
        out = args.out or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="thirdparty-")))
        spec_file = out / "devset-flows.yaml"
        out.mkdir(parents=True, exist_ok=True)
        spec_file.write_text(yaml.safe_dump({"flows": specs_data}, sort_keys=False), encoding="utf-8")
        specs = load_specs([spec_file])
        started = time.monotonic()
        result = run(specs, out, rules=load_rules(args.rules), jobs=args.jobs, writer=ReportWriter(out, ["json"]))
        seconds = time.monotonic() - started
    entries = {e["name"]: e for e in result.report["flows"]}
    fired: dict[str, set[str]] = {}
    for finding in result.report["findings"]:
        fired.setdefault(finding["flow"], set()).add(finding["rule"])
    rows = [judge(f, entries[f["name"]], fired.get(f["name"], set())) for f in flows]
    print(table(rows))
    right = sum(1 for r in rows if r["verdict_ok"] and r["steps_ok"])
    rules_right = sum(1 for r in rows if not r["missed"] and not r["unexpected"])
    print(
        f"\n{right}/{len(rows)} flows with the right verdict and steps; {rules_right}/{len(rows)} with every must "
        f"rule and no must_not; whole run {seconds:.0f} s with --jobs {args.jobs}"
    )
    return 0 if right == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())

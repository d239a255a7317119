"""Benchmark: does best-first exploration stay flat as decoy pages grow around one cancel flow?

A generated product site has N decoy pages (articles, products, help topics, each linking to a few others, all
reachable from every page's navigation and a grid on the home page) around one 4-step cancel path:
Account -> Manage plan -> Cancel subscription -> Confirm cancellation. For N = 10, 50, 200 the bench audits the
flow and prints time, states explored and steps; then the slope of time against N (seconds per 100 decoys).
A second run per N has a goal that never appears, to show `max_states` bounding the work when there is no goal.

Run: `.venv/bin/python -m bench.growth [--sizes 10,50,200] [--max-states 40]`.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from auditor.run import run
from auditor.spec import ExploreOptions, FlowSpec, Goal, SourceRef

WORDS = ["Summer", "Guide", "Deals", "Travel", "Recipes", "Fitness", "Garden", "Music", "Budget", "Coffee", "Tips"]
PATH = [  # (page, link label to the next page)
    ("/", "Account"),
    ("/account", "Manage plan"),
    ("/plan", "Cancel subscription"),
    ("/plan/cancel", "Confirm cancellation"),
]


def _page(title: str, body: str, decoys: int, seed: int) -> str:
    rng = random.Random(seed)
    picks = rng.sample(range(decoys), min(8, decoys))
    nav = "".join(f'<a href="/d/{i}">{WORDS[i % len(WORDS)]} {i}</a> ' for i in picks)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> {nav}<a href='/account'>Account</a></nav><main><h1>{title}</h1>{body}</main>"
        f"<footer>build {rng.random():.6f}</footer></body></html>"
    )


def make_handler(decoys: int) -> type[BaseHTTPRequestHandler]:
    class Site(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            steps = dict(PATH)
            if path == "/":
                items = (f'<li><a href="/d/{i}">{WORDS[i % len(WORDS)]} story {i}</a></li>' for i in range(decoys))
                grid = "".join(items)
                body = f"<p>Welcome back.</p><ul>{grid}</ul>"
            elif path in steps:
                nxt = PATH[[p for p, _ in PATH].index(path) + 1][0] if path != "/plan/cancel" else "/done"
                body = f"<p>Step {path}.</p><a href='{nxt}'>{steps[path]}</a>"
            elif path == "/done":
                body = "<p>Your subscription has been cancelled.</p>"
            elif path.startswith("/d/") and path[3:].isdigit() and int(path[3:]) < decoys:
                n = int(path[3:])
                more = "".join(f'<a href="/d/{(n * 7 + k) % decoys}">Related {k}</a> ' for k in range(1, 4))
                body = f"<p>{WORDS[n % len(WORDS)]} article {n}.</p>{more}"
            else:
                self.send_error(404)
                return
            data = _page(path, body, decoys, hash(path) & 0xFFFF).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Site


def audit(decoys: int, goal_text: str, max_states: int) -> tuple[float, int, int | None, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(decoys))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    spec = FlowSpec(
        name=f"decoys-{decoys}",
        kind="cancellation",
        start=url,
        goal=Goal(text=(goal_text,)),
        source=SourceRef("growth", 1),
        explore=ExploreOptions(max_states=max_states),
    )
    try:
        with tempfile.TemporaryDirectory() as out:
            started = time.monotonic()
            result = run([spec], Path(out))
            seconds = time.monotonic() - started
    finally:
        server.shutdown()
    flow = result.report["flows"][0]
    metrics = flow["metrics"]
    return seconds, metrics.get("states") or 0, metrics.get("steps_to_goal"), flow["exploration"]["stop_reason"]


def slope(points: list[tuple[int, float]]) -> float:
    """Least-squares seconds per decoy page."""
    n = len(points)
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,200")
    parser.add_argument("--max-states", type=int, default=40)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows, goal_points, bound_points = [], [], []
    for n in sizes:
        found = audit(n, "Your subscription has been cancelled", args.max_states)
        bounded = audit(n, "this text never appears", args.max_states)
        goal_points.append((n, found[0]))
        bound_points.append((n, bounded[0]))
        rows.append((n, *found, *bounded))
    print(f"{'decoys':>7} {'goal s':>8} {'states':>7} {'steps':>6} | {'no-goal s':>9} {'states':>7}  stopped by")
    for n, gs, gst, steps, _, bs, bst, _, why in rows:
        print(f"{n:>7} {gs:>8.1f} {gst:>7} {steps!s:>6} | {bs:>9.1f} {bst:>7}  {why}")
    print(f"slope, goal found: {slope(goal_points) * 100:.2f} s per 100 decoys (flat is ~0)")
    bound = f"bounded by max_states={args.max_states}"
    print(f"slope, no goal:    {slope(bound_points) * 100:.2f} s per 100 decoys ({bound})")


if __name__ == "__main__":
    main()

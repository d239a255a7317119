"""Benchmark: does best-first exploration stay flat as decoy pages grow around one cancel flow?

A generated product site has N decoy pages (articles, products, help topics, each linking to a few others, all
reachable from every page's navigation and a grid on the home page) around one 4-step cancel path:
Account -> Manage plan -> Cancel subscription -> Confirm cancellation. Every page carries 40 chrome links, as
real products do: a navigation of 8 decoys (picked per page), Home and Account; an account menu (a `role=menu`
that a header button opens) of 5 items; a footer of 25 links to information pages.
For N = 10, 50, 200 the bench audits the flow and prints time, states explored, steps, the verdict of
too-many-steps (pass or fail with its bound: never `incomplete`) and the bound's screens and chrome links left
alone; then the slope of time against N (seconds per 100 decoys) and the spread of the time to that complete
verdict (issue 24: within ±30% of the mean from 10 to 200 decoys).
A second run per N has a goal that never appears, to show `max_states` bounding the work when there is no goal.

Run: `.venv/bin/python -m bench.growth [--sizes 10,50,200] [--max-states 40] [--repeat 3]`.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

from auditor.run import run
from auditor.spec import ExploreOptions, FlowSpec, Goal, SourceRef

WORDS = ["Summer", "Guide", "Deals", "Travel", "Recipes", "Fitness", "Garden", "Music", "Budget", "Coffee", "Tips"]
PATH = [  # (page, link label to the next page)
    ("/", "Account"),
    ("/account", "Manage plan"),
    ("/plan", "Cancel subscription"),
    ("/plan/cancel", "Confirm cancellation"),
]


FOOTER = [f"{w} {kind}" for kind in ("help", "news", "guide", "club", "shop") for w in WORDS[:5]]  # 25 links
MENU = [("/account", "Profile"), ("/i/0", "Orders"), ("/i/1", "Wish list"), ("/i/2", "Rewards"), ("/i/3", "Gift cards")]
MENU_SCRIPT = (
    "<script>const b=document.getElementById('m'),m=document.getElementById('menu');"
    "b.onclick=()=>{m.hidden=!m.hidden;b.setAttribute('aria-expanded',String(!m.hidden));};</script>"
)


def _page(title: str, body: str, decoys: int, seed: int) -> str:
    """A page in the site's chrome: 40 links (navigation 10, account menu 5, footer 25) around `body`."""
    rng = random.Random(seed)
    picks = [(seed + k * 13) % decoys for k in range(8)]  # 8 links, repeats allowed when there are few decoys
    nav = "".join(f'<a href="/d/{i}">{WORDS[i % len(WORDS)]} {i}</a> ' for i in picks)
    items = "".join(f'<a role="menuitem" href="{href}">{label}</a>' for href, label in MENU)
    menu = (
        "<button id='m' aria-haspopup='menu' aria-expanded='false' aria-controls='menu'>Your profile</button>"
        f"<div id='menu' role='menu' hidden>{items}</div>"
    )
    footer = "".join(f'<a href="/i/{k}">{label}</a> ' for k, label in enumerate(FOOTER))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<header>{menu}</header><nav><a href='/'>Home</a> {nav}<a href='/account'>Account</a></nav>"
        f"<main><h1>{title}</h1>{body}</main><footer>{footer}<p>build {rng.random():.6f}</p></footer>"
        f"{MENU_SCRIPT}</body></html>"
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
            elif path.startswith("/i/") and path[3:].isdigit() and int(path[3:]) < len(FOOTER):
                body = f"<p>{FOOTER[int(path[3:])]}: opening hours, contacts and more.</p>"
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


class Audited(NamedTuple):
    seconds: float
    states: int
    steps: int | None
    stop: str
    verdict: str  # of cancel.too-many-steps: pass or fail once the bounded search ended, else incomplete
    bound: dict[str, Any] | None


def audit(decoys: int, goal_text: str, max_states: int) -> Audited:
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
    metrics, exploration = flow["metrics"], flow["exploration"]
    verdict = flow["rules"]["cancel.too-many-steps"]["outcome"]
    return Audited(
        seconds,
        metrics.get("states") or 0,
        metrics.get("steps_to_goal"),
        exploration["stop_reason"],
        verdict,
        exploration.get("bound"),
    )


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
    parser.add_argument("--repeat", type=int, default=3, help="audits per size with the goal; the median counts")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows, goal_points, bound_points = [], [], []
    runs: dict[int, list[Audited]] = {n: [] for n in sizes}
    for _ in range(args.repeat):  # sizes interleaved, so that a shared machine's load spreads over all of them
        for n in sizes:
            runs[n].append(audit(n, "Your subscription has been cancelled", args.max_states))
    for n in sizes:
        found = sorted(runs[n], key=lambda a: a.seconds)[len(runs[n]) // 2]  # the median
        bounded = audit(n, "this text never appears", args.max_states)
        goal_points.append((n, found.seconds))
        bound_points.append((n, bounded.seconds))
        rows.append((n, found, bounded))
    print(
        f"{'decoys':>7} {'goal s':>8} {'states':>7} {'steps':>6} {'verdict':>10} {'screens':>8} {'chrome':>7} |"
        f" {'no-goal s':>9} {'states':>7}  stopped by"
    )
    for n, found, bounded in rows:
        bound = found.bound or {}
        print(
            f"{n:>7} {found.seconds:>8.1f} {found.states:>7} {found.steps!s:>6} {found.verdict:>10}"
            f" {bound.get('screens', '-')!s:>8} {bound.get('chrome_links_not_followed', '-')!s:>7} |"
            f" {bounded.seconds:>9.1f} {bounded.states:>7}  {bounded.stop}"
        )
    complete = [found.seconds for _, found, _ in rows if found.verdict in ("pass", "fail")]  # medians
    if len(complete) == len(rows):
        mean = sum(complete) / len(complete)
        spread = max(abs(s - mean) / mean for s in complete) * 100
        low, high = min(complete), max(complete)
        print(f"time to a complete verdict: {low:.1f}-{high:.1f} s, within ±{spread:.0f}% of the mean")
    else:
        print("time to a complete verdict: some sizes got no complete verdict (incomplete)")
    print(f"slope, goal found: {slope(goal_points) * 100:.2f} s per 100 decoys (flat is ~0)")
    bound = f"bounded by max_states={args.max_states}"
    print(f"slope, no goal:    {slope(bound_points) * 100:.2f} s per 100 decoys ({bound})")


if __name__ == "__main__":
    main()

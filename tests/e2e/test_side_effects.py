"""e2e: no side effects off the path. A club's join page, served here on 127.0.0.1, also holds a "Forgot your
password?" form, a newsletter form and a formless "lost your order link?" box that posts by script; the
server counts every POST by path. The explorer (real Chromium, exhaustive, so every control it may act on is
acted on) joins the club, never submits any of the three, and the report lists them as held back; a spec that
allows the newsletter by name does submit that one."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from auditor.report.formats import ReportWriter
from auditor.run import run
from auditor.spec import load_specs

pytestmark = pytest.mark.e2e

E_MAIL = "sam@example.test"
PAGES = {
    "/club/": '<h1>The club</h1><p>Meet people who like tea.</p><p><a href="/club/join">Join the club</a></p>',
    "/club/join": """
      <h1>Join the club</h1>
      <section><h2>Forgot your password?</h2>
        <form method="post" action="/club/reset">
          <label>E-mail <input type="email" name="email" required></label><button>Send</button></form></section>
      <section><h2>New member</h2>
        <form method="post" action="/club/join">
          <label>E-mail <input type="email" name="email" required></label>
          <label>Name <input name="name" required></label><button>Create account</button></form></section>
      <footer><h2>Newsletter</h2>
        <form method="post" action="/club/newsletter">
          <input type="email" name="nl" placeholder="Your e-mail" required><button>Subscribe</button></form>
        <div><h3>Lost your order link?</h3><input type="email" aria-label="E-mail">
          <button onclick="fetch('/club/resend', {method: 'POST'})">Send</button></div>
      </footer>""",
    "/club/welcome": "<h1>Welcome to the club</h1><p>You are a member now.</p>",
    "/club/sent": "<h1>Sent</h1><p>Check your inbox.</p>",
}
AFTER_POST = {"/club/join": "/club/welcome", "/club/reset": "/club/sent", "/club/newsletter": "/club/sent"}


class ClubServer:
    """The club's pages, and a count of POSTs by path."""

    def __init__(self) -> None:
        self.posts: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                body = PAGES.get(self.path.split("?")[0])
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = f'<!doctype html><html lang="en"><head><title>Club</title></head><body>{body}</body></html>'
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(data.encode())

            def do_POST(self) -> None:
                path = self.path.split("?")[0]
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.posts[path] += 1
                self.send_response(303)
                self.send_header("Location", AFTER_POST.get(path, "/club/"))
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)


@pytest.fixture
def club() -> Iterator[ClubServer]:
    server = ClubServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def _audit(club: ClubServer, tmp_path: Path, allow: str = "") -> dict[str, Any]:
    spec = tmp_path / "club.yaml"
    spec.write_text(
        f"""name: club-join
kind: signup
start: {club.url}/club/
goal: {{text: Welcome to the club}}
inputs: {{E-mail: {E_MAIL}, Name: Sam}}
explore: {{exhaustive: true, max_states: 20, timeouts: {{flow: 90}}{allow}}}
"""
    )
    out = tmp_path / "out"
    return run(load_specs([spec]), out, writer=ReportWriter(out, ["json", "html"])).report["flows"][0]


def test_a_reset_form_and_a_newsletter_on_the_way_are_never_submitted(club: ClubServer, tmp_path: Path) -> None:
    flow = _audit(club, tmp_path)
    assert flow["goal_reached"] and club.posts["/club/join"] >= 1
    assert club.posts["/club/reset"] == club.posts["/club/newsletter"] == club.posts["/club/resend"] == 0
    held = {h["kind"]: h for h in flow["exploration"]["held_back"]}
    assert set(held) == {"password_reset", "newsletter", "resend_link"}  # the last one a formless box
    assert held["password_reset"]["label"] == "Send" and "forgot your password" in held["password_reset"]["why"].lower()
    assert held["newsletter"]["label"] == "Subscribe" and held["newsletter"]["url"].endswith("/club/join")
    html = (tmp_path / "out" / "report.html").read_text()
    assert "Send (password reset)" in html and "Subscribe (newsletter)" in html
    assert E_MAIL not in html + (tmp_path / "out" / "report.json").read_text()  # what it would have typed


def test_a_spec_may_allow_one_by_name(club: ClubServer, tmp_path: Path) -> None:
    flow = _audit(club, tmp_path, ", allow_side_effects: [newsletter]")
    assert flow["goal_reached"] and club.posts["/club/newsletter"] >= 1
    assert club.posts["/club/reset"] == club.posts["/club/resend"] == 0
    assert {h["kind"] for h in flow["exploration"]["held_back"]} == {"password_reset", "resend_link"}

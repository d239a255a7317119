"""e2e (issue 25): no secret leaves, in any encoding, in any output file, trace.zip entries included.

A real audit with real Chromium, `--trace on` and every format, of a site this test serves on 127.0.0.1 that
takes every kind of secret and echoes it back:
- the saved session (storage_state): a cookie the server echoes into the page, and a local-storage token a
  script sends as `Authorization: Bearer ...` and prints what the server echoes;
- an extra header of the spec (an API key), echoed into the page;
- a form with the e-mail and password: a script posts them as JSON with `Authorization: Basic
  base64(email:password)`, then the form posts; the result page echoes the password HTML-escaped, in a URL,
  and in a script's JSON;
- a proxy with credentials, served by this test, that refuses requests without them (407), written into the
  spec's proxy URL (`http://user:password@host:port`).
The servers record what they received, so the test first proves every secret really travelled; then it
searches every output file (and each entry of every trace zip), stdout and stderr, for every secret as typed,
percent-encoded, JSON-escaped, HTML-escaped, base64 and base64url (at every byte offset: each base64 run is
decoded at its four alignments), Basic credentials included. The forms are computed here, independently of
auditor/redaction.py.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import html
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest

from auditor.report.formats import FORMATS
from tests.forward_proxy import forward

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

EMAIL = "sam.vault-7731@example.test"
PASSWORD = "Tr0ub&4dor\"3<horse>'"  # & " < > ' : every HTML and JSON escape has work to do
API_KEY = "key-8842-ZQXJ-lemon"
SESSION = "sess-4471-c0ffee-b33f"
TOKEN = "tok.eyJhbGciOi-9f8e7d6c5b"
PROXY_USER = "proxy-user-5512"
PROXY_PASSWORD = "Pr0xy:p@ss/w0rd"  # : @ / must be percent-encoded in the proxy URL
SECRETS = (EMAIL, PASSWORD, API_KEY, SESSION, TOKEN, PROXY_USER, PROXY_PASSWORD)


# ---- the site and the proxy ---------------------------------------------------------------------------------

ACCOUNT = """<!doctype html><html><head><meta charset="utf-8"><title>Vault Plus account</title></head><body>
<h1>Your account</h1><p id="s">Session {sid}; API key {key}</p><p id="me">...</p>
<p><a href="/cancel">Cancel subscription</a></p>
<script>
fetch('/api/me', {{headers: {{Authorization: 'Bearer ' + (localStorage.getItem('token') || '')}}}})
  .then((r) => r.text()).then((t) => {{ document.getElementById('me').textContent = t; }});
</script></body></html>"""
CANCEL = """<!doctype html><html><head><meta charset="utf-8"><title>Cancel your plan</title></head><body>
<h1>Cancel your plan</h1><p>Confirm with your e-mail and password.</p>
<form id="f" action="/done" method="post">
  <label>Email <input name="email" type="email" required></label>
  <label>Password <input name="password" type="password" required></label>
  <button type="submit">Cancel my plan</button>
</form>
<script>
document.getElementById('f').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target, email = form.email.value, password = form.password.value;
  await fetch('/api/confirm', {method: 'POST', body: JSON.stringify({email, password}),
    headers: {'Authorization': 'Basic ' + btoa(email + ':' + password), 'Content-Type': 'application/json'}});
  form.submit();
});
</script></body></html>"""
DONE = """<!doctype html><html><head><meta charset="utf-8"><title>Cancelled for {email}</title></head><body>
<h1>Your plan has been cancelled</h1><p>Goodbye {email}; your password was {password}.</p>
<p><a href="/receipt?email={q_email}&amp;pw={q_password}">Your receipt</a></p>
<script>window.account = {js};</script></body></html>"""


class Seen:
    """What the site and the proxy received (to prove each secret was really sent)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, list[str]] = {}

    def add(self, key: str, value: str | None) -> None:
        with self.lock:
            self.values.setdefault(key, []).append(value or "")


def site_handler(seen: Seen) -> type[BaseHTTPRequestHandler]:
    class Site(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def reply(self, body: str, kind: str = "text/html; charset=utf-8") -> None:
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            seen.add("cookie", self.headers.get("Cookie"))
            seen.add("key", self.headers.get("X-Api-Key"))
            if path in ("/", "/account"):
                cookie = re.search(r"sid=([^;]+)", self.headers.get("Cookie") or "")
                sid = cookie.group(1) if cookie else "none"
                self.reply(ACCOUNT.format(sid=html.escape(sid), key=html.escape(self.headers.get("X-Api-Key") or "")))
            elif path == "/api/me":
                seen.add("bearer", self.headers.get("Authorization"))
                self.reply(f"signed in with {self.headers.get('Authorization')}", "text/plain; charset=utf-8")
            elif path == "/cancel":
                self.reply(CANCEL)
            else:
                self.reply("<!doctype html><title>Receipt</title><p>Receipt</p>")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            path = urlsplit(self.path).path
            if path == "/api/confirm":
                seen.add("basic", self.headers.get("Authorization"))
                self.reply(json.dumps({"ok": True, "echo": json.loads(body or "{}")}), "application/json")
                return
            form = {k: v[0] for k, v in parse_qs(body).items()}
            email, password = form.get("email", ""), form.get("password", "")
            seen.add("form", f"{email}\n{password}")
            self.reply(
                DONE.format(
                    email=html.escape(email),
                    password=html.escape(password),
                    q_email=quote(email, safe=""),
                    q_password=quote(password, safe=""),
                    js=json.dumps({"email": email, "password": password}),
                )
            )

    return Site


def proxy_handler(seen: Seen) -> type[BaseHTTPRequestHandler]:
    expected = "Basic " + base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode()

    class Proxy(BaseHTTPRequestHandler):
        """A plain-HTTP forward proxy that wants Basic credentials (407 without them)."""

        def log_message(self, *args: object) -> None:
            pass

        def forward(self) -> None:
            if self.headers.get("Proxy-Authorization") != expected:
                seen.add("proxy-refused", self.path)
                self.send_response(407)
                self.send_header("Proxy-Authenticate", 'Basic realm="test proxy"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            seen.add("proxied", self.path)
            target = urlsplit(self.path)
            forward(self, target.hostname or "", target.port or 80)

        do_GET = do_POST = do_HEAD = forward

    return Proxy


@contextlib.contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


# ---- the audit ------------------------------------------------------------------------------------------------

SPEC = """name: secrets-everywhere
kind: cancellation
start: ${SITE}/account
goal:
  text: Your plan has been cancelled
inputs:
  Email: ${E2E_EMAIL}
  Password: ${E2E_PASSWORD}
headers:
  X-Api-Key: ${E2E_KEY}
proxy: ${E2E_PROXY}
storage_state: state.json
"""


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, subprocess.CompletedProcess[str], Seen]]:
    seen = Seen()
    work = tmp_path_factory.mktemp("secret-encodings")
    with serve(site_handler(seen)) as site, serve(proxy_handler(seen)) as proxy:
        origin = f"http://127.0.0.1:{site.server_port}"
        state = {
            "cookies": [
                {"name": "sid", "value": SESSION, "domain": "127.0.0.1", "path": "/", "expires": -1,
                 "httpOnly": False, "secure": False, "sameSite": "Lax"}
            ],
            "origins": [{"origin": origin, "localStorage": [{"name": "token", "value": TOKEN}]}],
        }  # fmt: skip
        (work / "state.json").write_text(json.dumps(state))
        (work / "flow.yaml").write_text(SPEC)
        proxy_url = (
            f"http://{quote(PROXY_USER, safe='')}:{quote(PROXY_PASSWORD, safe='')}@127.0.0.1:{proxy.server_port}"
        )
        env = {**os.environ, "SITE": origin, "E2E_EMAIL": EMAIL, "E2E_PASSWORD": PASSWORD, "E2E_KEY": API_KEY,
               "E2E_PROXY": proxy_url}  # fmt: skip
        out = work / "out"
        proc = subprocess.run(
            [sys.executable, "-m", "auditor", "audit", str(work / "flow.yaml"), "--out", str(out),
             "--format", "all", "--trace", "on", "--jobs", "1"],
            capture_output=True, text=True, timeout=240, env=env,
        )  # fmt: skip
        yield out, proc, seen


def test_every_secret_really_travelled(audited: tuple[Path, subprocess.CompletedProcess[str], Seen]) -> None:
    """Not a vacuous search: the audit reached the goal through the proxy, and the site got every secret."""
    out, proc, seen = audited
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    flow = json.loads((out / "report.json").read_text())["flows"][0]
    assert flow["goal_reached"], flow.get("error")
    assert seen.values.get("proxied"), "no request went through the proxy"
    assert f"sid={SESSION}" in " ".join(seen.values["cookie"])
    assert API_KEY in seen.values["key"]
    assert f"Bearer {TOKEN}" in seen.values.get("bearer", [])
    basic = "Basic " + base64.b64encode(f"{EMAIL}:{PASSWORD}".encode()).decode()
    assert basic in seen.values.get("basic", [])
    assert f"{EMAIL}\n{PASSWORD}" in seen.values.get("form", [])
    traces = list(out.rglob("trace*.zip"))
    assert traces and any("trace.network" in zipfile.ZipFile(t).namelist() for t in traces)
    assert flow["context"]["proxy"] == f"http://127.0.0.1:{urlsplit(flow['context']['proxy']).port}"


def encodings_of(value: str) -> set[str]:
    """The text forms searched for (computed here, not with auditor.redaction)."""
    forms = {value, quote(value), quote(value, safe=""), quote_plus(value), quote(value, safe="!~*'()")}
    forms |= {json.dumps(f)[1:-1] for f in set(forms)}
    forms |= {html.escape(f) for f in set(forms)} | {html.escape(f, quote=False) for f in set(forms)}
    forms.add(value.replace("&", "&amp;").replace('"', "&quot;"))  # how a DOM serializer writes an attribute
    forms.add(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))  # ... and a text node
    forms.add(json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")[1:-1])
    for blob in (value.encode(), f"{value}:x".encode(), f"x:{value}".encode()):
        forms |= {base64.b64encode(blob).decode(), base64.urlsafe_b64encode(blob).decode().rstrip("=")}
    return forms


B64_RUN = re.compile(r"[A-Za-z0-9+/_-]{8,}")


def decoded_runs(text: str) -> Iterator[bytes]:
    """Every base64 or base64url run, decoded at each of its four alignments (a value at any byte offset)."""
    for run in B64_RUN.findall(text):
        plain = run.replace("-", "+").replace("_", "/")
        for start in range(4):
            chunk = plain[start:]
            chunk = chunk[: len(chunk) - len(chunk) % 4]
            try:
                yield base64.b64decode(chunk, validate=True)
            except (binascii.Error, ValueError):
                continue


def outputs(out: Path, proc: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """Every output as text: files (UTF-8, bytes as Latin-1 when not), each entry of each zip, stdout, stderr."""
    texts = {"stdout": proc.stdout, "stderr": proc.stderr}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    if not name.lower().endswith((".jpeg", ".jpg", ".png", ".webp")):
                        texts[f"{path}!{name}"] = archive.read(name).decode("utf-8", "replace")
        elif path.suffix != ".png":
            texts[str(path)] = path.read_bytes().decode("utf-8", "replace")
    return texts


def test_no_secret_in_any_output_in_any_encoding(audited: tuple[Path, subprocess.CompletedProcess[str], Seen]) -> None:
    out, proc, _ = audited
    texts = outputs(out, proc)
    names = {Path(name.split("!")[0]).name for name in texts}
    assert {FORMATS[f][0] for f in FORMATS} | {"graph.json", "trace.zip"} <= names
    assert any(name.endswith("!trace.network") for name in texts) and any("!resources/" in name for name in texts)
    leaks = []
    for secret in SECRETS:
        forms = encodings_of(secret)
        raw = secret.encode()
        for name, text in texts.items():
            found = [form for form in forms if form in text]
            if found:
                leaks.append(f"{secret!r} as {found[0]!r} in {name}")
            if any(raw in blob for blob in decoded_runs(text)):
                leaks.append(f"{secret!r} base64-encoded in {name}")
    assert not leaks, "\n".join(leaks[:20])
    assert "[input]" in texts[str(out / "report.json")]  # the echoes were there, and masked

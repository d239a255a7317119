"""The demo server: serves the bundled demo sites on 127.0.0.1 for `auditor demo` and the e2e tests.

Sites are mounted by folder: `sites/<site>/<path>` is served at `/<site>/<path>`; an extensionless path maps
to `<path>.html` or `<path>/index.html`, and any unknown GET path under `/spa/` serves `spa/index.html`
(the history fallback of a single-page app). Files whose name starts with `_` (partials) and Python files (a
site's routes) are never served.

Served HTML is a jinja2 template, rendered on every response (autoescaped), so that no two visits look
byte-identical:

    {{ alt_origin }}   the same server under another host name (http://localhost:PORT): an out-of-scope origin
    {{ now() }}        the current time, ISO 8601 with seconds
    {{ rand() }}       a fresh random token per call (random ids, cache busters, `?ref=` tokens)
    {{ count() }}      a fresh random integer 100..99999 per call ("1234 members online")
    {% include "_name.html" %}   the partial `_name.html` of the same site (headers, footers)

plus the values a route passes (`error`, `email`, ...; HTML only as `Markup`). Dynamic routes (form posts,
the login session, JSON APIs) live in each site's `routes.py` (see sites/__init__.py); a DemoServer can be given
more (`routes=`), as the tests do for their own sites. Every request is recorded in `hits` as
(host, method, path), so tests can prove what a crawler did and did not touch.

With a `Weight`, the sites weigh what real products weigh: every response waits `delay_ms` (a server far
away), and every HTML page loads a cacheable framework-sized script (FRAMEWORK_PATH, `script_kb`), so a
benchmark shows what an auditor's reloads and a disabled browser cache cost (bench/explore.py --realistic).
"""

from __future__ import annotations

import contextlib
import fnmatch
import mimetypes
import random
import secrets
import sys
import threading
import time
from collections.abc import Mapping
from datetime import datetime
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

import jinja2

from auditor.demo.sites import site_routes
from auditor.demo.web import Handler, Request, Response, Sessions

SITES_DIR = Path(__file__).parent / "sites"
SPA_PREFIX = "/spa/"

# Values a page may show that a route fills in; served statically they render empty.
_DEFAULTS = {"error": "", "email": ""}


FRAMEWORK_PATH = "/__framework.js"


class Weight(NamedTuple):
    """How much a response weighs: the wait before it, and the size of the script every page loads."""

    delay_ms: int = 60
    script_kb: int = 1500

    def script(self) -> bytes:
        """A parseable script of about `script_kb` KB (a string constant, then one statement)."""
        filler = "x" * (self.script_kb * 1024)
        return f'var __framework = "{filler}";\nwindow.__frameworkLoaded = __framework.length;\n'.encode()


class Hit(NamedTuple):
    host: str  # from the Host header, without the port
    method: str
    path: str  # without the query string


class DemoServer:
    """The demo sites on a ThreadingHTTPServer in a daemon thread.

    >>> with DemoServer() as demo:
    ...     urlopen(demo.url + "/fair/login")
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        sites_dir: Path = SITES_DIR,
        routes: Mapping[tuple[str, str], Handler] | None = None,
        weight: Weight | None = None,
    ) -> None:
        """`routes`: more (method, path) -> handler, on top of the bundled sites' own (tests add theirs);
        `weight`: serve as real sites weigh (see Weight)."""
        self.sites_dir = Path(sites_dir).resolve()
        self.weight = weight
        self._framework = weight.script() if weight else b""
        self.routes = {**site_routes(), **(routes or {})}
        self.sessions = Sessions()
        self.hits: list[Hit] = []
        self._hits_lock = threading.Lock()
        self._httpd = _QuietServer((host, port), _handler_for(self))
        self._thread: threading.Thread | None = None
        self._templates = _Templates(self.sites_dir, self.alt_origin)

    # ---- lifecycle ----
    def start(self) -> DemoServer:
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, name="demo-server", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- addresses ----
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alt_origin(self) -> str:
        """The same server under another host name: links there are out of a crawl's scope."""
        return f"http://localhost:{self.port}"

    # ---- hit counting ----
    def record(self, hit: Hit) -> None:
        with self._hits_lock:
            self.hits.append(hit)

    def count(self, path_glob: str = "*", host: str | None = None, method: str | None = None) -> int:
        """How many requests matched: path glob (fnmatch, no query), host name, HTTP method."""
        with self._hits_lock:
            hits = list(self.hits)
        return sum(
            1
            for h in hits
            if fnmatch.fnmatchcase(h.path, path_glob)
            and (host is None or h.host == host)
            and (method is None or h.method == method.upper())
        )

    def clear_hits(self) -> None:
        with self._hits_lock:
            self.hits.clear()

    # ---- content ----
    def render(self, template: str, values: Mapping[str, Any] | None = None) -> bytes:
        """Render `sites/<template>` with the route's values and fresh noise."""
        return self._templates.get_template(template).render(values or {}).encode("utf-8")

    def resolve(self, path: str) -> str | None:
        """The file (relative to sites/) a GET path maps to, or None."""
        rel = path.lstrip("/")
        if any(part.startswith((".", "_")) for part in rel.split("/")) or rel.endswith(".py"):
            return None  # hidden files, partials, `..`, a site's routes
        if not rel or rel.endswith("/"):
            candidates = [f"{rel}index.html"]
        elif Path(rel).suffix:
            candidates = [rel]
        else:
            candidates = [f"{rel}.html", f"{rel}/index.html"]
        for cand in candidates:
            full = (self.sites_dir / cand).resolve()
            if full.is_file() and full.is_relative_to(self.sites_dir):
                return cand
        if path.startswith(SPA_PREFIX) and not Path(rel).suffix:
            return "spa/index.html"  # history fallback: the app routes on the client
        return None


class _Templates(jinja2.Environment):
    """The sites' pages as jinja2 templates: autoescaped, with the noise functions and the alt origin."""

    def __init__(self, sites_dir: Path, alt_origin: str) -> None:
        super().__init__(
            loader=jinja2.FileSystemLoader(sites_dir),
            autoescape=jinja2.select_autoescape(["html"]),
            keep_trailing_newline=True,
            undefined=jinja2.DebugUndefined,  # an unknown name stays visible, so that tests catch it
        )
        self.globals.update(
            _DEFAULTS,
            alt_origin=alt_origin,
            now=lambda: datetime.now().isoformat(timespec="seconds"),
            rand=lambda: secrets.token_hex(4),
            count=lambda: random.randint(100, 99999),
        )

    def join_path(self, template: str, parent: str) -> str:
        """`{% include "_header.html" %}` names a partial of the including page's own site."""
        site, slash, _ = parent.partition("/")
        return f"{site}/{template}" if slash and "/" not in template else template


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # browsers drop kept-alive connections all the time
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def _host_of(header: str | None) -> str:
    host = (header or "").strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.index("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if ":" in host else host


def _handler_for(demo: DemoServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "DemoServer/1.0"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_HEAD(self) -> None:
            self._serve("HEAD")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            path = parts.path or "/"
            demo.record(Hit(_host_of(self.headers.get("Host")), method, path))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            cookies: dict[str, str] = {}
            with contextlib.suppress(CookieError):
                cookies = {k: m.value for k, m in SimpleCookie(self.headers.get("Cookie") or "").items()}
            form: dict[str, str] = {}
            if "application/x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
                form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
            headers = {name.lower(): value for name, value in self.headers.items()}
            req = Request(method, path, dict(parse_qsl(parts.query)), form, cookies, body, headers)
            route = demo.routes.get(("GET" if method == "HEAD" else method, path))
            if demo.weight:
                time.sleep(demo.weight.delay_ms / 1000)
            if demo.weight and path == FRAMEWORK_PATH:
                cacheable = [("Cache-Control", "public, max-age=3600"), ("ETag", '"framework-1"')]
                resp = Response(body=demo._framework, content_type="text/javascript", headers=cacheable)
            elif route is not None:
                resp = route(req, demo.sessions)
            elif method in ("GET", "HEAD"):
                found = demo.resolve(path)
                resp = Response(template=found) if found else _not_found(demo.sites_dir)
            else:
                resp = Response(405, body=b"Method not allowed", content_type="text/plain")
            self._send(resp, head=method == "HEAD")

        def _send(self, resp: Response, head: bool) -> None:
            body, ctype = resp.body, resp.content_type
            if resp.template is not None and resp.template.endswith(".html"):
                body = demo.render(resp.template, resp.values)
            elif resp.template is not None:  # a static asset (css, js, svg): served as is
                body = (demo.sites_dir / resp.template).read_bytes()
                ctype = _content_type(resp.template)
            if demo.weight and ctype.startswith("text/html"):
                tag = f'<script src="{FRAMEWORK_PATH}"></script>'.encode()
                body = body.replace(b"</head>", tag + b"</head>", 1) if b"</head>" in body else tag + body
            cacheable = any(name == "Cache-Control" for name, _ in resp.headers)
            self.send_response(resp.status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if not cacheable:
                self.send_header("Cache-Control", "no-store")
            for name, value in resp.headers:
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

    return Handler


def _not_found(sites_dir: Path) -> Response:
    if (sites_dir / "404.html").is_file():
        return Response(404, template="404.html")
    return Response(404, body=b"Not found", content_type="text/plain")


def _content_type(name: str) -> str:
    if name.endswith(".js"):
        return "text/javascript; charset=utf-8"
    ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"{ctype}; charset=utf-8" if ctype.startswith("text/") or ctype.endswith("svg+xml") else ctype


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Serve the retention-auditor demo sites on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    args = parser.parse_args()
    with DemoServer(port=args.port) as demo:
        print(f"Demo sites at {demo.url}/  (Ctrl-C to stop)", flush=True)
        for site in sorted(p.name for p in demo.sites_dir.iterdir() if p.is_dir() and p.name[0] not in "_."):
            print(f"  {demo.url}/{site}/", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()

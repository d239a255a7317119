"""A test-only web server whose pages misbehave on purpose, one path per hostile behaviour.

Every page is written inline here, so a reader sees in one place what each test's site does. The server
listens on 127.0.0.1:0, serves from daemon threads and records every request's host and path, so a test can
prove what the browser did and did not fetch. Handlers that hold a socket open forever (a page or a resource
that never finishes) wait on an event that `stop()` sets, so the server always closes cleanly.

Paths (each site has an index at `/<site>/` and, where it has a way out, `/<site>/done`):
    /good/        a tiny honest cancellation: "Cancel subscription" -> done
    /error500/    the start page answers HTTP 500
    /hang/        headers and half a body, then the socket is held open
    /hangsub/     a usable page whose image and fetch never finish, with a working cancel link
    /loop/        302 to itself;   /ping/ -> /pong/ -> /ping/ ...
    /dialogs/     alert, confirm and prompt on load, beforeunload on leaving, a confirm() before cancelling
    /popup/       the next step opens in a new tab (target=_blank), the last one in window.open()
    /trap/        an endless calendar, an endless result list, random query tokens on every link
    /churn/       the whole body is replaced every 100 ms (random ids, a timestamp); the cancel button works
    /download/    a 5 MB attachment on the way to cancelling
    /offsite/     navigates itself to http://example.invalid/ after load
    /metaoff/     a meta refresh to another host (this server under the name `localhost`)
    /frozen/      a script that never yields, from the load event on: the page stops answering the browser
    /huge/        a 20 MB statement table under a cancel link
    /slowframe/   the cancel button is in an iframe whose parsing waits 0.8 s on a stylesheet; `other`: a frame of
                  another host (this server as `localhost`) that never finishes parsing (a stylesheet held)
    /slowstyle/   a "Keep" button whose size comes from a stylesheet that arrives 0.8 s after the page
"""

from __future__ import annotations

import secrets
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import urlsplit

OFFSITE_URL = "http://example.invalid/"
DONE_TEXT = "Your subscription has been cancelled"
DOWNLOAD_BYTES = 5 * 1024 * 1024
HUGE_BYTES = 20 * 1024 * 1024
SLOW_CSS_SECONDS = 0.8  # a stylesheet is not a request the settle waits for, and a script after it waits on it
HOLD_SECONDS = 300  # a held socket is released at the latest after this, or when the server stops

ROW = "<tr><td>{:07d}</td><td>2024-01-01</td><td>Card payment, reference {:07d}</td><td>$1.00</td></tr>"
TEXT_LINE = "<p>Entry {:07d}: a card payment of $1.00 was taken on 2024-01-01 for your Premium plan.</p>"
STYLE = "<style>body{font-family:sans-serif;margin:40px} button,a{font-size:16px}</style>"


def page(title: str, body: str, head: str = "") -> bytes:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{STYLE}{head}</head>'
        f"<body>{body}</body></html>"
    ).encode()


def done_page() -> bytes:
    return page("Cancelled", f"<h1>Cancelled</h1><p>{DONE_TEXT}. You will not be charged again.</p>")


def account_page(title: str, extra: str = "", head: str = "") -> bytes:
    """The shape most sites share: what the plan is, and a plain link to cancel it."""
    return page(
        title,
        f'<h1>{title}</h1><p>Plan: Premium, $12.99 a month.</p>{extra}<p><a href="done">Cancel subscription</a></p>',
        head,
    )


class Hit(NamedTuple):
    host: str  # the Host header without its port
    path: str  # without the query string


class Reply(NamedTuple):
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)


Route = Callable[["HostileServer", "Handler"], Reply | None]  # None: the route wrote (or holds) the socket itself


class HostileServer:
    """The hostile sites on a ThreadingHTTPServer in a daemon thread; `with HostileServer() as s: s.url`."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread: threading.Thread | None = None
        self._huge: bytes | None = None

    def __enter__(self) -> HostileServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="hostile-server", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()  # releases every held socket
        self._httpd.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd.server_close()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alt_origin(self) -> str:
        """This server under another host name: out of a flow's scope, yet a request there would be counted."""
        return f"http://localhost:{self.port}"

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def count(self, prefix: str, host: str | None = None) -> int:
        with self._lock:
            return sum(1 for h in self.hits if h.path.startswith(prefix) and (host is None or h.host == host))

    def huge(self) -> bytes:
        """A 20 MB page, built once: a cancel link on top, then a statement nobody reads: a table of 20,000
        rows and paragraphs of text. (A 20 MB table alone takes Chromium over a minute to lay out on two
        cores; that measures Chromium, not the auditor.)"""
        if self._huge is None:
            parts = [
                b'<h1>Statement</h1><p>Plan: Premium.</p><p><a href="done">Cancel subscription</a></p><table>',
                *(ROW.format(n, n).encode() for n in range(20_000)),
                b"</table>",
            ]
            size, n = sum(len(p) for p in parts), 0
            while size < HUGE_BYTES:
                line = TEXT_LINE.format(n).encode()
                parts.append(line)
                size, n = size + len(line), n + 1
            self._huge = page("Statement", "").replace(b"<body></body>", b"<body>" + b"".join(parts) + b"</body>")
        return self._huge

    def hold(self, handler: Handler, content_type: str, first_bytes: bytes) -> None:
        """Send headers and the first bytes, then keep the socket open without another byte."""
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(first_bytes) + 1_000_000))
        handler.end_headers()
        handler.wfile.write(first_bytes)
        handler.wfile.flush()
        deadline = time.monotonic() + HOLD_SECONDS
        while not self.stopping.wait(0.2) and time.monotonic() < deadline:
            pass
        handler.close_connection = True


def _hang(server: HostileServer, handler: Handler) -> None:
    server.hold(
        handler,
        "text/html; charset=utf-8",
        b"<!doctype html><html><head><title>Loading</title></head>"
        b"<body><h1>Loading your account</h1><p>Please wait" + b" " * 2048,
    )


def _never(server: HostileServer, handler: Handler) -> None:
    server.hold(handler, "application/octet-stream", b"\x89PNG")


def _download(server: HostileServer, handler: Handler) -> Reply:
    return Reply(
        200,
        b"\0" * DOWNLOAD_BYTES,
        (("Content-Type", "application/zip"), ("Content-Disposition", 'attachment; filename="my-data.zip"')),
    )


def _slow_css(server: HostileServer, handler: Handler) -> Reply:
    time.sleep(SLOW_CSS_SECONDS)
    return Reply(200, b"button { margin: 1em } .keep { font-size: 30px }", (("Content-Type", "text/css"),))


def _redirect(to: str) -> Route:
    def route(server: HostileServer, handler: Handler) -> Reply:
        return Reply(302, b"", (("Location", to), ("Content-Type", "text/html")))

    return route


def _html(make: Callable[[HostileServer], bytes]) -> Route:
    return lambda server, handler: Reply(200, make(server))


def _trap_calendar(server: HostileServer, handler: Handler) -> Reply:
    query = dict(p.split("=", 1) for p in urlsplit(handler.path).query.split("&") if "=" in p)
    month = int(query.get("m", "0") or 0)
    year, mon = 2024 + month // 12, month % 12 + 1
    days = "".join(f'<a href="day?d={year}-{mon:02d}-{d:02d}&t={secrets.token_hex(4)}">{d}</a> ' for d in range(1, 29))
    return Reply(
        200,
        page(
            f"Calendar {year}-{mon:02d}",
            f"<h1>Deliveries in {year}-{mon:02d}</h1><p>{days}</p>"
            f'<a href="calendar?m={month + 1}&t={secrets.token_hex(4)}">Next month</a> '
            f'<a href="calendar?m={month - 1}&t={secrets.token_hex(4)}">Previous month</a>',
        ),
    )


def _trap_list(server: HostileServer, handler: Handler) -> Reply:
    query = dict(p.split("=", 1) for p in urlsplit(handler.path).query.split("&") if "=" in p)
    number = int(query.get("page", "1") or 1)
    items = "".join(
        f'<li><a href="item?id={number * 10 + i}&t={secrets.token_hex(4)}">Order {number * 10 + i}</a></li>'
        for i in range(10)
    )
    return Reply(
        200,
        page(
            f"Orders, page {number}",
            f"<h1>Your orders</h1><p>Page {number}</p><ul>{items}</ul>"
            f'<a href="list?page={number + 1}&t={secrets.token_hex(4)}">Next page</a>',
        ),
    )


def _trap_index(server: HostileServer, handler: Handler) -> Reply:
    token = secrets.token_hex(4)
    return Reply(
        200,
        page(
            "Account",
            "<h1>Account</h1><p>Plan: Premium. Questions about your membership? Call us.</p>"
            f'<a href="calendar?m=0&t={token}">Delivery calendar</a> <a href="list?page=1&t={token}">Order history</a>',
        ),
    )


CHURN_JS = """
const words = () => Math.random().toString(36).slice(2);
const draw = () => {
  document.body.innerHTML = `<div id="r-${words()}" class="c-${words()}"><h1>Account ${words()}</h1>
    <p>Updated at ${new Date().toISOString()}</p><p>Plan: Premium, $12.99 a month.</p>
    <button id="k-${words()}" data-go="keep">Keep my subscription</button>
    <button id="b-${words()}" class="x-${words()}" data-go="cancel">Cancel subscription</button></div>`;
};
document.addEventListener('click', (e) => {
  const go = e.target.closest('[data-go]');
  if (go && go.dataset.go === 'cancel') location.href = 'done';
});
draw();
setInterval(draw, 100);
"""

DIALOGS_JS = """
alert('Welcome back!');
const stay = confirm('Would you like to see our latest offers?');
const why = prompt('Before you go: why are you leaving?', 'too expensive');
document.getElementById('answers').textContent = 'offers: ' + stay + ', reason: ' + why;
window.addEventListener('beforeunload', (e) => {
  e.preventDefault();
  e.returnValue = 'Are you sure you want to leave?';
});
"""

DIALOGS_STEP_JS = """
document.getElementById('go').addEventListener('click', () => {
  if (confirm('Are you sure you want to cancel your subscription?')) location.href = 'done';
});
"""


ROUTES: dict[str, Route] = {
    "/good/": _html(lambda s: account_page("Your plan")),
    "/good/done": _html(lambda s: done_page()),
    "/error500/": lambda s, h: Reply(500, page("Server error", "<h1>Internal Server Error</h1>")),
    "/hang/": _hang,
    "/hangsub/": _html(
        lambda s: account_page(
            "Your plan",
            '<img src="/never/pixel.png" alt="" width="10" height="10">',
            "<script>fetch('/never/data.json').catch(() => {});</script>",
        )
    ),
    "/hangsub/done": _html(lambda s: done_page()),
    "/never/pixel.png": _never,
    "/never/data.json": _never,
    "/loop/": _redirect("/loop/"),
    "/ping/": _redirect("/pong/"),
    "/pong/": _redirect("/ping/"),
    "/dialogs/": _html(
        lambda s: page(
            "Your plan",
            "<h1>Your plan</h1><p>Plan: Premium, $12.99 a month.</p><p id=answers></p>"
            '<p><a href="step">Cancel subscription</a></p>'
            f"<script>{DIALOGS_JS}</script>",
        )
    ),
    "/dialogs/step": _html(
        lambda s: page(
            "Confirm",
            "<h1>Cancel your subscription</h1><p>You will lose access at the end of the period.</p>"
            f'<button id="go">Confirm cancellation</button><script>{DIALOGS_STEP_JS}</script>',
        )
    ),
    "/dialogs/done": _html(lambda s: done_page()),
    "/popup/": _html(
        lambda s: page(
            "Your plan",
            '<h1>Your plan</h1><p>Plan: Premium.</p><p><a href="manage" target="_blank">Manage subscription</a></p>',
        )
    ),
    "/popup/manage": _html(
        lambda s: page(
            "Manage",
            "<h1>Manage subscription</h1>"
            "<button onclick=\"window.open('done', 'cancel-window')\">Cancel subscription</button>",
        )
    ),
    "/popup/done": _html(lambda s: done_page()),
    "/trap/": _trap_index,
    "/trap/calendar": _trap_calendar,
    "/trap/list": _trap_list,
    "/trap/day": _trap_calendar,
    "/trap/item": _trap_list,
    "/churn/": _html(lambda s: page("Account", f"<script>{CHURN_JS}</script>")),
    "/churn/done": _html(lambda s: done_page()),
    "/download/": _html(lambda s: account_page("Your plan", '<p><a href="my-data.zip">Export my data</a></p>')),
    "/download/my-data.zip": _download,
    "/download/done": _html(lambda s: done_page()),
    "/offsite/": _html(
        lambda s: account_page(
            "Your plan", "", f"<script>addEventListener('load', () => {{ location.href = '{OFFSITE_URL}' }})</script>"
        )
    ),
    "/offsite/done": _html(lambda s: done_page()),
    "/metaoff/": _html(
        lambda s: account_page(
            "Your plan", "", f'<meta http-equiv="refresh" content="0; url={s.alt_origin}/metaoff/visited">'
        )
    ),
    "/metaoff/done": _html(lambda s: done_page()),
    "/metaoff/visited": _html(lambda s: page("Visited", "<h1>You should never see this page</h1>")),
    "/frozen/": _html(
        lambda s: account_page("Your plan", "", "<script>addEventListener('load', () => { for (;;) {} })</script>")
    ),
    "/frozen/done": _html(lambda s: done_page()),
    "/slowframe/": _html(
        lambda s: page("Your plan", '<h1>Your plan</h1><iframe src="widget" title="Billing"></iframe>')
    ),
    "/slowframe/widget": _html(
        lambda s: page(
            "Billing",
            '<form action="done" target="_top"><button>Cancel subscription</button></form>',
            '<link rel="stylesheet" href="slow.css"><script>document.title = "Billing widget"</script>',
        )
    ),
    "/slowframe/other": _html(
        lambda s: page("Your plan", f'<h1>Your plan</h1><iframe src="{s.alt_origin}/slowframe/stuck"></iframe>')
    ),
    "/slowframe/stuck": _html(
        lambda s: page("Ad", "<button>Buy now</button>", '<link rel=stylesheet href="/never/a.css"><script>1</script>')
    ),
    "/never/a.css": _never,
    "/slowframe/slow.css": _slow_css,
    "/slowstyle/": _html(
        lambda s: page(
            "Before you go",
            '<h1>Before you go</h1><button class="keep">Keep my plan</button><a href="done">Cancel anyway</a>',
            '<link rel="stylesheet" href="/slowframe/slow.css">',
        )
    ),
    "/slowframe/done": _html(lambda s: done_page()),
    "/huge/": lambda s, h: Reply(200, s.huge()),
    "/huge/done": _html(lambda s: done_page()),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser gave up on a held or a large response: expected here
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class Handler(BaseHTTPRequestHandler):
    """Replaced per server by `_handler_for`; declared for the type of a route's second argument."""

    hostile: HostileServer


def _handler_for(server: HostileServer) -> type[Handler]:
    class Bound(Handler):
        hostile = server
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            server.record(Hit(host, parts.path))
            route = ROUTES.get(parts.path)
            if route is None:
                reply: Reply | None = Reply(404, page("Not found", "<h1>Not found</h1>"))
            else:
                reply = route(server, self)
            if reply is not None:
                self.send_response(reply.status)
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

    return Bound

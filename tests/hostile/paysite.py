"""A test-only shop that tries every way around the charge guard, one page per way, on 127.0.0.1.

Every charge is a request to a path under `/pay/api/charge`; every off-site trick ends at this same server
under the name `localhost` (another host to the flow). The server records each request's method, host and
path, so a test proves what reached it. The pages are written inline, so a reader sees what each one does:
    /pay/           a fetch POST answered 307 -> charge; a form POST answered 307 -> charge; a sign-in form whose
                    POST (with the password) is answered 307 to the other host; a link answered 302 to the other
                    host; an image answered 302 to the other host; a SharedWorker that pays; a popup and an
                    iframe that pay through a redirect; and a beacon, a keepalive fetch on pagehide and on
                    visibilitychange (sent while the auditor leaves or closes the tab)
    /pay/speculate  speculation rules: prefetch and prerender of a charge URL (GET)
    /pay/speculate-header  the same rules named by a `Speculation-Rules` response header (/pay/rules.json)
    /pay/burst      eight fetches of /pay/busy at once; the first /pay/busy is answered 429, Retry-After: 3
"""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import urlsplit

from playwright.async_api import async_playwright

from auditor.browser import launch

CHARGE = "/pay/api/charge"
PASSWORD = "hunter2-paysite"

LEAVING_JS = """
addEventListener('pagehide', () => {
  navigator.sendBeacon('/pay/api/charge?way=beacon-pagehide', 'card=4242424242424242');
  fetch('/pay/api/charge?way=keepalive-pagehide', {method: 'POST', keepalive: true, body: 'card=4242424242424242'});
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden')
    fetch('/pay/api/charge?way=keepalive-hidden', {method: 'POST', keepalive: true, body: 'card=4242424242424242'});
});
"""

INDEX = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title></head><body>
<h1>Checkout</h1>
<button id="hop" onclick="fetch('/pay/hop?way=fetch', {{method: 'POST', body: 'card=4242424242424242'}})">
  Pay through a redirect</button>
<form method="post" action="/pay/hop?way=form"><input name="card" value="4242424242424242" aria-label="Card">
  <button>Pay with a form</button></form>
<form method="post" action="/pay/away"><input name="password" type="password" value="{PASSWORD}" aria-label="Password">
  <button>Sign in</button></form>
<p><a href="/pay/out">Partner offer</a></p>
<button id="img" onclick="document.getElementById('badge').src = '/pay/out.png'">Show badge</button>
<img id="badge" alt="">
<button id="worker" onclick="new SharedWorker('/pay/worker.js')">Pay in a worker</button>
<button id="popup" onclick="window.open('/pay/popup', 'pay')">Pay in a popup</button>
<button id="frame" onclick="document.body.insertAdjacentHTML('beforeend', '<iframe src=/pay/frame></iframe>')">
  Pay in a frame</button>
<script>{LEAVING_JS}</script>
</body></html>"""

POPUP = f"""<!doctype html><title>Paying</title><h1>Paying</h1>
<script>fetch('/pay/hop?way=popup', {{method: 'POST', body: 'card=4242424242424242'}});{LEAVING_JS}</script>"""

FRAME = f"""<!doctype html><title>Card</title><p>Card widget</p>
<script>fetch('/pay/hop?way=frame', {{method: 'POST', body: 'card=4242424242424242'}});{LEAVING_JS}</script>"""

WORKER = "fetch('/pay/api/charge?way=sharedworker', {method: 'POST', body: 'card=4242424242424242'});"

SPECULATE = """<!doctype html><title>Offer</title><h1>Offer</h1>
<script type="speculationrules">
{"prefetch": [{"source": "list", "urls": ["/pay/api/charge/inline?way=prefetch"]}],
 "prerender": [{"source": "list", "urls": ["/pay/api/charge/inline?way=prerender"]}]}
</script>"""
SPECULATE_BY_HEADER = """<!doctype html><title>Offer</title><h1>Offer</h1>"""
RULES = """{"prefetch": [{"source": "list", "urls": ["/pay/api/charge/by-header?way=prefetch"]}],
 "prerender": [{"source": "list", "urls": ["/pay/api/charge/by-header?way=prerender"]}]}"""


BURST = """<!doctype html><title>Catalogue</title><h1>Catalogue</h1>
<script>for (let i = 0; i < 8; i++) fetch('/pay/busy?i=' + i);</script>"""
RETRY_AFTER_S = 3


class Hit(NamedTuple):
    method: str
    host: str  # the Host header without its port
    path: str  # without the query string
    at: float  # time.monotonic() when it arrived


class PaySite:
    """The shop on a ThreadingHTTPServer in a daemon thread; `with PaySite() as s: s.url`."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True

    def __enter__(self) -> PaySite:
        threading.Thread(target=self._httpd.serve_forever, name="paysite", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def other(self) -> str:
        return f"http://localhost:{self._httpd.server_address[1]}"

    def count(self, prefix: str = "/", host: str | None = None) -> int:
        with self._lock:
            return sum(1 for h in self.hits if h.path.startswith(prefix) and (host is None or h.host == host))

    def reply(self, method: str, path: str) -> tuple[int, dict[str, str], str]:
        """Status, headers and body for a request."""
        pages = {
            "/pay/": INDEX,
            "/pay/popup": POPUP,
            "/pay/frame": FRAME,
            "/pay/speculate": SPECULATE,
            "/pay/burst": BURST,
        }
        if path == "/pay/busy" and self.count("/pay/busy") == 1:
            return 429, {"Retry-After": str(RETRY_AFTER_S)}, "slow down"
        if path == "/pay/hop":
            return 307, {"Location": CHARGE + "?via=redirect"}, ""
        if path == "/pay/away":
            return 307, {"Location": f"{self.other}/pay/stolen"}, ""
        if path in ("/pay/out", "/pay/out.png"):
            return 302, {"Location": f"{self.other}{path}"}, ""
        if path == "/pay/speculate-header":
            return 200, {"Content-Type": "text/html", "Speculation-Rules": '"/pay/rules.json"'}, SPECULATE_BY_HEADER
        if path == "/pay/rules.json":
            return 200, {"Content-Type": "application/speculationrules+json"}, RULES
        if path == "/pay/worker.js":
            return 200, {"Content-Type": "text/javascript"}, WORKER
        if path in pages:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, pages[path]
        return 200, {"Content-Type": "text/plain"}, "ok"


def _handler(site: PaySite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._serve()

        def _serve(self) -> None:
            path = urlsplit(self.path).path
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
            with site._lock:
                site.hits.append(Hit(self.command, host, path, time.monotonic()))
            status, headers, body = site.reply(self.command, path)
            data = body.encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def click_unguarded(url: str, buttons: list[str]) -> None:
    """What a page does with no guard at all (a plain page of a plain browser): open `url`, click each button,
    then leave the page and close it. Proves that a server's counter counts what a guarded run must not send."""

    async def clicks() -> None:
        async with async_playwright() as playwright:
            browser = await launch(playwright)
            page = await browser.new_page()
            await page.goto(url)
            for name in buttons:
                await page.get_by_role("button", name=name).click()
                await page.wait_for_timeout(400)
            await page.goto(url)
            await page.close()
            await asyncio.sleep(0.5)
            await browser.close()

    asyncio.run(clicks())

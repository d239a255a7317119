"""`proxy` (and `--proxy`) on real Chromium: a site only a proxy can reach (a host name that resolves nowhere)
is audited through a forward proxy served by the test, which sees every request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.forward_proxy import forward

pytestmark = pytest.mark.e2e


class _Proxy(BaseHTTPRequestHandler):
    """A forward proxy for plain HTTP that sends every request to the sites server, whatever its host."""

    protocol_version = "HTTP/1.1"
    target: tuple[str, int] = ("127.0.0.1", 0)
    seen: list[str] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _forward(self) -> None:
        parts = urlsplit(self.path)
        type(self).seen.append(f"{self.command} {parts.hostname}{parts.path}")
        forward(self, *self.target)

    do_GET = do_POST = do_HEAD = _forward


@pytest.fixture
def proxy(sites_server) -> Iterator[str]:
    _Proxy.target = ("127.0.0.1", sites_server.port)
    _Proxy.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_flow_goes_through_the_proxy(proxy: str, tmp_path: Path) -> None:
    spec = tmp_path / "flow.yaml"
    spec.write_text(
        "name: proxied-cancel\nkind: cancellation\nstart: http://streamco.invalid/intl/account\n"
        "goal: {text: Your subscription has been cancelled}\nlocale: en-US\n"
    )
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(spec), "--out", str(out), "--proxy", proxy],
        capture_output=True,
        text=True,
        timeout=240,
        env=dict(os.environ),
    )
    assert run.returncode == 0, run.stderr
    (flow,) = json.loads((out / "report.json").read_text())["flows"]
    assert flow["goal_reached"] and flow["context"]["proxy"] == proxy
    assert "GET streamco.invalid/intl/account" in _Proxy.seen
    assert "POST streamco.invalid/intl/us/cancel" in _Proxy.seen

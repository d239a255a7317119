"""A forward proxy's one job, for e2e tests that send a flow through a proxy served by the test
(tests/e2e/test_proxy.py, tests/hostile/test_secret_encodings.py)."""

from __future__ import annotations

import http.client
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

HOP_BY_HOP = ("proxy-authorization", "proxy-connection", "connection", "transfer-encoding")


def forward(handler: BaseHTTPRequestHandler, host: str, port: int) -> None:
    """Send the request `handler` received (for an absolute URL, as a proxy gets it) to host:port, and copy the
    answer back."""
    parts = urlsplit(handler.path)
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length else None
    headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    upstream = http.client.HTTPConnection(host, port, timeout=20)
    try:
        upstream.request(handler.command, path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
    finally:
        upstream.close()
    handler.send_response(answer.status)
    for name, value in answer.getheaders():
        if name.lower() not in (*HOP_BY_HOP, "content-length"):
            handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)

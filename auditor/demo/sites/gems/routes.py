"""Gem Quest's API: the store's password check and the in-app charge (the client decides when to ask for the
password; the server never does)."""

from __future__ import annotations

from auditor.demo.web import Request, Response, Routes, Sessions, charged, json_body, json_response, money

PASSWORD = "gems-parent-demo"


def verify(req: Request, sessions: Sessions) -> Response:
    """The store's password check (the client opens its 15-minute window on ok)."""
    if json_body(req).get("password") != PASSWORD:
        return json_response({"ok": False, "error": "That password isn't right. Try again."}, status=401)
    return json_response({"ok": True})


def charge(req: Request, sessions: Sessions) -> Response:
    """An in-app charge: the price the client sends, no password asked (the client decides when to ask)."""
    data = json_body(req)
    price = money(data.get("price"))
    if price is None or not data.get("item"):
        return json_response({"ok": False, "error": "Unknown item."}, status=422)
    return charged(price)


ROUTES: Routes = {
    ("POST", "/gems/api/verify"): verify,
    ("POST", "/gems/api/charge"): charge,
}

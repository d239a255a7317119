"""What the demo server and every site's routes share: the request and response types, login sessions, and the
small helpers that build responses (a page, a 303, JSON, a cookie, a form error) and common handlers.

A handler is `(Request, Sessions) -> Response`; a site's `routes.py` maps `(method, path)` to handlers in its
`ROUTES`. A handler returns either a body or a `template` (a file under sites/) that the server renders with
`values` (see server.py). State lives only behind cookies, so a fresh browser context is a fresh user.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    cookies: dict[str, str]
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names: accept-language, user-agent


@dataclass
class Response:
    status: int = 200
    template: str | None = None  # relative to sites/
    values: dict[str, Any] = field(default_factory=dict)  # the template's variables (HTML only as Markup)
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


class Sessions:
    """Login sessions: random token -> user data. Thread-safe; lives as long as the server."""

    def __init__(self) -> None:
        self._data: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def new(self, **user: str) -> str:
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._data[token] = user
        return token

    def get(self, token: str | None) -> dict[str, str] | None:
        with self._lock:
            return self._data.get(token or "")

    def drop(self, token: str | None) -> None:
        with self._lock:
            self._data.pop(token or "", None)


Handler = Callable[[Request, Sessions], Response]
Routes = Mapping[tuple[str, str], Handler]  # (method, path) -> handler


# ---- responses ----
def page(template: str, status: int = 200, **values: Any) -> Response:
    return Response(status, template=template, values=values)


def redirect(location: str, *cookies: str) -> Response:
    return Response(303, headers=[("Location", location), *(("Set-Cookie", c) for c in cookies)])


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(status, body=json.dumps(obj).encode(), content_type="application/json")


def cookie(name: str, value: str, path: str, clear: bool = False) -> str:
    expiry = "; Max-Age=0" if clear else ""
    return f"{name}={value}; Path={path}; HttpOnly; SameSite=Lax{expiry}"


def error(message: str) -> Markup:
    """A form's error line, for a template's `{{ error }}`."""
    return Markup('<p class="form-error" role="alert">{}</p>').format(message)


def json_body(req: Request) -> dict[str, Any]:
    try:
        data = json.loads(req.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def page_number(req: Request, name: str, first: int = 1) -> int:
    """A query parameter that numbers the pages of an endless list (anything else: the first page)."""
    value = req.query.get(name, str(first))
    return int(value) if value.isdigit() else first


# ---- handlers more than one site uses ----
def accept(to: str) -> Handler:
    """A decoy form that accepts anything and goes back to `to`."""
    return lambda req, sessions: redirect(to)


def signup(template: str, welcome: str, password_field: str, message: str) -> Handler:
    """A sign-up form post: an email and a password of 8+ characters, then the welcome page."""

    def handler(req: Request, sessions: Sessions) -> Response:
        if "@" not in req.form.get("email", "") or len(req.form.get(password_field, "")) < 8:
            return page(template, error=error(message))
        return redirect(welcome)

    return handler


def password_wall(*, field: str, password: str, wall: str, mark: str, then: str, wrong: str) -> Handler:
    """The post of a password re-entry page: a wrong password shows the page `wall` again with `wrong`; the
    right one sets the cookie `mark` on the site and goes on to `then`."""
    site = wall.split("/", 1)[0]

    def handler(req: Request, sessions: Sessions) -> Response:
        if req.form.get(field) != password:
            return page(wall, error=error(wrong))
        return redirect(then, cookie(mark, secrets.token_hex(8), f"/{site}/"))

    return handler


def behind_wall(mark: str, wall_url: str) -> Callable[..., Handler]:
    """Pages and posts that need the cookie `mark` of a password wall; without it, back to the wall."""

    def gated(template: str | None = None, then: str | None = None) -> Handler:
        def handler(req: Request, sessions: Sessions) -> Response:
            if not req.cookies.get(mark):
                return redirect(wall_url)
            return redirect(then) if then else page(template or "")

        return handler

    return gated


# ---- charges: real endpoints that a guarded crawl must never reach (DemoServer.count() proves it) ----
_CARD = re.compile(r"(?:\d[ -]?){12,18}\d")
_EXPIRY = re.compile(r"(0[1-9]|1[0-2]) ?/ ?\d{2}")
_CVC = re.compile(r"\d{3,4}")


def money(value: Any) -> float | None:
    try:
        amount = round(float(value), 2)
    except (TypeError, ValueError):
        return None
    return amount if 0 < amount < 10_000 else None


def card_ok(form: Mapping[str, str], name: str = "card_name") -> bool:
    return bool(
        form.get(name, "").strip()
        and _CARD.fullmatch(form.get("card_number", "").strip())
        and _EXPIRY.fullmatch(form.get("expiry", "").strip())
        and _CVC.fullmatch(form.get("cvc", "").strip())
    )


def charged(amount: float, status: int = 200, *headers: tuple[str, str]) -> Response:
    """What every charge endpoint answers: {"ok": true, "charged": amount} (with a 303's Location, if any)."""
    resp = json_response({"ok": True, "charged": amount}, status=status)
    resp.headers.extend(headers)
    return resp

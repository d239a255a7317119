"""The dynamic routes of the test-only sites under tests/sites/; a test serves them with
`DemoServer(sites_dir=SITES, routes=ROUTES)` (the bundled demo sites' own routes come with every server)."""

from __future__ import annotations

import time

from auditor.demo.web import (
    Handler,
    Request,
    Response,
    Routes,
    Sessions,
    cookie,
    error,
    json_response,
    page,
    redirect,
)
from tests.outfitter_routes import ROUTES as OUTFITTER_ROUTES

MEMBERS_PASSWORD = "correct horse battery"  # the members site's one account (tests/sites/members/)
MEMBERS_SESSION = {"seconds": 3600.0}  # how long a sign-in lasts; a test sets 0 to expire every session


def guard_charge(req: Request, sessions: Sessions) -> Response:
    """The charge endpoint of `tests/sites/guard/`: a guarded crawl must never reach it (DemoServer.count())."""
    return json_response({"ok": True})


def members_login(req: Request, sessions: Sessions) -> Response:
    if "@" not in req.form.get("user", "") or req.form.get("secret") != MEMBERS_PASSWORD:
        return page("members/login.html", error=error("Wrong e-mail or password."))
    token = sessions.new(email=req.form["user"], since=str(time.time()))
    return redirect("/members/account", cookie("members_sid", token, "/members/"))


def members_only(template: str, then: str | None = None) -> Handler:
    """A page (or a post) for a signed-in member; a missing or expired session goes to the login page."""

    def handler(req: Request, sessions: Sessions) -> Response:
        user = sessions.get(req.cookies.get("members_sid"))
        if user is None or time.time() - float(user["since"]) > MEMBERS_SESSION["seconds"]:
            return redirect("/members/login")
        return redirect(then) if then else page(template, email=user["email"])

    return handler


def members_logout(req: Request, sessions: Sessions) -> Response:
    sessions.drop(req.cookies.get("members_sid"))
    return redirect("/members/login", cookie("members_sid", "", "/members/", clear=True))


def intl_account(req: Request, sessions: Sessions) -> Response:
    """The account page by Accept-Language: German visitors get the German flow (BGB 312k), others the US one."""
    first = req.headers.get("accept-language", "").split(",")[0].strip().lower()
    return page("intl/de-account.html" if first.startswith("de") else "intl/us-account.html")


def walled_home(req: Request, sessions: Sessions) -> Response:
    """A site that answers headless browsers with a challenge page (as bot-management services do)."""
    if "headless" in req.headers.get("user-agent", "").lower():
        return Response(403, template="walled/challenge.html")
    return page("walled/account.html")


def walled_busy(req: Request, sessions: Sessions) -> Response:
    body = b"<!doctype html><title>Too Many Requests</title><h1>Too Many Requests</h1><p>Try again later.</p>"
    return Response(429, body=body, headers=[("Retry-After", "120")])


ROUTES: Routes = {
    ("POST", "/guard/api/charge"): guard_charge,
    ("POST", "/members/login"): members_login,
    ("GET", "/members/account"): members_only("members/account.html"),
    ("GET", "/members/cancel"): members_only("members/cancel.html"),
    ("POST", "/members/cancel"): members_only("", then="/members/cancelled"),
    ("GET", "/members/cancelled"): members_only("members/cancelled.html"),
    ("GET", "/members/logout"): members_logout,
    ("GET", "/intl/account"): intl_account,
    ("GET", "/intl/us/manage"): lambda req, sessions: page("intl/us-manage.html"),
    ("POST", "/intl/us/cancel"): lambda req, sessions: redirect("/intl/us/cancelled"),
    ("GET", "/intl/us/cancelled"): lambda req, sessions: page("intl/us-cancelled.html"),
    ("GET", "/intl/de/kuendigen"): lambda req, sessions: page("intl/de-kuendigen.html"),
    ("POST", "/intl/de/kuendigen"): lambda req, sessions: redirect("/intl/de/bestaetigt"),
    ("GET", "/intl/de/bestaetigt"): lambda req, sessions: page("intl/de-bestaetigt.html"),
    ("GET", "/walled/home"): walled_home,
    ("GET", "/walled/busy"): walled_busy,
    **OUTFITTER_ROUTES,
}

"""Streamly's dynamic routes: the login session (`/fair/account*` needs it), sign-up, the one-click cancel and
the EU withdrawal form (open to anyone)."""

from __future__ import annotations

from auditor.demo.web import Handler, Request, Response, Routes, Sessions, cookie, error, page, redirect

SESSION = "streamly_session"
USER = ("demo@streamly.test", "streamly-demo")


def login(req: Request, sessions: Sessions) -> Response:
    email, password = req.form.get("email", "").strip().lower(), req.form.get("password", "")
    if (email, password) != USER:
        return page("fair/login.html", error=error("That email and password don't match our records."))
    return redirect("/fair/", cookie(SESSION, sessions.new(email=email), "/fair/"))


def logout(req: Request, sessions: Sessions) -> Response:
    sessions.drop(req.cookies.get(SESSION))
    return redirect("/fair/login", cookie(SESSION, "", "/fair/", clear=True))


def signup(req: Request, sessions: Sessions) -> Response:
    email, password = req.form.get("email", "").strip(), req.form.get("password", "")
    if "@" not in email or len(password) < 6:
        return page("fair/signup.html", error=error("Enter a valid email and a password of 6+ characters."))
    return redirect("/fair/welcome", cookie(SESSION, sessions.new(email=email), "/fair/"))


def members(template: str | None = None, then: str | None = None) -> Handler:
    """A members-only page (or, with `then`, a members-only form post that redirects)."""

    def handler(req: Request, sessions: Sessions) -> Response:
        user = sessions.get(req.cookies.get(SESSION))
        if user is None:
            return redirect("/fair/login")
        if then is not None:
            return redirect(then)
        return page(template or "", email=user["email"])

    return handler


def withdraw(req: Request, sessions: Sessions) -> Response:
    """The EU withdrawal function (CRD Art. 11a): open to anyone, no login, one field."""
    if "@" not in req.form.get("email", ""):
        return page("fair/withdraw.html", error=error("Enter the email address of your Streamly account."))
    return redirect("/fair/withdrawn")


ROUTES: Routes = {
    ("POST", "/fair/login"): login,
    ("GET", "/fair/logout"): logout,
    ("POST", "/fair/signup"): signup,
    ("GET", "/fair/account"): members("fair/account.html"),
    ("GET", "/fair/account/plan"): members("fair/account/plan.html"),
    ("GET", "/fair/account/payment"): members("fair/account/payment.html"),
    ("GET", "/fair/account/billing"): members("fair/account/billing.html"),
    ("GET", "/fair/account/cancelled"): members("fair/account/cancelled.html"),
    ("POST", "/fair/account/cancel"): members(then="/fair/account/cancelled"),
    ("POST", "/fair/account/plan"): members(then="/fair/account"),
    ("POST", "/fair/account/payment"): members(then="/fair/account"),
    ("POST", "/fair/withdraw"): withdraw,
}

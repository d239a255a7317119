"""Streamo DE's dynamic routes (BGB § 312k): the cancellation form and its receipt (a cookie, no login), the
withdrawal form, account decoys and registering."""

from __future__ import annotations

import re
import secrets

from auditor.demo.web import Request, Response, Routes, Sessions, accept, cookie, error, page, redirect, signup

RECEIPT = "sv_kuendigung"
NUMBER = re.compile(r"SV-\d{6}", re.IGNORECASE)
_KUENDIGUNGSART = {"o": "Ordentliche Kündigung", "a": "Außerordentliche Kündigung"}


def kuendigen(req: Request, sessions: Sessions) -> Response:
    email, number = req.form.get("email", "").strip(), req.form.get("vertragsnummer", "").strip()
    if "@" not in email or not NUMBER.fullmatch(number):
        message = "Bitte geben Sie Ihre E-Mail-Adresse und Ihre Vertragsnummer (z. B. SV-000000) an."
        return page("vertrag/kuendigen.html", error=error(message))
    art = "a" if req.form.get("art") == "ausserordentlich" else "o"
    receipt = f"{art}-K{secrets.token_hex(4).upper()}"
    return redirect("/vertrag/bestaetigung", cookie(RECEIPT, receipt, "/vertrag/"))


def bestaetigung(req: Request, sessions: Sessions) -> Response:
    art, _, ref = req.cookies.get(RECEIPT, "").partition("-")
    if art not in _KUENDIGUNGSART or not ref:
        return redirect("/vertrag/kuendigen")
    return page("vertrag/bestaetigung.html", art=_KUENDIGUNGSART[art], ref=ref)


def widerruf(req: Request, sessions: Sessions) -> Response:
    if "@" not in req.form.get("email", ""):
        return page("vertrag/widerruf.html", error=error("Bitte geben Sie Ihre E-Mail-Adresse an."))
    return redirect("/vertrag/widerruf-eingegangen")


ROUTES: Routes = {
    ("POST", "/vertrag/kuendigen"): kuendigen,
    ("GET", "/vertrag/bestaetigung"): bestaetigung,
    ("POST", "/vertrag/widerruf"): widerruf,
    ("POST", "/vertrag/konto/tarif"): accept("/vertrag/konto"),
    ("POST", "/vertrag/konto/zahlung"): accept("/vertrag/konto"),
    ("POST", "/vertrag/registrieren"): signup(
        "vertrag/registrieren.html",
        "/vertrag/willkommen",
        "passwort",
        "Bitte geben Sie Ihre E-Mail-Adresse und ein Passwort mit mindestens 8 Zeichen an.",
    ),
}

"""Dynamic routes of the demo sites: form posts (303 redirects), a login session, password walls, JSON APIs,
endless lists.

`ROUTES` maps (method, path) to a handler `(Request, Sessions) -> Response`. A handler returns either a body
or a `template` (a file under sites/) that the server renders with `values` and the noise placeholders.
State lives only behind cookies, so a fresh browser context is a fresh user.
"""

from __future__ import annotations

import html
import json
import random
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    cookies: dict[str, str]
    body: bytes = b""


@dataclass
class Response:
    status: int = 200
    template: str | None = None  # relative to sites/
    values: dict[str, str] = field(default_factory=dict)  # extra placeholders for the template
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


# ---- response helpers ----
def page(template: str, status: int = 200, **values: str) -> Response:
    return Response(status, template=template, values=values)


def redirect(location: str, *cookies: str) -> Response:
    return Response(303, headers=[("Location", location), *(("Set-Cookie", c) for c in cookies)])


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(status, body=json.dumps(obj).encode(), content_type="application/json")


def cookie(name: str, value: str, path: str, clear: bool = False) -> str:
    expiry = "; Max-Age=0" if clear else ""
    return f"{name}={value}; Path={path}; HttpOnly; SameSite=Lax{expiry}"


def error(message: str) -> str:
    return f'<p class="form-error" role="alert">{html.escape(message)}</p>'


def accept(to: str) -> Handler:
    """A decoy form that accepts anything and goes back to `to`."""
    return lambda req, sessions: redirect(to)


# ---- fair: Streamly (login, one-click cancel) ----
FAIR_COOKIE = "streamly_session"
FAIR_USER = ("demo@streamly.test", "streamly-demo")


def fair_login(req: Request, sessions: Sessions) -> Response:
    email, password = req.form.get("email", "").strip().lower(), req.form.get("password", "")
    if (email, password) != FAIR_USER:
        return page("fair/login.html", ERROR=error("That email and password don't match our records."))
    return redirect("/fair/", cookie(FAIR_COOKIE, sessions.new(email=email), "/fair/"))


def fair_logout(req: Request, sessions: Sessions) -> Response:
    sessions.drop(req.cookies.get(FAIR_COOKIE))
    return redirect("/fair/login", cookie(FAIR_COOKIE, "", "/fair/", clear=True))


def fair_signup(req: Request, sessions: Sessions) -> Response:
    email, password = req.form.get("email", "").strip(), req.form.get("password", "")
    if "@" not in email or len(password) < 6:
        return page("fair/signup.html", ERROR=error("Enter a valid email and a password of 6+ characters."))
    return redirect("/fair/welcome", cookie(FAIR_COOKIE, sessions.new(email=email), "/fair/"))


def fair_members(template: str | None = None, then: str | None = None) -> Handler:
    """A members-only page (or, with `then`, a members-only form post that redirects)."""

    def handler(req: Request, sessions: Sessions) -> Response:
        user = sessions.get(req.cookies.get(FAIR_COOKIE))
        if user is None:
            return redirect("/fair/login")
        if then is not None:
            return redirect(then)
        return page(template or "", EMAIL=html.escape(user["email"]))

    return handler


def fair_withdraw(req: Request, sessions: Sessions) -> Response:
    """The EU withdrawal function (CRD Art. 11a): open to anyone, no login, one field."""
    if "@" not in req.form.get("email", ""):
        return page("fair/withdraw.html", ERROR=error("Enter the email address of your Streamly account."))
    return redirect("/fair/withdrawn")


# ---- iliad: PrimeBox (save offers, password wall, iframe) ----
ILIAD_PASSWORD = "primebox-demo"
ILIAD_VERIFIED = "pb_verified"
_DEAL_WORDS = (
    ("Wireless", "Smart", "Compact", "Stainless", "Ergonomic", "Noise-cancelling", "Portable", "Organic"),
    ("Earbuds", "Air Fryer", "Desk Lamp", "Backpack", "Coffee Grinder", "Yoga Mat", "Speaker", "Kettle"),
)


def iliad_deals(req: Request, sessions: Sessions) -> Response:
    n = int(req.query.get("page", "1")) if req.query.get("page", "1").isdigit() else 1
    cards = []
    for _ in range(8):
        name = f"{random.choice(_DEAL_WORDS[0])} {random.choice(_DEAL_WORDS[1])}"
        price = random.randint(900, 19900) / 100
        off = random.randint(10, 60)
        cards.append(
            f'<li class="deal" id="d-{secrets.token_hex(4)}"><div class="thumb" aria-hidden="true"></div>'
            f'<span class="badge">{off}% off</span><h3>{name}</h3>'
            f'<p class="price">${price:.2f} <s>${price * 100 / (100 - off):.2f}</s></p>'
            f'<p class="ends">Ends in {random.randint(1, 23)}h {random.randint(1, 59)}m</p></li>'
        )
    return page("iliad/deals.html", PAGE=str(n), NEXT=str(n + 1), DEALS="\n".join(cards))


def iliad_signup(req: Request, sessions: Sessions) -> Response:
    if "@" not in req.form.get("email", "") or not req.form.get("password"):
        return page("iliad/signup.html", ERROR=error("Enter your email and choose a password."))
    return redirect("/iliad/welcome")


def password_wall(*, field: str, password: str, wall: str, mark: str, then: str, wrong: str) -> Handler:
    """The post of a password re-entry page: a wrong password shows the page `wall` again with `wrong`; the
    right one sets the cookie `mark` on the site and goes on to `then`."""
    site = wall.split("/", 1)[0]

    def handler(req: Request, sessions: Sessions) -> Response:
        if req.form.get(field) != password:
            return page(wall, ERROR=error(wrong))
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


iliad_verify = password_wall(
    field="password",
    password=ILIAD_PASSWORD,
    wall="iliad/cancel/verify.html",
    mark=ILIAD_VERIFIED,
    then="/iliad/cancel/confirm",
    wrong="Your password is incorrect.",
)
iliad_verified = behind_wall(ILIAD_VERIFIED, "/iliad/cancel/verify")


# ---- phone: IronGym (no online cancellation) ----
_CLASSES = ("Spin", "HIIT", "Yoga", "Boxing", "Pilates", "Strength", "Mobility", "Kettlebells")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def phone_timetable(req: Request, sessions: Sessions) -> Response:
    week = int(req.query.get("week", "0")) if req.query.get("week", "0").isdigit() else 0
    monday = date.today() - timedelta(days=date.today().weekday()) + timedelta(weeks=week)
    columns = []
    for i, day in enumerate(_DAYS):
        slots = sorted(random.sample(range(6, 21), 3))
        items = "".join(
            f"<li><time>{h:02d}:{random.choice(('00', '15', '30', '45'))}</time> "
            f"{random.choice(_CLASSES)} <small>{random.randint(0, 18)} spots left</small></li>"
            for h in slots
        )
        columns.append(
            f'<section class="day"><h3>{day} {(monday + timedelta(days=i)).strftime("%d %b")}</h3>'
            f"<ul>{items}</ul></section>"
        )
    return page(
        "phone/timetable.html",
        WEEK=monday.strftime("%d %B %Y"),
        NEXT=str(week + 1),
        DAYS="\n".join(columns),
    )


def phone_contact(req: Request, sessions: Sessions) -> Response:
    if not all(req.form.get(k, "").strip() for k in ("name", "email", "message")):
        return page("phone/contact.html", ERROR=error("Please fill in your name, email and message."))
    return redirect("/phone/contact/sent")


def phone_join(req: Request, sessions: Sessions) -> Response:
    if not req.form.get("name", "").strip() or "@" not in req.form.get("email", ""):
        return page("phone/join.html", ERROR=error("Please tell us your name and email."))
    return redirect("/phone/welcome")


# ---- spa: Tunely (JSON API behind a single-page app) ----
def _json_body(req: Request) -> dict[str, Any]:
    try:
        data = json.loads(req.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def spa_cancel(req: Request, sessions: Sessions) -> Response:
    until = (date.today() + timedelta(days=23)).isoformat()
    return json_response({"status": "cancelled", "reason": _json_body(req).get("reason"), "premium_until": until})


def spa_subscribe(req: Request, sessions: Sessions) -> Response:
    email = str(_json_body(req).get("email", ""))
    if "@" not in email:
        return json_response({"error": "Enter a valid email address."}, status=422)
    return json_response({"status": "subscribed", "plan": "Premium", "id": secrets.token_hex(6)})


def signup(template: str, welcome: str, password_field: str, message: str) -> Handler:
    """A sign-up form post: an email and a password of 8+ characters, then the welcome page."""

    def handler(req: Request, sessions: Sessions) -> Response:
        if "@" not in req.form.get("email", "") or len(req.form.get(password_field, "")) < 8:
            return page(template, ERROR=error(message))
        return redirect(welcome)

    return handler


# ---- fittrack: FitTrack (small exit, offer without a way out, confirmshaming, no confirmation) ----
_MEMBERS = ("Priya K.", "Jonas W.", "Maya L.", "Tom R.", "Aisha B.", "Luca M.", "Hana S.", "Diego F.")
_FEATS = (
    "finished Full-body HIIT",
    "hit a 30-day streak",
    "ran 10 km for the first time",
    "beat a plank record",
    "completed Hips & hamstrings flow",
    "logged a 5 am workout",
    "joined the Spring Step Challenge",
)


def fittrack_community(req: Request, sessions: Sessions) -> Response:
    n = int(req.query.get("page", "1")) if req.query.get("page", "1").isdigit() else 1
    posts = "\n".join(
        f'<article class="post" id="p-{secrets.token_hex(4)}"><div class="avatar" aria-hidden="true"></div><div>'
        f"<p><b>{random.choice(_MEMBERS)}</b> {random.choice(_FEATS)}</p>"
        f'<p class="muted">{random.randint(1, 59)} min ago · {random.randint(0, 400)} high-fives</p></div></article>'
        for _ in range(6)
    )
    return page("fittrack/community.html", PAGE=str(n), NEXT=str(n + 1), POSTS=posts)


def fittrack_cancel(req: Request, sessions: Sessions) -> Response:
    """The cancel call the confirm page makes before it sends the user home, saying nothing."""
    return json_response({"ok": True, "request": secrets.token_hex(6)})


# ---- vertrag: Streamo DE (BGB 312k: "Verträge hier kündigen" -> "Jetzt kündigen", no login) ----
VERTRAG_RECEIPT = "sv_kuendigung"
VERTRAG_NUMBER = re.compile(r"SV-\d{6}", re.IGNORECASE)
_KUENDIGUNGSART = {"o": "Ordentliche Kündigung", "a": "Außerordentliche Kündigung"}


def vertrag_kuendigen(req: Request, sessions: Sessions) -> Response:
    email, number = req.form.get("email", "").strip(), req.form.get("vertragsnummer", "").strip()
    if "@" not in email or not VERTRAG_NUMBER.fullmatch(number):
        message = "Bitte geben Sie Ihre E-Mail-Adresse und Ihre Vertragsnummer (z. B. SV-000000) an."
        return page("vertrag/kuendigen.html", ERROR=error(message))
    art = "a" if req.form.get("art") == "ausserordentlich" else "o"
    receipt = f"{art}-K{secrets.token_hex(4).upper()}"
    return redirect("/vertrag/bestaetigung", cookie(VERTRAG_RECEIPT, receipt, "/vertrag/"))


def vertrag_bestaetigung(req: Request, sessions: Sessions) -> Response:
    art, _, ref = req.cookies.get(VERTRAG_RECEIPT, "").partition("-")
    if art not in _KUENDIGUNGSART or not ref:
        return redirect("/vertrag/kuendigen")
    return page("vertrag/bestaetigung.html", ART=_KUENDIGUNGSART[art], REF=html.escape(ref))


def vertrag_widerruf(req: Request, sessions: Sessions) -> Response:
    if "@" not in req.form.get("email", ""):
        return page("vertrag/widerruf.html", ERROR=error("Bitte geben Sie Ihre E-Mail-Adresse an."))
    return redirect("/vertrag/widerruf-eingegangen")


# ---- abo: Lernwelt (buried exit, save offer, password wall, "Weiter" instead of "jetzt kündigen") ----
ABO_PASSWORD = "lernwelt-demo"
ABO_VERIFIED = "lw_verified"
_KURS_WORDS = (
    ("Excel", "Python", "Spanisch", "Fotografie", "Buchhaltung", "Rhetorik", "Projektmanagement", "Photoshop"),
    ("für Einsteiger", "kompakt", "für Fortgeschrittene", "im Beruf", "in 30 Tagen", "Intensivkurs"),
)

abo_anmelden = password_wall(
    field="passwort",
    password=ABO_PASSWORD,
    wall="abo/kuendigen/anmelden.html",
    mark=ABO_VERIFIED,
    then="/abo/kuendigen/bestaetigen",
    wrong="Das Passwort ist nicht korrekt.",
)
abo_verified = behind_wall(ABO_VERIFIED, "/abo/kuendigen/anmelden")


def abo_kurse(req: Request, sessions: Sessions) -> Response:
    n = int(req.query.get("seite", "1")) if req.query.get("seite", "1").isdigit() else 1
    cards = "\n".join(
        f'<div class="kurs" id="k-{secrets.token_hex(4)}"><div class="bild" aria-hidden="true"></div>'
        f'<div class="text"><b>{random.choice(_KURS_WORDS[0])} {random.choice(_KURS_WORDS[1])}</b>'
        f'<span class="muted">{random.randint(2, 40)} Lektionen · 4,{random.randint(0, 9)} ★'
        f"</span></div></div>"
        for _ in range(6)
    )
    return page("abo/kurse.html", SEITE=str(n), NAECHSTE=str(n + 1), KURSE=cards)


ROUTES: dict[tuple[str, str], Handler] = {
    ("POST", "/fair/login"): fair_login,
    ("GET", "/fair/logout"): fair_logout,
    ("POST", "/fair/signup"): fair_signup,
    ("GET", "/fair/account"): fair_members("fair/account.html"),
    ("GET", "/fair/account/plan"): fair_members("fair/account/plan.html"),
    ("GET", "/fair/account/payment"): fair_members("fair/account/payment.html"),
    ("GET", "/fair/account/billing"): fair_members("fair/account/billing.html"),
    ("GET", "/fair/account/cancelled"): fair_members("fair/account/cancelled.html"),
    ("POST", "/fair/account/cancel"): fair_members(then="/fair/account/cancelled"),
    ("POST", "/fair/account/plan"): fair_members(then="/fair/account"),
    ("POST", "/fair/account/payment"): fair_members(then="/fair/account"),
    ("GET", "/iliad/deals"): iliad_deals,
    ("POST", "/iliad/signup"): iliad_signup,
    ("POST", "/iliad/cancel/verify"): iliad_verify,
    ("GET", "/iliad/cancel/confirm"): iliad_verified("iliad/cancel/confirm.html"),
    ("POST", "/iliad/cancel/done"): iliad_verified(then="/iliad/cancelled"),
    ("GET", "/phone/timetable"): phone_timetable,
    ("POST", "/phone/freeze"): accept("/phone/frozen"),
    ("POST", "/phone/contact"): phone_contact,
    ("POST", "/phone/join"): phone_join,
    ("POST", "/spa/api/cancel"): spa_cancel,
    ("POST", "/spa/api/subscribe"): spa_subscribe,
    ("POST", "/fair/withdraw"): fair_withdraw,
    ("GET", "/fittrack/community"): fittrack_community,
    ("POST", "/fittrack/api/cancel"): fittrack_cancel,
    ("POST", "/fittrack/cancel/offer"): accept("/fittrack/offer-claimed"),
    ("POST", "/fittrack/account/profile"): accept("/fittrack/account"),
    ("POST", "/fittrack/account/notifications"): accept("/fittrack/account"),
    ("POST", "/fittrack/join"): signup(
        "fittrack/join.html", "/fittrack/welcome", "password", "Enter your email and a password of 8+ characters."
    ),
    ("POST", "/vertrag/kuendigen"): vertrag_kuendigen,
    ("GET", "/vertrag/bestaetigung"): vertrag_bestaetigung,
    ("POST", "/vertrag/widerruf"): vertrag_widerruf,
    ("POST", "/vertrag/konto/tarif"): accept("/vertrag/konto"),
    ("POST", "/vertrag/konto/zahlung"): accept("/vertrag/konto"),
    ("POST", "/vertrag/registrieren"): signup(
        "vertrag/registrieren.html",
        "/vertrag/willkommen",
        "passwort",
        "Bitte geben Sie Ihre E-Mail-Adresse und ein Passwort mit mindestens 8 Zeichen an.",
    ),
    ("GET", "/abo/kurse"): abo_kurse,
    ("POST", "/abo/konto/daten"): accept("/abo/konto"),
    ("POST", "/abo/konto/jahresabo"): accept("/abo/konto/abo?jahr=1"),
    ("POST", "/abo/kuendigen/angebot"): accept("/abo/angebot-aktiviert"),
    ("POST", "/abo/kuendigen/anmelden"): abo_anmelden,
    ("GET", "/abo/kuendigen/bestaetigen"): abo_verified("abo/kuendigen/bestaetigen.html"),
    ("POST", "/abo/kuendigen/bestaetigen"): abo_verified(then="/abo/gekuendigt"),
    ("GET", "/abo/gekuendigt"): abo_verified("abo/gekuendigt.html"),
    ("POST", "/abo/registrieren"): signup(
        "abo/registrieren.html",
        "/abo/willkommen",
        "passwort",
        "Bitte geben Sie Ihre E-Mail-Adresse und ein Passwort mit mindestens 8 Zeichen an.",
    ),
}

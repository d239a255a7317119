"""Dynamic routes of the demo sites: form posts (303 redirects), a login session, password walls, JSON APIs,
endless lists, and the charge endpoints of the purchase sites (each answers {"ok": true, "charged": amount}; a
guarded crawl must never reach them, which `DemoServer.count()` proves).

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


# ---- charges: real endpoints that a guarded crawl must never reach (DemoServer.count() proves it) ----
def _money(value: Any) -> float | None:
    try:
        amount = round(float(value), 2)
    except (TypeError, ValueError):
        return None
    return amount if 0 < amount < 10_000 else None


def charged(amount: float, status: int = 200, *headers: tuple[str, str]) -> Response:
    """What every charge endpoint answers: {"ok": true, "charged": amount} (with a 303's Location, if any)."""
    resp = json_response({"ok": True, "charged": amount}, status=status)
    resp.headers.extend(headers)
    return resp


# ---- gems: Gem Quest (a children's game: in-app purchases, a password only on dear items, a 15-minute window) ----
GEMS_PASSWORD = "gems-parent-demo"


def gems_verify(req: Request, sessions: Sessions) -> Response:
    """The store's password check (the client opens its 15-minute window on ok)."""
    if _json_body(req).get("password") != GEMS_PASSWORD:
        return json_response({"ok": False, "error": "That password isn't right. Try again."}, status=401)
    return json_response({"ok": True})


def gems_charge(req: Request, sessions: Sessions) -> Response:
    """An in-app charge: the price the client sends, no password asked (the client decides when to ask)."""
    data = _json_body(req)
    price = _money(data.get("price"))
    if price is None or not data.get("item"):
        return json_response({"ok": False, "error": "Unknown item."}, status=422)
    return charged(price)


# ---- brightbox: Brightbox (fair subscription checkout: price, terms, unticked boxes, consent, password) ----
BRIGHTBOX_PASSWORD = "brightbox-demo"
BRIGHTBOX_DESSERT = 3.00
BRIGHTBOX_PLANS = {
    "weekly": ("Weekly box", 12.00, "2 people · 3 recipes a week"),
    "family": ("Family box", 22.00, "4 people · 4 recipes a week"),
}
_CARD = re.compile(r"(?:\d[ -]?){12,18}\d")
_EXPIRY = re.compile(r"(0[1-9]|1[0-2]) ?/ ?\d{2}")
_CVC = re.compile(r"\d{3,4}")


def _card_ok(form: dict[str, str], name: str = "card_name") -> bool:
    return bool(
        form.get(name, "").strip()
        and _CARD.fullmatch(form.get("card_number", "").strip())
        and _EXPIRY.fullmatch(form.get("expiry", "").strip())
        and _CVC.fullmatch(form.get("cvc", "").strip())
    )


def _brightbox_checkout(plan_id: str, message: str = "") -> Response:
    name, price, blurb = BRIGHTBOX_PLANS[plan_id]
    values = {"PLAN": plan_id, "PLAN_NAME": name, "PLAN_BLURB": blurb, "PRICE": f"{price:.2f}"}
    return page("brightbox/checkout.html", 200, ERROR=error(message) if message else "", **values)


def brightbox_checkout(req: Request, sessions: Sessions) -> Response:
    plan_id = req.query.get("plan", "")
    return _brightbox_checkout(plan_id) if plan_id in BRIGHTBOX_PLANS else redirect("/brightbox/")


def brightbox_pay(req: Request, sessions: Sessions) -> Response:
    """The charge: a plain form post; on success 303 to the welcome page (the body says what was charged)."""
    form = req.form
    plan_id = form.get("plan", "")
    if plan_id not in BRIGHTBOX_PLANS:
        return redirect("/brightbox/")
    if form.get("agree") != "yes":
        return _brightbox_checkout(plan_id, "Please agree to the automatic renewal terms to subscribe.")
    if not _card_ok(form):
        return _brightbox_checkout(plan_id, "Please check your card details.")
    if form.get("password") != BRIGHTBOX_PASSWORD:
        return _brightbox_checkout(plan_id, "Your account password is incorrect.")
    amount = BRIGHTBOX_PLANS[plan_id][1] + (BRIGHTBOX_DESSERT if form.get("dessert") == "yes" else 0)
    return charged(round(amount, 2), 303, ("Location", "/brightbox/welcome"))


# ---- cartly: Cartly (unfair checkout: pre-ticked add-ons, hidden renewal terms, "Continue", no total) ----
CARTLY_CART = "cartly_cart"
CARTLY_ITEM = ("aurora", "Aurora ANC Wireless Headphones", 198.99)
CARTLY_PROTECTION = 4.99  # per month, the first month charged today; the Cartly Plus trial costs nothing today


def cartly_add(req: Request, sessions: Sessions) -> Response:
    return redirect("/cartly/cart", cookie(CARTLY_CART, CARTLY_ITEM[0], "/cartly/"))


def cartly_remove(req: Request, sessions: Sessions) -> Response:
    return redirect("/cartly/cart", cookie(CARTLY_CART, "", "/cartly/", clear=True))


def cartly_cart(req: Request, sessions: Sessions) -> Response:
    if req.cookies.get(CARTLY_CART) != CARTLY_ITEM[0]:
        return page("cartly/cart-empty.html")
    return page("cartly/cart.html")


def cartly_checkout(req: Request, sessions: Sessions) -> Response:
    if req.cookies.get(CARTLY_CART) != CARTLY_ITEM[0]:
        return redirect("/cartly/cart")
    return page("cartly/checkout.html")


def cartly_order(req: Request, sessions: Sessions) -> Response:
    """The charge: a JSON order from the checkout script; the total is only ever told after this."""
    data = _json_body(req)
    card = data.get("card")
    fields = {k: str(v) for k, v in card.items()} if isinstance(card, dict) else {}
    if data.get("item") != CARTLY_ITEM[0] or not _card_ok(fields, "name"):
        return json_response({"ok": False, "error": "Please check your card details."}, status=422)
    total = CARTLY_ITEM[2] + (CARTLY_PROTECTION if data.get("protection") else 0)
    resp = charged(round(total, 2))
    resp.headers.append(("Set-Cookie", cookie(CARTLY_CART, "", "/cartly/", clear=True)))
    return resp


# ---- guard: the test page (tests/sites/guard) that fires one charge request in each possible way ----
def guard_charge(req: Request, sessions: Sessions) -> Response:
    return json_response({"ok": True})


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
    ("POST", "/gems/api/verify"): gems_verify,
    ("POST", "/gems/api/charge"): gems_charge,
    ("GET", "/brightbox/checkout"): brightbox_checkout,
    ("POST", "/brightbox/api/pay"): brightbox_pay,
    ("POST", "/brightbox/account/delivery"): accept("/brightbox/account"),
    ("POST", "/brightbox/gift-cards"): accept("/brightbox/gift-cards?sent=1"),
    ("POST", "/cartly/cart/add"): cartly_add,
    ("POST", "/cartly/cart/remove"): cartly_remove,
    ("GET", "/cartly/cart"): cartly_cart,
    ("GET", "/cartly/checkout"): cartly_checkout,
    ("POST", "/cartly/api/order"): cartly_order,
    ("POST", "/cartly/notify"): accept("/cartly/notified"),
    ("POST", "/guard/api/charge"): guard_charge,
}

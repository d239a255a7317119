"""PrimeBox's dynamic routes: the endless deals list, sign-up, and the password wall of the cancel path."""

from __future__ import annotations

import random

from auditor.demo.web import (
    Request,
    Response,
    Routes,
    Sessions,
    behind_wall,
    error,
    page,
    page_number,
    password_wall,
    redirect,
)

PASSWORD = "primebox-demo"
VERIFIED = "pb_verified"
_DEAL_WORDS = (
    ("Wireless", "Smart", "Compact", "Stainless", "Ergonomic", "Noise-cancelling", "Portable", "Organic"),
    ("Earbuds", "Air Fryer", "Desk Lamp", "Backpack", "Coffee Grinder", "Yoga Mat", "Speaker", "Kettle"),
)


def deals(req: Request, sessions: Sessions) -> Response:
    n = page_number(req, "page")
    cards = []
    for _ in range(8):
        name = f"{random.choice(_DEAL_WORDS[0])} {random.choice(_DEAL_WORDS[1])}"
        price = random.randint(900, 19900) / 100
        off = random.randint(10, 60)
        was = price * 100 / (100 - off)
        ends = f"{random.randint(1, 23)}h {random.randint(1, 59)}m"
        cards.append({"name": name, "off": off, "price": f"{price:.2f}", "was": f"{was:.2f}", "ends": ends})
    return page("iliad/deals.html", page=n, next=n + 1, deals=cards)


def signup(req: Request, sessions: Sessions) -> Response:
    if "@" not in req.form.get("email", "") or not req.form.get("password"):
        return page("iliad/signup.html", error=error("Enter your email and choose a password."))
    return redirect("/iliad/welcome")


verify = password_wall(
    field="password",
    password=PASSWORD,
    wall="iliad/cancel/verify.html",
    mark=VERIFIED,
    then="/iliad/cancel/confirm",
    wrong="Your password is incorrect.",
)
verified = behind_wall(VERIFIED, "/iliad/cancel/verify")

ROUTES: Routes = {
    ("GET", "/iliad/deals"): deals,
    ("POST", "/iliad/signup"): signup,
    ("POST", "/iliad/cancel/verify"): verify,
    ("GET", "/iliad/cancel/confirm"): verified("iliad/cancel/confirm.html"),
    ("POST", "/iliad/cancel/done"): verified(then="/iliad/cancelled"),
}

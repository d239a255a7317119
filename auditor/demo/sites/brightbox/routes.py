"""Brightbox's dynamic routes: the checkout of a plan and the charge, a plain form post that checks the consent
box, the card and the account password."""

from __future__ import annotations

from auditor.demo.web import Request, Response, Routes, Sessions, accept, card_ok, charged, error, page, redirect

PASSWORD = "brightbox-demo"
DESSERT = 3.00
PLANS = {
    "weekly": ("Weekly box", 12.00, "2 people · 3 recipes a week"),
    "family": ("Family box", 22.00, "4 people · 4 recipes a week"),
}


def _checkout(plan_id: str, message: str = "") -> Response:
    name, price, blurb = PLANS[plan_id]
    values = {"plan": plan_id, "plan_name": name, "plan_blurb": blurb, "price": f"{price:.2f}"}
    return page("brightbox/checkout.html", 200, error=error(message) if message else "", **values)


def checkout(req: Request, sessions: Sessions) -> Response:
    plan_id = req.query.get("plan", "")
    return _checkout(plan_id) if plan_id in PLANS else redirect("/brightbox/")


def pay(req: Request, sessions: Sessions) -> Response:
    """The charge: a plain form post; on success 303 to the welcome page (the body says what was charged)."""
    form = req.form
    plan_id = form.get("plan", "")
    if plan_id not in PLANS:
        return redirect("/brightbox/")
    if form.get("agree") != "yes":
        return _checkout(plan_id, "Please agree to the automatic renewal terms to subscribe.")
    if not card_ok(form):
        return _checkout(plan_id, "Please check your card details.")
    if form.get("password") != PASSWORD:
        return _checkout(plan_id, "Your account password is incorrect.")
    amount = PLANS[plan_id][1] + (DESSERT if form.get("dessert") == "yes" else 0)
    return charged(round(amount, 2), 303, ("Location", "/brightbox/welcome"))


ROUTES: Routes = {
    ("GET", "/brightbox/checkout"): checkout,
    ("POST", "/brightbox/api/pay"): pay,
    ("POST", "/brightbox/account/delivery"): accept("/brightbox/account"),
    ("POST", "/brightbox/gift-cards"): accept("/brightbox/gift-cards?sent=1"),
}

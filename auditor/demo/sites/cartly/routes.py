"""Cartly's dynamic routes: the cart (a cookie), the checkout, the "Notify me" decoy and the charge, a JSON
order sent by the checkout script."""

from __future__ import annotations

from auditor.demo.web import (
    Request,
    Response,
    Routes,
    Sessions,
    accept,
    card_ok,
    charged,
    cookie,
    json_body,
    json_response,
    page,
    redirect,
)

CART = "cartly_cart"
ITEM = ("aurora", "Aurora ANC Wireless Headphones", 198.99)
PROTECTION = 4.99  # per month, the first month charged today; the Cartly Plus trial costs nothing today


def add(req: Request, sessions: Sessions) -> Response:
    return redirect("/cartly/cart", cookie(CART, ITEM[0], "/cartly/"))


def remove(req: Request, sessions: Sessions) -> Response:
    return redirect("/cartly/cart", cookie(CART, "", "/cartly/", clear=True))


def cart(req: Request, sessions: Sessions) -> Response:
    if req.cookies.get(CART) != ITEM[0]:
        return page("cartly/cart-empty.html")
    return page("cartly/cart.html")


def checkout(req: Request, sessions: Sessions) -> Response:
    if req.cookies.get(CART) != ITEM[0]:
        return redirect("/cartly/cart")
    return page("cartly/checkout.html")


def order(req: Request, sessions: Sessions) -> Response:
    """The charge: a JSON order from the checkout script; the total is only ever told after this."""
    data = json_body(req)
    card = data.get("card")
    fields = {k: str(v) for k, v in card.items()} if isinstance(card, dict) else {}
    if data.get("item") != ITEM[0] or not card_ok(fields, "name"):
        return json_response({"ok": False, "error": "Please check your card details."}, status=422)
    total = ITEM[2] + (PROTECTION if data.get("protection") else 0)
    resp = charged(round(total, 2))
    resp.headers.append(("Set-Cookie", cookie(CART, "", "/cartly/", clear=True)))
    return resp


ROUTES: Routes = {
    ("POST", "/cartly/cart/add"): add,
    ("POST", "/cartly/cart/remove"): remove,
    ("GET", "/cartly/cart"): cart,
    ("GET", "/cartly/checkout"): checkout,
    ("POST", "/cartly/api/order"): order,
    ("POST", "/cartly/notify"): accept("/cartly/notified"),
}

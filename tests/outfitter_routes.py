"""The routes of the outfitter sparring site (tests/sites/outfitter/): a shop of real-product size, generated.

About 220 pages (a home page, 20 categories, 160 products, 40 information pages, the account area), each one
wearing the chrome a real product wears: a header of 9 links and an account menu (a `role=menu` opened by a
button, the same on every page), a navigation landmark of 20 category links, and a footer of 31 links: 60
links plus the menu's 5 items on every page. Some chrome speaks the flow's words ("Membership FAQ", "Billing
help", "Manage cookies": pages with no way out), as a real product's does. Behind the account menu's
"Membership" lies a 10-step cancellation with two save offers (see CANCEL_STEPS); the header's "Join
Ridgeline Plus" signs up in 2. No two page views are identical (the footer carries a random session token),
and every page is a plain GET, so a fresh browser context is a fresh user.
"""

from __future__ import annotations

from typing import Any

from auditor.demo.web import Request, Response, Routes, Sessions, page, redirect

BASE = "/outfitter"
CATEGORIES = [
    "Tents",
    "Sleeping bags",
    "Backpacks",
    "Hiking boots",
    "Trail runners",
    "Rain jackets",
    "Fleece",
    "Base layers",
    "Camp kitchen",
    "Water filters",
    "Headlamps",
    "Trekking poles",
    "Climbing",
    "Paddling",
    "Bike",
    "Snow",
    "Kids",
    "Dog gear",
    "Maps & books",
    "Clearance",
]
FOOTER = [
    (f"f{i}", label)
    for i, label in enumerate(
        [
            "About the co-op",
            "Careers",
            "Press room",
            "Sustainability",
            "Stewardship grants",
            "Store events",
            "Classes",
            "Repair service",
            "Trade-in program",
            "Shipping",
            "Returns",
            "Price match",
            "Size charts",
            "Product recalls",
            "Accessibility",
            "Privacy notice",
            "Terms of use",
            "Cookie choices",
            "Affiliate program",
            "Wholesale",
            "Contact us",
            "Store hours",
            "Newsletter",
            "Mobile app",
            "Site map",
            "Membership FAQ",
            "Billing help",
            "Manage cookies",
            "Account help",
            "Subscription boxes",
            "Order status",
        ]
    )
]
PRODUCTS = 160
HEADER_INFO = ["deals", "new", "stores", "rentals", "trips", "journal", "gift-cards", "wishlist", "rewards"]
DONE = "Your membership has been cancelled. It stays active until the end of the billing period."
WELCOME = "Welcome to Ridgeline Plus. Your member pricing starts today."
# The way out after "My account" -> "Membership" (2 steps): (path, heading, text, the way on, its label) ...
CANCEL_STEPS = [
    (
        "/account/membership",
        "Membership",
        "Ridgeline Plus: member pricing and free shipping. Renews on the 3rd.",
        "/account/membership/manage",
        "Manage membership",
    ),
    (
        "/account/membership/manage",
        "Manage membership",
        "Billing, payment method and renewal of your plan.",
        "/account/membership/cancel/1",
        "Cancel membership",
    ),
    (
        "/account/membership/cancel/1",
        "We're sorry to see you go",
        "Members save an average of $212 a year.",
        "/account/membership/cancel/2",
        "Continue",
    ),
    (
        "/account/membership/cancel/2",
        "A gift before you go",
        "Stay and get your next year at 40% off.",
        "/account/membership/cancel/3",
        "No thanks, continue to cancel",
    ),
    (
        "/account/membership/cancel/3",
        "What you will lose",
        "Free shipping, member pricing and your dividend.",
        "/account/membership/cancel/4",
        "Continue",
    ),
    (
        "/account/membership/cancel/4",
        "Take a break instead?",
        "Pause your membership for up to three months.",
        "/account/membership/cancel/5",
        "Continue cancelling",
    ),
    (
        "/account/membership/cancel/5",
        "Review your cancellation",
        "Your benefits end on the renewal date.",
        "/account/membership/cancel/6",
        "Continue",
    ),
]
FINAL = ("/account/membership/cancel/6", "Confirm your cancellation", "One last step.", "Confirm cancellation")
OFFERS = {  # the save offers' own buttons: accepting one keeps the membership
    "/account/membership/cancel/2": ("Claim 40% off", "/account/membership?kept=1"),
    "/account/membership/cancel/4": ("Pause my membership", "/account/membership?kept=1"),
}


def _page(title: str, intro: str, links: list[tuple[str, str]] = (), **values: Any) -> Response:  # type: ignore[assignment]
    chrome = {"categories": [{"n": i, "name": n} for i, n in enumerate(CATEGORIES)], "footer": FOOTER}
    return page(
        "outfitter/page.html",
        title=title,
        intro=intro,
        links=list(links),
        actions=values.pop("actions", []),
        form=values.pop("form", None),
        **chrome,
        **values,
    )


def _product_links(seed: int, count: int) -> list[tuple[str, str]]:
    picks = [(seed * 37 + k * 11) % PRODUCTS for k in range(count)]
    return [(f"{BASE}/p/{n}", f"{CATEGORIES[n % len(CATEGORIES)]} item {n}") for n in dict.fromkeys(picks)]


def _home(req: Request, sessions: Sessions) -> Response:
    return _page("Gear for every trail", "Member pricing on thousands of items.", _product_links(1, 24))


def _category(n: int) -> Any:
    return lambda req, sessions: _page(CATEGORIES[n], f"{CATEGORIES[n]} for every season.", _product_links(n + 2, 12))


def _product(n: int) -> Any:
    name = f"{CATEGORIES[n % len(CATEGORIES)]} item {n}"
    return lambda req, sessions: _page(name, f"Rated 4.{n % 10} by members.", _product_links(n + 40, 4))


def _info(slug: str, label: str) -> Any:
    return lambda req, sessions: _page(label, f"{label}: everything you need to know.", _product_links(len(slug), 3))


def _step(title: str, text: str, on: str, label: str, path: str) -> Any:
    actions = [(f"{BASE}{on}", label, "btn")]
    if path in OFFERS:
        offer, to = OFFERS[path]
        actions.insert(0, (f"{BASE}{to}", offer, "btn"))
    return lambda req, sessions: _page(title, text, actions=actions)


def _routes() -> Routes:
    routes: dict[tuple[str, str], Any] = {("GET", f"{BASE}/"): _home}
    routes.update({("GET", f"{BASE}/c/{n}"): _category(n) for n in range(len(CATEGORIES))})
    routes.update({("GET", f"{BASE}/p/{n}"): _product(n) for n in range(PRODUCTS)})
    info = [(slug, slug.replace("-", " ").capitalize()) for slug in HEADER_INFO] + FOOTER
    routes.update({("GET", f"{BASE}/info/{slug}"): _info(slug, label) for slug, label in info})
    routes[("GET", f"{BASE}/account")] = lambda req, sessions: _page("Profile", "Signed in as a member.")
    routes[("GET", f"{BASE}/account/orders")] = lambda req, sessions: _page(
        "Orders", "Your recent orders.", _product_links(7, 5)
    )
    for path, title, text, on, label in CANCEL_STEPS:
        routes[("GET", f"{BASE}{path}")] = _step(title, text, on, label, path)
    path, title, text, label = FINAL
    routes[("GET", f"{BASE}{path}")] = lambda req, sessions: _page(
        title, text, form=(f"{BASE}/account/membership/cancel", label)
    )
    routes[("POST", f"{BASE}/account/membership/cancel")] = lambda req, sessions: redirect(
        f"{BASE}/account/membership/cancelled"
    )
    routes[("GET", f"{BASE}/account/membership/cancelled")] = lambda req, sessions: _page("Cancelled", DONE)
    # joining takes 2 steps from any page: the header's "Join Ridgeline Plus", then "Join now" ($30 a year)
    routes[("GET", f"{BASE}/join")] = lambda req, sessions: _page(
        "Ridgeline Plus", "Member pricing and free shipping for $30 a year.", form=(f"{BASE}/join", "Join now")
    )
    routes[("POST", f"{BASE}/join")] = lambda req, sessions: redirect(f"{BASE}/welcome")
    routes[("GET", f"{BASE}/welcome")] = lambda req, sessions: _page("Welcome", WELCOME)
    return routes


ROUTES = _routes()

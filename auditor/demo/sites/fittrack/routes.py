"""FitTrack's dynamic routes: the endless community feed, the silent cancel call, decoy forms and joining."""

from __future__ import annotations

import random
import secrets

from auditor.demo.web import Request, Response, Routes, Sessions, accept, json_response, page, page_number, signup

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


def community(req: Request, sessions: Sessions) -> Response:
    n = page_number(req, "page")
    posts = [
        {
            "member": random.choice(_MEMBERS),
            "feat": random.choice(_FEATS),
            "minutes": random.randint(1, 59),
            "high_fives": random.randint(0, 400),
        }
        for _ in range(6)
    ]
    return page("fittrack/community.html", page=n, next=n + 1, posts=posts)


def cancel(req: Request, sessions: Sessions) -> Response:
    """The cancel call the confirm page makes before it sends the user home, saying nothing."""
    return json_response({"ok": True, "request": secrets.token_hex(6)})


ROUTES: Routes = {
    ("GET", "/fittrack/community"): community,
    ("POST", "/fittrack/api/cancel"): cancel,
    ("POST", "/fittrack/cancel/offer"): accept("/fittrack/offer-claimed"),
    ("POST", "/fittrack/account/profile"): accept("/fittrack/account"),
    ("POST", "/fittrack/account/notifications"): accept("/fittrack/account"),
    ("POST", "/fittrack/join"): signup(
        "fittrack/join.html", "/fittrack/welcome", "password", "Enter your email and a password of 8+ characters."
    ),
}

"""IronGym's dynamic routes: the endless timetable, the freeze and contact decoys, and joining."""

from __future__ import annotations

import random
from datetime import date, timedelta

from auditor.demo.web import Request, Response, Routes, Sessions, accept, error, page, page_number, redirect

_CLASSES = ("Spin", "HIIT", "Yoga", "Boxing", "Pilates", "Strength", "Mobility", "Kettlebells")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def timetable(req: Request, sessions: Sessions) -> Response:
    week = page_number(req, "week", first=0)
    monday = date.today() - timedelta(days=date.today().weekday()) + timedelta(weeks=week)
    days = []
    for i, day in enumerate(_DAYS):
        slots = [
            {
                "time": f"{h:02d}:{random.choice(('00', '15', '30', '45'))}",
                "name": random.choice(_CLASSES),
                "spots": random.randint(0, 18),
            }
            for h in sorted(random.sample(range(6, 21), 3))
        ]
        days.append({"name": f"{day} {(monday + timedelta(days=i)).strftime('%d %b')}", "slots": slots})
    return page("phone/timetable.html", week=monday.strftime("%d %B %Y"), next=week + 1, days=days)


def contact(req: Request, sessions: Sessions) -> Response:
    if not all(req.form.get(k, "").strip() for k in ("name", "email", "message")):
        return page("phone/contact.html", error=error("Please fill in your name, email and message."))
    return redirect("/phone/contact/sent")


def join(req: Request, sessions: Sessions) -> Response:
    if not req.form.get("name", "").strip() or "@" not in req.form.get("email", ""):
        return page("phone/join.html", error=error("Please tell us your name and email."))
    return redirect("/phone/welcome")


ROUTES: Routes = {
    ("GET", "/phone/timetable"): timetable,
    ("POST", "/phone/freeze"): accept("/phone/frozen"),
    ("POST", "/phone/contact"): contact,
    ("POST", "/phone/join"): join,
}

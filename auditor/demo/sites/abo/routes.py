"""Lernwelt's dynamic routes: the endless course list, account decoys, the save offer, the password wall of the
cancel path (its pages redirect back to the wall without its cookie) and registering."""

from __future__ import annotations

import random

from auditor.demo.web import (
    Request,
    Response,
    Routes,
    Sessions,
    accept,
    behind_wall,
    page,
    page_number,
    password_wall,
    signup,
)

PASSWORD = "lernwelt-demo"
VERIFIED = "lw_verified"
_KURS_WORDS = (
    ("Excel", "Python", "Spanisch", "Fotografie", "Buchhaltung", "Rhetorik", "Projektmanagement", "Photoshop"),
    ("für Einsteiger", "kompakt", "für Fortgeschrittene", "im Beruf", "in 30 Tagen", "Intensivkurs"),
)

anmelden = password_wall(
    field="passwort",
    password=PASSWORD,
    wall="abo/kuendigen/anmelden.html",
    mark=VERIFIED,
    then="/abo/kuendigen/bestaetigen",
    wrong="Das Passwort ist nicht korrekt.",
)
verified = behind_wall(VERIFIED, "/abo/kuendigen/anmelden")


def kurse(req: Request, sessions: Sessions) -> Response:
    n = page_number(req, "seite")
    cards = [
        {
            "name": f"{random.choice(_KURS_WORDS[0])} {random.choice(_KURS_WORDS[1])}",
            "lektionen": random.randint(2, 40),
            "sterne": random.randint(0, 9),
        }
        for _ in range(6)
    ]
    return page("abo/kurse.html", seite=n, naechste=n + 1, kurse=cards)


ROUTES: Routes = {
    ("GET", "/abo/kurse"): kurse,
    ("POST", "/abo/konto/daten"): accept("/abo/konto"),
    ("POST", "/abo/konto/jahresabo"): accept("/abo/konto/abo?jahr=1"),
    ("POST", "/abo/kuendigen/angebot"): accept("/abo/angebot-aktiviert"),
    ("POST", "/abo/kuendigen/anmelden"): anmelden,
    ("GET", "/abo/kuendigen/bestaetigen"): verified("abo/kuendigen/bestaetigen.html"),
    ("POST", "/abo/kuendigen/bestaetigen"): verified(then="/abo/gekuendigt"),
    ("GET", "/abo/gekuendigt"): verified("abo/gekuendigt.html"),
    ("POST", "/abo/registrieren"): signup(
        "abo/registrieren.html",
        "/abo/willkommen",
        "passwort",
        "Bitte geben Sie Ihre E-Mail-Adresse und ein Passwort mit mindestens 8 Zeichen an.",
    ),
}

"""Bundled demo sites and the server that hosts them on 127.0.0.1.

Ten small products, each built the way real ones are (script navigation, a single-page app, dialogs, web
components, cookie veils, decoy pages, noise, endless lists), so that `auditor demo`, the e2e tests and the
rule packs have a realistic sparring partner:

    fair      Streamly    sign in, then a one-click cancel (fair); an EU withdrawal button on every page
    iliad     PrimeBox    cancel behind two save offers, a password wall and an iframe
    spa       Tunely      single-page app: cookie veil, shadow-DOM button, modal offer, forced survey
    phone     IronGym     no online cancellation at all ("please call us")
    fittrack  FitTrack    small grey exit, an offer with no cancel control, confirmshaming, no confirmation
    vertrag   Streamo DE  German, fair under BGB 312k: "Verträge hier kündigen" -> "Jetzt kündigen"
    abo       Lernwelt    German, unfair under BGB 312k: buried exit, save offer, password wall, "Weiter"
    gems      Gem Quest   a children's game: in-app charges with no password or parental gate below $10, a
                          password on the $19.99 chest, then a 15-minute window with no password at all
    brightbox Brightbox   fair subscription checkout: price, plain renewal terms, unticked add-on and consent,
                          password re-entry, "Pay $12.00 and subscribe"
    cartly    Cartly      unfair checkout: pre-ticked add-on and trial, renewal terms folded away, no consent,
                          no password, no total, "Continue"

`server.DemoServer` serves `sites/`: one folder per site with its pages and, in `routes.py`, its dynamic routes.
`flows/<site>.yaml` holds each site's cancel and sign-up flow specs (a purchase flow for the last three), with
start URLs written as `${DEMO_URL}/...`. The purchase sites have real charge endpoints, so that a charge the
auditor failed to intercept is counted by `DemoServer.count()`. See docs/internals/demo-sites.md for the sites.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.demo.server import DemoServer

FLOWS_DIR = Path(__file__).parent / "flows"

__all__ = ["FLOWS_DIR", "DemoServer", "demo_specs"]


def demo_specs() -> list[Path]:
    """The bundled flow spec files, in a fixed order."""
    return sorted(FLOWS_DIR.glob("*.yaml"))


def __getattr__(name: str) -> object:
    # Lazy, so that `python -m auditor.demo.server` does not import the server module twice.
    if name == "DemoServer":
        from auditor.demo.server import DemoServer

        return DemoServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

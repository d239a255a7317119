"""Bundled demo sites and the server that hosts them on 127.0.0.1.

Seven small products, each built the way real ones are (script navigation, a single-page app, dialogs, web
components, cookie veils, decoy pages, noise, endless lists), so that `auditor demo`, the e2e tests and the
rule packs have a realistic sparring partner:

    fair      Streamly    sign in, then a one-click cancel (fair); an EU withdrawal button on every page
    iliad     PrimeBox    cancel behind two save offers, a password wall and an iframe
    spa       Tunely      single-page app: cookie veil, shadow-DOM button, modal offer, forced survey
    phone     IronGym     no online cancellation at all ("please call us")
    fittrack  FitTrack    small grey exit, an offer with no cancel control, confirmshaming, no confirmation
    vertrag   Streamo DE  German, fair under BGB 312k: "Verträge hier kündigen" -> "Jetzt kündigen"
    abo       Lernwelt    German, unfair under BGB 312k: buried exit, save offer, password wall, "Weiter"

`server.DemoServer` serves `sites/`; `flows/<site>.yaml` holds each site's cancel and sign-up flow specs,
with start URLs written as `${DEMO_URL}/...`. See README.md for the intended shortest paths.
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

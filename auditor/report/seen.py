"""Who and where the browser was for a flow (its report entry's `context`), in one line for the reports."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


def as_seen(context: Any, *, where_only: bool = False) -> str:
    """Who and where the browser was for a flow, in one line ("de-DE, Europe/Berlin, at 52.52, 13.405, via
    http://proxy:3128"); with `where_only`, the jurisdiction alone (language, zone, position, proxy)."""
    if not isinstance(context, Mapping):
        return ""
    parts = []
    if not where_only:
        viewport = context.get("viewport")
        if context.get("device"):
            parts.append(str(context["device"]))
        elif isinstance(viewport, Mapping):
            parts.append(f"{viewport.get('width')}×{viewport.get('height')}")
    parts += [str(context[k]) for k in ("locale", "timezone") if context.get(k)]
    geo = context.get("geolocation")
    if isinstance(geo, Mapping):
        parts.append(f"at {geo.get('latitude')}, {geo.get('longitude')}")
    if context.get("proxy"):
        parts.append(f"via {context['proxy']}")
    if not where_only:
        if context.get("headers"):
            parts.append("headers: " + ", ".join(str(h) for h in context["headers"]))
        if context.get("storage_state"):
            parts.append(f"saved session {Path(str(context['storage_state'])).name}")
    return ", ".join(parts)

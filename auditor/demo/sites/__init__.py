"""The bundled demo sites, one folder each: its pages (templates, styles, scripts) and, in `routes.py`, its
dynamic routes. `site_routes()` collects the `ROUTES` of every site that has them."""

from __future__ import annotations

import importlib
import pkgutil

from auditor.demo.web import Handler


def site_routes() -> dict[tuple[str, str], Handler]:
    """(method, path) -> handler, from every site's `routes.py`; two sites claiming one route is an error."""
    routes: dict[tuple[str, str], Handler] = {}
    for site in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg):
        try:
            module = importlib.import_module(f"{__name__}.{site}.routes")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{site}.routes":
                raise
            continue  # a site of static pages only
        for key, handler in module.ROUTES.items():
            if key in routes:
                raise ValueError(f"demo site {site!r}: route {key} is already served by another site")
            routes[key] = handler
    return routes

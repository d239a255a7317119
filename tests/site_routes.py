"""The dynamic routes of the test-only sites under tests/sites/; a test serves them with
`DemoServer(sites_dir=SITES, routes=ROUTES)` (the bundled demo sites' own routes come with every server)."""

from __future__ import annotations

from auditor.demo.web import Request, Response, Routes, Sessions, json_response


def guard_charge(req: Request, sessions: Sessions) -> Response:
    """The charge endpoint of `tests/sites/guard/`: a guarded crawl must never reach it (DemoServer.count())."""
    return json_response({"ok": True})


ROUTES: Routes = {("POST", "/guard/api/charge"): guard_charge}

"""Tunely's JSON API behind its single-page app: cancel (after the survey) and subscribe."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from auditor.demo.web import Request, Response, Routes, Sessions, json_body, json_response


def cancel(req: Request, sessions: Sessions) -> Response:
    until = (date.today() + timedelta(days=23)).isoformat()
    return json_response({"status": "cancelled", "reason": json_body(req).get("reason"), "premium_until": until})


def subscribe(req: Request, sessions: Sessions) -> Response:
    email = str(json_body(req).get("email", ""))
    if "@" not in email:
        return json_response({"error": "Enter a valid email address."}, status=422)
    return json_response({"status": "subscribed", "plan": "Premium", "id": secrets.token_hex(6)})


ROUTES: Routes = {
    ("POST", "/spa/api/cancel"): cancel,
    ("POST", "/spa/api/subscribe"): subscribe,
}

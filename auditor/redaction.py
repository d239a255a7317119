"""Keeping the spec's input values out of everything the auditor writes.

Values from `inputs` (passwords, card numbers, e-mail addresses, `${ENV}` expansions) are typed into pages, and
pages echo them: "Welcome back, sam@example.com", a URL with `?email=...`, an error quoting the field. So after
a flow is explored, every recorded text of its graph (titles, headings, page text, labels, URLs, errors,
request lines) has those values replaced by `[input]`, before the graph is saved or reported. Values shorter
than MIN_LENGTH are left alone: replacing "1" or "ok" everywhere would garble the evidence and hide nothing.
Request bodies are redacted when they are recorded (browser.redact), with the same values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, quote_plus

from auditor.spec import FlowSpec, Secret

MIN_LENGTH = 3
MASK = "[input]"
IDENTIFIERS = frozenset({"id", "key", "source", "target", "fingerprint", "state", "start", "goals", "result"})


def secret_values(spec: FlowSpec) -> list[str]:
    """Every value the spec may type or send: its inputs, its setup steps' values (Secret or plain), its extra
    headers' values and its proxy's password. A value its own
    field name holds (`Type CANCEL to confirm: CANCEL`: the page asks for that very word) is no secret: masking
    it would garble the field's name in every output and hide nothing."""
    values = [v.reveal() for key, v in spec.inputs.items() if v.reveal().lower() not in key.lower()]
    # what setup steps type (a goto's URL is no secret: masking it would hide the login page's address)
    values += [s.value.reveal() for s in spec.setup if s.action == "fill" and isinstance(s.value, Secret)]
    values += [v.reveal() for v in spec.headers.values()]  # an Authorization or API-key header
    if spec.proxy is not None and spec.proxy.password is not None:
        values.append(spec.proxy.password.reveal())
    return [v for v in values if isinstance(v, str)]


def forms(values: Iterable[str], min_length: int = MIN_LENGTH) -> list[str]:
    """The values as they may show on a page or in a URL (as typed, percent- and plus-encoded), longest first."""
    out = {form for v in values if len(v) >= min_length for form in (v, quote_plus(v), quote(v), quote(v, safe=""))}
    return sorted(out, key=len, reverse=True)


def scrub(value: Any, secrets: list[str]) -> Any:
    """`value` (JSON-like data) with each secret form replaced in every string but identifiers."""
    if not secrets:
        return value
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)
        return value
    if isinstance(value, dict):
        return {k: v if k in IDENTIFIERS else scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v, secrets) for v in value]
    return value

"""Performing one action on an element the probe found, after filling the fields it would submit.

Fields are filled from the spec's `inputs`, matched by label, name, placeholder or id (case-insensitive).
A required field the spec says nothing about gets a harmless filler of its type; a password never does:
the auditor does not invent credentials. Filled fields are recorded by label, never by value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import ElementHandle
from playwright.async_api import Error as PlaywrightError

from auditor.explore.observe import Observation
from auditor.spec import Secret

FILLERS = {"email": "auditor@example.com", "tel": "5550100", "number": "1", "url": "https://example.com"}
DEFAULT_FILLER = "Audit"


@dataclass
class Outcome:
    inputs: list[str] = field(default_factory=list)
    error: str | None = None


def value_for(fld: Mapping[str, Any], inputs: Mapping[str, Secret]) -> tuple[str | None, str]:
    """The value to type into a field and where it came from ('input', 'filler' or 'none')."""
    wanted = {str(fld.get(k, "")).strip().lower() for k in ("label", "name", "placeholder", "id")} - {""}
    for key, secret in inputs.items():
        if key.strip().lower() in wanted:
            return secret.reveal(), "input"
    if fld.get("type") == "password" or not fld.get("required"):
        return None, "none"
    return FILLERS.get(str(fld.get("type")), DEFAULT_FILLER), "filler"


async def _handle(obs: Observation, frame_no: int, index: int) -> ElementHandle:
    js = "i => window.__auditorRegistry[i]"
    handle = (await obs.frames[frame_no].evaluate_handle(js, index)).as_element()
    if handle is None:
        raise PlaywrightError("element is gone")
    return handle


async def fill_fields(
    obs: Observation, element: Mapping[str, Any], inputs: Mapping[str, Secret], timeout_ms: float
) -> list[str]:
    """Fill the empty fields that belong with `element`: same frame and same form (or both formless)."""
    filled = []
    for fld in obs.fields:
        if fld["frame_no"] != element["frame_no"] or fld.get("form") != element.get("form"):
            continue
        if not fld.get("empty") or not fld.get("enabled"):
            continue
        value, source = value_for(fld, inputs)
        if value is None:
            continue
        handle = await _handle(obs, fld["frame_no"], fld["index"])
        await handle.fill(value, timeout=timeout_ms)
        label = fld.get("label") or fld.get("name") or fld.get("placeholder") or "field"
        filled.append(label if source == "input" else f"{label} (filler)")
    return filled


async def perform(
    obs: Observation, element: Mapping[str, Any], inputs: Mapping[str, Secret], timeout_s: float
) -> Outcome:
    """Do the action; an element that cannot be acted on (covered, gone, disabled) is an error, not a crash.
    Never forced: a click that something intercepts fails instead of reaching through the overlay."""
    outcome = Outcome()
    timeout_ms = timeout_s * 1000
    try:
        if element["kind"] == "click" and element.get("tag") != "a":  # a link submits nothing
            outcome.inputs = await fill_fields(obs, element, inputs, timeout_ms)
        handle = await _handle(obs, element["frame_no"], element["index"])
        if element["kind"] == "select":
            await handle.select_option(value=element["option_value"], timeout=timeout_ms)
        else:
            await handle.click(timeout=timeout_ms)
    except PlaywrightError as exc:
        outcome.error = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    return outcome

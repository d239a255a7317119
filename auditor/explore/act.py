"""Performing one action on an element the probe found, after filling the fields it would submit.

Fields are filled before a click that may submit them, or after ticking a box of a form whose button stays
disabled (the form is not complete without them). They are filled from the spec's `inputs`, matched by the
accessible name as a person reads it (a required marker left out), then name, id or placeholder
(case-insensitive), or else by type (`password`, `email`). A required field (or one the page marked invalid,
or the text box of a ticked choice: an "Other" and its few words) the spec says nothing about gets a harmless
filler its constraints accept (values.py); a password never does: the auditor does not invent credentials.
A chat's message box gets the user's request, in the page's language (the packs' `chat_request`), when its
own Send is clicked. Filled fields are recorded by label, never by value ("(filler)" when invented,
"(request)" for a chat's).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import ElementHandle, Locator
from playwright.async_api import Error as PlaywrightError

from auditor.errors import first_line
from auditor.explore.observe import Observation
from auditor.explore.values import candidates
from auditor.records import Control, Field
from auditor.spec import Secret

RELOCATABLE_ROLES = frozenset({"button", "link", "checkbox", "radio", "switch", "tab", "menuitem", "option"})


CLICK_IN_PLACE_JS = """(el) => {
  if (!el.isConnected) return 'gone';
  el.scrollIntoView({block: 'center', inline: 'center'});
  const r = el.getBoundingClientRect();
  const hit = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  if (!hit || !(hit === el || el.contains(hit))) return 'covered';
  el.click();
  return 'clicked';
}"""

# Is the element ready for a click right now, as Playwright's actionability checks would find it after waiting:
# attached, enabled, not moving (no running animation on it or above it), and itself (or a node inside it)
# under its centre once in view. Then the click needs none of the checks' round trips and animation frames.
READY_JS = """(el) => {
  if (!el.isConnected || el.matches(':disabled') || el.closest('[aria-disabled=true]')) return false;
  const moving = el.ownerDocument.getAnimations().some((a) => a.playState === 'running' && a.effect
    && a.effect.target instanceof Element && (a.effect.target === el || a.effect.target.contains(el)));
  if (moving) return false;
  let r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) return false;
  const view = el.ownerDocument.defaultView;
  if (r.top < 0 || r.left < 0 || r.bottom > view.innerHeight || r.right > view.innerWidth) {
    el.scrollIntoView({block: 'center', inline: 'center'});
    r = el.getBoundingClientRect();
  }
  let hit = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  for (let n = hit; n; n = n.parentNode || n.host) if (n === el) return true;
  return false;
}"""


@dataclass
class Outcome:
    inputs: list[str] = field(default_factory=list)
    error: str | None = None
    replaced: bool = False  # the page replaced the clicked node meanwhile: the click may have been lost


def field_words(text: str) -> str:
    """A field's name as a person reads it, to compare with an `inputs` key: case, spacing, a required marker
    ("E-Mail *", "Password (required)") and a trailing colon left out."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _MARKERS.sub(" ", text)
    return " ".join(text.split()).strip(" :")


_MARKERS = re.compile(r"[*\u2020\u2021]|\([^()]*\)|\[[^\[\]]*\]")  # *, daggers, (required), [Pflichtfeld]


def value_for(fld: Field, inputs: Mapping[str, Secret], say: str | None = None) -> tuple[str | None, str]:
    """The value to type into a field and where it came from ('input', 'request', 'filler' or 'none'). An
    `inputs` key matches the field's accessible name as a person reads it (its label, aria-label or
    aria-labelledby text, without a required marker), then its name, id and placeholder, in that order. A
    chat's message box the spec says nothing about gets `say`: the request, in the page's language."""
    keys = {field_words(key): secret for key, secret in inputs.items()}
    for name in (fld.label, fld.name, fld.id, fld.placeholder):
        words = field_words(name)
        if words and words in keys:
            return keys[words].reveal(), "input"
    if fld.type != "text":
        # a field that names itself nowhere (no label, name or placeholder: "Please enter your payment password"
        # is text beside it) is still known by its type: `password:` in the spec fills the one password field
        for key, secret in inputs.items():
            if key.strip().lower() == fld.type:
                return secret.reveal(), "input"
    if fld.chat and say and not fld.is_password:
        return say, "request"
    # the page said it wants it; or it is the text box of a ticked choice (an "Other" needs its few words)
    if fld.is_password or not (fld.required or fld.invalid or fld.after_choice):
        return None, "none"
    found = candidates(fld)
    return (found[0], "filler") if found else (None, "none")


async def _handle(obs: Observation, frame_no: int, index: int) -> ElementHandle:
    js = "i => window.__auditorRegistry[i]"
    handle = (await obs.frames[frame_no].evaluate_handle(js, index)).as_element()
    if handle is None:
        raise PlaywrightError("element is gone")
    return handle


async def fill_fields(
    obs: Observation, element: Control, inputs: Mapping[str, Secret], timeout_ms: float, say: str | None = None
) -> list[str]:
    """Fill the empty fields that belong with `element`: same frame and same form (or both formless). A
    chat's message box gets the request `say` only from its own form's button (or its formless box's)."""
    filled = []
    beside = {f.index for f in obs.form_around(element)[1]}
    for fld in obs.fields:
        if fld.frame_no != element.frame_no or fld.form != element.form:
            continue
        if not fld.empty or not fld.enabled:
            continue
        value, source = value_for(fld, inputs, say if fld.index in beside else None)
        if value is None:
            continue
        handle = await _handle(obs, fld.frame_no, fld.index)
        if source == "filler":
            await _fill_valid(handle, fld, timeout_ms)
        else:
            await handle.fill(value, timeout=timeout_ms)
        label = fld.label or fld.name or fld.placeholder or "field"
        filled.append(label if source == "input" else f"{label} ({source})")
    return filled


async def _fill_valid(handle: ElementHandle, fld: Field, timeout_ms: float) -> None:
    """Put in the first candidate value the field itself reports valid (its `validity`, which raises no
    `invalid` event the page could show); with none valid, the first candidate stays."""
    found = candidates(fld)
    for value in found:
        await handle.fill(value, timeout=timeout_ms)
        if len(found) == 1 or await handle.evaluate(VALID_JS):
            return
    await handle.fill(found[0], timeout=timeout_ms)


VALID_JS = "el => !el.validity || el.validity.valid"


def submits(element: Control) -> bool:
    """A click on anything but a link may submit the fields of its form (a link submits nothing)."""
    return element.kind == "click" and element.tag != "a"


def gated_by(obs: Observation, element: Control) -> list[Control]:
    """For a box or choice: the visible disabled buttons of its form ("Continue" greyed out until the form is
    complete), which it may be one of the things to unlock."""
    if element.kind not in ("check", "select"):
        return []
    return [
        e
        for e in obs.elements
        if e.kind == "click"
        and e.visible
        and not e.enabled
        and e.frame_no == element.frame_no
        and e.form == element.form
    ]


async def _still_disabled(obs: Observation, controls: list[Control]) -> bool:
    js = "e => e.disabled === true || e.getAttribute('aria-disabled') === 'true'"
    for control in controls:
        try:
            if not await (await _handle(obs, control.frame_no, control.index)).evaluate(js):
                return False
        except PlaywrightError:
            return False  # gone: something changed, the form is not simply waiting for its fields
    return True


async def perform(
    obs: Observation, element: Control, inputs: Mapping[str, Secret], timeout_s: float, say: str | None = None
) -> Outcome:
    """Do the action; an element that cannot be acted on (covered, gone, disabled) is an error, not a crash.
    Never forced: a click that something intercepts fails instead of reaching through the overlay. `say`: what
    to type into a chat's message box (the request, in the page's language)."""
    outcome = Outcome()
    timeout_ms = timeout_s * 1000
    try:
        if submits(element):
            outcome.inputs = await fill_fields(obs, element, inputs, timeout_ms, say)
        gated = gated_by(obs, element)
        handle = None
        try:
            handle = await _handle(obs, element.frame_no, element.index)
            await _do(handle, element, timeout_ms)
        except PlaywrightError as exc:
            target = _relocate(obs, element) if _detached(exc) else None
            if target is None:
                raise
            await _do(target, element, timeout_ms)
            handle = None
        outcome.replaced = handle is None or await _replaced(handle)
        if gated and await _still_disabled(obs, gated):
            # the box alone did not unlock the form's button: a user fills the form's fields too, since no
            # click can submit them while the button is disabled (a sign-up's "Continue" waits for all three)
            outcome.inputs = await fill_fields(obs, element, inputs, timeout_ms)
    except PlaywrightError as exc:
        outcome.error = first_line(exc)
    return outcome


async def _replaced(handle: ElementHandle) -> bool:
    """Is the node detached while its document lives on (the page re-rendered it)? A navigation is not."""
    try:
        return not await handle.evaluate("e => e.isConnected")
    except PlaywrightError:
        return False  # the document went away: the click navigated


async def click_again(obs: Observation, element: Control, timeout_s: float) -> str | None:
    """Click a control once more after a click that changed nothing while the page replaced the control's
    node: mousedown and mouseup landed on different nodes, and a browser fires no click then (a user on
    such a page clicks again too). This time the control is found, checked to be what is under its centre
    (never through an overlay) and clicked in one script task, so no re-render can fall in between.
    Returns None when it clicked, else why not."""
    target = _relocate(obs, element)
    if target is None:
        return "it cannot be found again by role and name"
    for _ in range(5):
        try:
            result = await target.evaluate(CLICK_IN_PLACE_JS, timeout=timeout_s * 1000)
        except PlaywrightError as exc:
            return first_line(exc)
        if result == "clicked":
            return None
        if result == "covered":
            return "something else is under its centre"
    return "it was replaced again each time"


async def _do(target: ElementHandle | Locator, element: Control, timeout_ms: float) -> None:
    if element.kind == "select":
        await target.select_option(value=element.option_value, timeout=timeout_ms)
    elif isinstance(target, ElementHandle) and await target.evaluate(READY_JS):
        await target.click(timeout=timeout_ms, force=True)
    else:
        await target.click(timeout=timeout_ms)


def _detached(exc: PlaywrightError) -> bool:
    text = str(exc)
    return "not attached" in text or "element is gone" in text


def _relocate(obs: Observation, element: Control) -> Locator | None:
    """The same control found again by role and accessible name, for a page that re-renders its DOM between
    the probe and the click (the probed node is detached, an identical one stands in its place)."""
    role, label = element.role, element.label
    if element.kind == "select" or role not in RELOCATABLE_ROLES or not label:
        return None
    occurrence = int(element.key.rpartition("#")[2] or 0)
    frame = obs.frames[element.frame_no]
    aria_role: Any = role  # one of RELOCATABLE_ROLES, all ARIA roles Playwright knows
    return frame.get_by_role(aria_role, name=label, exact=True).nth(occurrence)

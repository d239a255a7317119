"""Running a spec's `setup` steps (log in, pick a region...) on a fresh page before the flow starts.

A step that fails says so in the user's terms: the step's number in the spec's `setup` list and its line,
what did not happen ("'Your account' did not appear within 15s"), and what the page said instead, read from
where pages put errors for their users (live regions: role=alert, aria-live; the message an invalid field
points to; the browser's own message for a field it refused to submit), never Playwright's call log.
"""

from __future__ import annotations

import re

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from auditor.errors import AuditIncomplete, first_line
from auditor.spec import FlowSpec, Secret, SetupStep

# What the page tells its user went wrong: live regions and the messages invalid fields point to; failing
# those, the browser's validation message of a filled field it will not submit ("include an '@'").
PAGE_SAID_JS = """() => {
  const shown = (el) => el.checkVisibility ? el.checkVisibility({checkVisibilityCSS: true}) : true;
  const clean = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const out = [];
  const add = (text) => { text = clean(text).slice(0, 200); if (text && !out.includes(text)) out.push(text); };
  document.querySelectorAll('[role=alert], [role=status], [aria-live=assertive], [aria-live=polite]')
    .forEach((el) => { if (shown(el)) add(el.innerText); });
  document.querySelectorAll('[aria-invalid=true]').forEach((el) => {
    for (const attr of ['aria-errormessage', 'aria-describedby']) {
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)) {
        const target = document.getElementById(id);
        if (target && shown(target)) add(target.innerText);
      }
    }
  });
  if (out.length) return out.slice(0, 5);
  // no message of its own: the browser's, for a field it will not submit (what was typed is refused)
  document.querySelectorAll('input, select, textarea').forEach((el) => {
    if (el.willValidate && el.value && !el.checkValidity() && shown(el)) {
      const name = el.labels && el.labels[0] ? clean(el.labels[0].innerText) : (el.name || el.type);
      add(`${name}: ${el.validationMessage}`);
    }
  });
  return out.slice(0, 5);
}"""
_CALLER = re.compile(r"^[A-Z][A-Za-z]*\.[a-z_A-Z]+: ")  # "Page.goto: ", "Locator.click: "


async def page_said(page: Page) -> list[str]:
    """What the page shows its user as an error right now (see PAGE_SAID_JS); [] when it cannot be read."""
    try:
        return [str(text) for text in await page.evaluate(PAGE_SAID_JS)]
    except PlaywrightError:
        return []


def what_it_said(said: list[str]) -> str:
    if not said:
        return "the page showed no error message"
    return "the page said: " + "; ".join(repr(text) for text in said)


async def _target(page: Page, step: SetupStep, *, field: bool) -> Locator:
    """The element a step names: `css=...`, else by preference (a field: its accessible name, exactly, then
    as a part ("E-Mail" in "E-Mail *"; a label, aria-label or aria-labelledby), name, id, placeholder; a
    control: button, link, any text); the first kind that matches anything wins, not the first in DOM order."""
    target = step.target or ""
    if target.startswith("css="):
        return page.locator(target[4:]).first
    if field:
        quoted = target.replace("\\", "\\\\").replace('"', '\\"')
        options = [
            page.get_by_label(target, exact=True),
            page.get_by_label(target),
            page.locator(f'[name="{quoted}"]'),
            page.locator(f'[id="{quoted}"]'),
            page.get_by_placeholder(target),
        ]
    else:
        options = [
            page.get_by_role("button", name=target),
            page.get_by_role("link", name=target),
            page.get_by_text(target),
        ]
    for locator in options:
        if await locator.count():
            return locator.first
    return options[0].first  # waits for it, then fails with Playwright's own clear message


async def run_setup(page: Page, spec: FlowSpec, *, signing_in: bool = False) -> None:
    """Each step is waited on; a failing step stops the flow with the step's line in the message. A flow
    with a saved session (`storage_state`) starts signed in: its setup is what `auditor login` runs
    (`signing_in`), and an audit skips it, so an expired session shows as one instead of a new sign-in."""
    if spec.storage_state and not signing_in:
        return
    timeout_ms = spec.explore.timeouts.navigation * 1000
    for number, step in enumerate(spec.setup, 1):
        try:
            value = step.value.reveal() if isinstance(step.value, Secret) else step.value
            if step.action == "goto":
                await page.goto(str(value or step.target), timeout=timeout_ms)
            elif step.action == "click":
                await (await _target(page, step, field=False)).click(timeout=timeout_ms)
                await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
            elif step.action == "fill":
                await (await _target(page, step, field=True)).fill(str(value or ""), timeout=timeout_ms)
            elif step.action == "press":
                await (await _target(page, step, field=True)).press(str(value or "Enter"), timeout=timeout_ms)
            elif step.action == "wait_for":
                await page.get_by_text(step.target or "").first.wait_for(timeout=timeout_ms)
        except PlaywrightError as exc:
            where = f"{spec.source.file}:{step.line}" if step.line else spec.source.file
            what = _failure(step, exc, spec.explore.timeouts.navigation)
            said = what_it_said(await page_said(page))
            number = step.number or number
            raise AuditIncomplete(f"setup step {number} ({step.action}) failed at {where}: {what}; {said}") from exc


def _failure(step: SetupStep, exc: PlaywrightError, seconds: float) -> str:
    """What did not happen, in the spec's terms (Playwright's method name and call log left out)."""
    target = repr(step.target or "")
    if isinstance(exc, PlaywrightTimeout):
        return {
            "click": f"no usable control {target} within {seconds:g}s (none on the page, or covered or disabled)",
            "fill": f"no field {target} to type into within {seconds:g}s",
            "press": f"no field {target} to press a key in within {seconds:g}s",
            "wait_for": f"{target} did not appear within {seconds:g}s",
        }.get(step.action, f"the page did not load within {seconds:g}s")
    return _CALLER.sub("", first_line(exc))

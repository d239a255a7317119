"""Running a spec's `setup` steps (log in, pick a region...) on a fresh page before the flow starts."""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from auditor.errors import AuditIncomplete, first_line
from auditor.spec import FlowSpec, Secret, SetupStep


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
            first = first_line(exc)
            where = f"{spec.source.file}:{step.line}" if step.line else spec.source.file
            raise AuditIncomplete(f"setup step {number} ({step.action}) failed at {where}: {first}") from exc

"""Running a spec's `setup` steps (log in, pick a region...) on a fresh page before the flow starts."""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from auditor.errors import AuditIncomplete, first_line
from auditor.spec import FlowSpec, Secret, SetupStep


async def _target(page: Page, step: SetupStep, *, field: bool) -> Locator:
    """The element a step names: `css=...`, else by preference (a field: label, placeholder, name; a
    control: button, link, any text); the first kind that matches anything wins, not the first in DOM order."""
    target = step.target or ""
    if target.startswith("css="):
        return page.locator(target[4:]).first
    if field:
        options = [page.get_by_label(target), page.get_by_placeholder(target), page.locator(f'[name="{target}"]')]
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


async def run_setup(page: Page, spec: FlowSpec) -> None:
    """Each step is waited on; a failing step stops the flow with the step's line in the message."""
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

"""Running a spec's `setup` steps (log in, pick a region...) on a fresh page before the flow starts."""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from auditor.errors import AuditIncomplete
from auditor.spec import FlowSpec, Secret, SetupStep


def _target(page: Page, step: SetupStep, *, field: bool) -> Locator:
    target = step.target or ""
    if target.startswith("css="):
        return page.locator(target[4:]).first
    if field:
        return (
            page.get_by_label(target, exact=False)
            .or_(page.get_by_placeholder(target, exact=False))
            .or_(page.locator(f'[name="{target}"]'))
            .first
        )
    return (
        page.get_by_role("button", name=target)
        .or_(page.get_by_role("link", name=target))
        .or_(page.get_by_text(target, exact=False))
        .first
    )


async def run_setup(page: Page, spec: FlowSpec) -> None:
    """Each step is waited on; a failing step stops the flow with the step's line in the message."""
    timeout_ms = spec.explore.timeouts.navigation * 1000
    for number, step in enumerate(spec.setup, 1):
        try:
            value = step.value.reveal() if isinstance(step.value, Secret) else step.value
            if step.action == "goto":
                await page.goto(str(value or step.target), timeout=timeout_ms)
            elif step.action == "click":
                await _target(page, step, field=False).click(timeout=timeout_ms)
                await page.wait_for_load_state("domcontentloaded", timeout=timeout_ms)
            elif step.action == "fill":
                await _target(page, step, field=True).fill(str(value or ""), timeout=timeout_ms)
            elif step.action == "press":
                await _target(page, step, field=True).press(str(value or "Enter"), timeout=timeout_ms)
            elif step.action == "wait_for":
                await page.get_by_text(step.target or "").first.wait_for(timeout=timeout_ms)
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            where = f"{spec.source.file}:{step.line}" if step.line else spec.source.file
            raise AuditIncomplete(f"setup step {number} ({step.action}) failed at {where}: {first}") from exc

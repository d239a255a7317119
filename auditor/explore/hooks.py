"""The init script every context gets before any page script runs (hooks.js): it tells the probe which
elements got click or hover listeners (invisible to page JavaScript, and to the DOM) and lets it scroll once
through a page that renders content on scroll before it looks."""

from __future__ import annotations

from importlib import resources

from playwright.async_api import BrowserContext

HOOKS_JS = resources.files("auditor.explore").joinpath("hooks.js").read_text(encoding="utf-8")


async def install_hooks(context: BrowserContext) -> None:
    await context.add_init_script(HOOKS_JS)

"""`auditor login SPEC --save FILE`: sign in once, keep the session for later audits.

The spec's `setup` steps (go to the login page, fill the e-mail and password from `${ENV}`, click "Sign in")
run in a guarded context like any flow's (the charge guard and `allow_domains` apply), then the start URL
is opened to see that the session took; the context's storage state (cookies and each origin's local
storage, Playwright's format) is written to FILE, readable by its owner only. A flow with `storage_state:
FILE` then starts signed in. Nothing the setup typed reaches any output: messages are scrubbed of the spec's
values, and FILE holds what the site set, never the password.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from auditor.browser import launch, new_context
from auditor.errors import AuditIncomplete, InputError, first_line
from auditor.explore.loading import load_start
from auditor.explore.setup import page_said, run_setup, what_it_said
from auditor.files import write_atomic
from auditor.redaction import Redactor, secret_values
from auditor.spec import FlowSpec

PASSWORD_SHOWN_JS = """() => Array.from(document.querySelectorAll('input[type=password]')).some((el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
})"""


def pick_flow(specs: list[FlowSpec], name: str | None) -> FlowSpec:
    """The flow to sign in with: the one named, else the only flow, else the first with `setup` steps."""
    if name is not None:
        for spec in specs:
            if spec.name == name:
                break
        else:
            names = ", ".join(s.name for s in specs)
            raise InputError(f"no flow named {name!r} (the spec has: {names})", file=specs[0].source.file)
    else:
        spec = next((s for s in specs if s.setup), specs[0])
    if not spec.setup:
        raise InputError(
            f"flow {spec.name!r} has no `setup` steps to sign in with (goto the login page, fill, click)",
            file=spec.source.file,
            line=spec.source.line,
        )
    return spec


async def save_session(spec: FlowSpec, target: Path) -> dict[str, int]:
    """Run the setup once, check the start URL is no login screen, write the storage state to `target`;
    the counts of cookies and origins saved, and of the values typed that the site itself stored in them."""
    spec = replace(spec, storage_state=None)  # sign in afresh, whatever an older file holds
    redactor = Redactor(secret_values(spec), min_length=1)
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            context, _ = await new_context(browser, spec, playwright)
            page = await context.new_page()
            timeouts = spec.explore.timeouts
            try:
                await run_setup(page, spec, signing_in=True)
                said = what_it_said(await page_said(page))  # after the last step: a refused sign-in says why
                await load_start(page, spec.start, timeouts.navigation, timeouts.settle, check_status=True)
                if await page.evaluate(PASSWORD_SHOWN_JS):
                    raise AuditIncomplete(
                        f"the setup steps ran, but the start URL {spec.start} still asks for a password; "
                        f"nothing was saved (do the setup steps sign in? after the last one, {said})"
                    )
                state = await context.storage_state()
            except PlaywrightError as exc:
                raise AuditIncomplete(redactor.text(f"signing in failed: {first_line(exc)}")) from exc
            except AuditIncomplete as exc:
                raise AuditIncomplete(redactor.text(str(exc))) from exc
        finally:
            await browser.close()
    write_atomic(target, json.dumps(state, indent=2))  # a new file, readable by its owner only (mkstemp's mode)
    kept = json.dumps(state, ensure_ascii=False)
    return {
        "cookies": len(state.get("cookies", [])),
        "origins": len(state.get("origins", [])),
        "typed": sum(1 for value in secret_values(spec) if len(value) >= 3 and value in kept),
    }

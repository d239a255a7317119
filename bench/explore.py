"""Benchmark: auditing the demo flows vs a bare Playwright script that clicks their known shortest paths.

The scripted walk is the floor: exploration has to *find* the path the script already knows. Prints, per
flow and in total, the audit's wall time, the floor's, their ratio, and the peak memory of the whole
process tree (Python + Playwright driver + Chromium). Run: `.venv/bin/python -m bench.explore [--jobs N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from playwright.async_api import Frame, Page, async_playwright

from auditor.browser import launch, new_context
from auditor.demo import demo_specs
from auditor.demo.server import DemoServer
from auditor.explore.setup import run_setup
from auditor.run import run
from auditor.spec import FlowSpec, load_specs
from bench.memory import PeakMemory

# The known shortest paths: ("click", label) or ("fill", field label, value).
FLOOR: dict[str, list[tuple[str, ...]]] = {
    "fair-cancel": [("click", "Account"), ("click", "Cancel subscription")],
    "fair-signup": [
        ("click", "Sign up"),
        ("fill", "Email", "a@b.test"),
        ("fill", "Password", "pw-123456"),
        ("click", "Create account"),
    ],
    "iliad-cancel": [
        ("click", "Account & Lists"),
        ("click", "Prime membership"),
        ("click", "Manage membership"),
        ("click", "End membership"),
        ("click", "Continue to cancel"),
        ("click", "No thanks, continue to cancel"),
        ("fill", "Password", "primebox-demo"),
        ("click", "Continue"),
        ("click", "End my membership"),
    ],
    "iliad-signup": [
        ("click", "Try PrimeBox free"),
        ("fill", "Email", "a@b.test"),
        ("fill", "Password", "pw-123456"),
        ("click", "Start my free trial"),
    ],
    "spa-cancel": [
        ("click", "Reject all"),
        ("click", "Settings"),
        ("click", "Manage plan"),
        ("click", "Cancel plan"),
        ("click", "Cancel anyway"),
        ("click", "Too expensive"),
        ("click", "Continue"),
    ],
    "spa-signup": [
        ("click", "Reject all"),
        ("click", "Get Premium"),
        ("fill", "Email", "a@b.test"),
        ("click", "Subscribe"),
    ],
    "fittrack-cancel": [
        ("click", "Account"),
        ("click", "Cancel membership"),
        ("click", "Maybe later"),
        ("click", "I don't care about my health, cancel"),
    ],
    "fittrack-signup": [
        ("click", "Start free trial"),
        ("fill", "Email", "a@b.test"),
        ("fill", "Password", "pw-123456"),
        ("click", "Start my trial"),
    ],
    "vertrag-cancel": [
        ("click", "Verträge hier kündigen"),
        ("fill", "E-Mail", "kunde@streamo.test"),
        ("fill", "Vertragsnummer", "SV-123456"),
        ("click", "Jetzt kündigen"),
    ],
    "vertrag-signup": [
        ("click", "Jetzt registrieren"),
        ("fill", "E-Mail", "a@b.test"),
        ("fill", "Passwort", "pw-123456"),
        ("click", "Konto erstellen"),
    ],
    "abo-cancel": [
        ("click", "Mein Konto"),
        ("click", "Abo verwalten"),
        ("click", "Mitgliedschaft beenden"),
        ("click", "Trotzdem kündigen"),
        ("fill", "Passwort", "lernwelt-demo"),
        ("click", "Weiter"),
        ("click", "Weiter"),
    ],
    "abo-signup": [
        ("click", "Kostenlos testen"),
        ("fill", "E-Mail", "a@b.test"),
        ("fill", "Passwort", "pw-123456"),
        ("click", "Jetzt starten"),
    ],
    "gems-iap": [("click", "Shop"), ("click", "Buy Handful of Gems – $0.99")],
    "brightbox-purchase": [
        ("click", "Choose plan"),
        ("click", "I agree to the automatic renewal terms"),
        ("fill", "Name on card", "Ann Lee"),
        ("fill", "Card number", "4242 4242 4242 4242"),
        ("fill", "Expiry", "12/30"),
        ("fill", "CVC", "123"),
        ("fill", "Account password", "brightbox-demo"),
        ("click", "Pay $12.00 and subscribe"),
    ],
    "cartly-purchase": [
        ("click", "Add to cart"),
        ("click", "Checkout"),
        ("fill", "Name on card", "Ann Lee"),
        ("fill", "Card number", "4242 4242 4242 4242"),
        ("fill", "Expiry", "12/30"),
        ("fill", "CVC", "123"),
        ("click", "Continue"),
    ],
    "phone-signup": [
        ("click", "Join now"),
        ("fill", "Name", "A"),
        ("fill", "Email", "a@b.test"),
        ("click", "Join now"),
    ],
}


async def _find(page: Page, label: str, field: bool, wait_s: float = 10.0):  # noqa: ANN202 - a Locator
    """The first visible match in any frame, polled as a hand-written script's auto-wait would."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        frames: list[Frame] = [page.main_frame, *page.main_frame.child_frames]
        for frame in frames:
            roles = ("button", "link", "radio", "checkbox")
            options = (
                [frame.get_by_label(label, exact=True)]
                if field
                else [frame.get_by_role(r, name=label, exact=True) for r in roles]
                + [frame.get_by_text(label, exact=True)]
            )
            for locator in options:
                visible = locator.locator("visible=true")
                if await visible.count():
                    return visible.first
        await asyncio.sleep(0.02)
    raise RuntimeError(f"floor script: {label!r} not found on {page.url}")


async def scripted_walk(specs: list[FlowSpec]) -> dict[str, float]:
    """The floor: one browser, a fresh context per flow, click the known path, wait for the goal text."""
    times: dict[str, float] = {}
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        for spec in specs:
            if spec.name not in FLOOR:
                continue
            started = time.monotonic()
            context, _ = await new_context(browser, spec, playwright)
            page = await context.new_page()
            await run_setup(page, spec)
            await page.goto(spec.start)
            for step in FLOOR[spec.name]:
                target = await _find(page, step[1], field=step[0] == "fill")
                await (target.fill(step[2]) if step[0] == "fill" else target.click())
            if spec.goal.text:
                await page.get_by_text(spec.goal.text[0]).first.wait_for()
            else:  # a request goal (fittrack): the walk ends when the page has settled after it
                await page.wait_for_load_state("networkidle")
            await context.close()
            times[spec.name] = time.monotonic() - started
        await browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1, help="flows the audit explores at once")
    args = parser.parse_args()
    with DemoServer() as server:
        os.environ["DEMO_URL"] = server.url
        specs = load_specs(demo_specs())
        with PeakMemory() as floor_mem:
            started = time.monotonic()
            floor = asyncio.run(scripted_walk(specs))
            floor_total = time.monotonic() - started
        with tempfile.TemporaryDirectory() as out, PeakMemory() as audit_mem:
            started = time.monotonic()
            result = run(specs, Path(out), jobs=args.jobs)
            audit_total = time.monotonic() - started
    print(f"{'flow':14} {'audit s':>8} {'floor s':>8} {'ratio':>6} {'states':>6} {'actions':>7} {'steps':>5}")
    for flow in result.report["flows"]:
        x = flow["exploration"]
        f = floor.get(flow["name"])
        ratio = f"{x['seconds'] / f:6.1f}" if f else "     -"
        print(
            f"{flow['name']:14} {x['seconds']:8.2f} {f or 0:8.2f} {ratio} {x['states']:6} {x['actions']:7} "
            f"{flow['metrics'].get('steps_to_goal') or '-':>5}"
        )
    walked = [f for f in result.report["flows"] if f["name"] in floor]
    audit_walked = sum(f["exploration"]["seconds"] for f in walked)
    print(
        f"\nflows with a known path: audit {audit_walked:.1f}s vs floor {sum(floor.values()):.1f}s "
        f"= {audit_walked / sum(floor.values()):.1f}x (sum of per-flow times)"
    )
    print(
        f"whole run: audit {audit_total:.1f}s (--jobs {args.jobs}, all {len(specs)} flows incl. no-path ones) "
        f"vs floor {floor_total:.1f}s = {audit_total / floor_total:.1f}x"
    )
    print(f"peak memory of the process tree: audit {audit_mem}; floor {floor_mem}")
    print(f"machine: {os.cpu_count()} cores; chromium {result.report['browser'].get('version')}")


if __name__ == "__main__":
    main()

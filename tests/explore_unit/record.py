"""Record the probe's observations of a few representative demo screens, for the browser-free explorer tests.

    python -m tests.explore_unit.record            # rewrites tests/explore_unit/observations/*.json
    python -m tests.explore_unit.record /tmp/obs   # or writes them elsewhere, to compare

Serves the bundled demo sites with `DemoServer`, drives real Chromium (found as the auditor finds it) to each
screen in `SCREENS` with a fresh context (a fresh user), and saves what `observe()` returns there, as JSON.
The server's origins become fixed placeholders (`ORIGIN`, `ALT_ORIGIN`), so a re-recording only changes what
the pages changed. Re-record after a change to the probe (probe.js, observe.py) or to these demo screens;
the unit tests then show what the change does to the explorer's decisions.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import Page, async_playwright

from auditor.browser import launch
from auditor.demo.server import DemoServer
from auditor.explore.observe import observe
from auditor.explore.settle import RequestTracker, settle
from auditor.explore.states import MAX_VARIANTS
from tests.explore_unit.fixtures import ALT_ORIGIN, OBSERVATIONS, ORIGIN

SETTLE_CAP = 3.0
VIEWPORT = {"width": 1280, "height": 800}  # the spec default (auditor.spec.Viewport)

Step = tuple[str, str, str]  # ("click", role, accessible name) | ("check", "radio", name) | ("goto", path, "")


@dataclass(frozen=True)
class Screen:
    name: str
    start: str  # a path on the demo server
    steps: tuple[Step, ...] = ()
    why: str = ""


def _click(role: str, name: str) -> Step:
    return ("click", role, name)


SPA_PLAN = (_click("button", "Reject all"), _click("link", "Settings"), _click("button", "Manage plan"))
SPA_SURVEY = (*SPA_PLAN, _click("button", "Cancel plan"), _click("button", "Cancel anyway"))
ILIAD_DEALS = (_click("link", "Deals"),)
NEXT_PAGE = _click("link", "Next page")

SCREENS: tuple[Screen, ...] = (
    Screen("spa-veil", "/spa/", why="a cookie veil over the start screen: only its buttons can be clicked"),
    Screen("spa-home", "/spa/", SPA_PLAN[:1], why="a start screen with a join control and a path to settings"),
    Screen("spa-settings", "/spa/", SPA_PLAN[:2], why="'Manage plan' inside a shadow root, below the fold"),
    Screen("spa-plan", "/spa/", SPA_PLAN, why="the plan page, its offer dialog closed"),
    Screen("spa-offer", "/spa/", (*SPA_PLAN, _click("button", "Cancel plan")), why="the same page, dialog open"),
    Screen("spa-survey", "/spa/", SPA_SURVEY, why="a survey: radios, Continue disabled until one is picked"),
    Screen("spa-survey-answered", "/spa/", (*SPA_SURVEY, ("check", "radio", "Too expensive")), why="answered"),
    Screen("iliad-home", "/iliad/", why="a start screen with site navigation, a join button and a sign-out link"),
    Screen("iliad-signup", "/iliad/", (_click("button", "Try PrimeBox free"),), why="required email and password"),
    *(
        Screen(f"iliad-deals-{n}", "/iliad/", ILIAD_DEALS + (NEXT_PAGE,) * (n - 1), why="an endless listing")
        for n in range(1, MAX_VARIANTS + 2)  # one page more than the trap limit
    ),
    Screen("fittrack-account", "/fittrack/", (_click("link", "Account"),), why="the account page: a small grey exit"),
    Screen(
        "fittrack-offer",
        "/fittrack/",
        (_click("link", "Account"), _click("link", "Cancel membership")),
        why="a save offer after the exit: its only way on is 'Maybe later'",
    ),
    Screen(
        "cartly-checkout",
        "/cartly/",
        (_click("button", "Add to cart"), _click("link", "Checkout")),
        why="a checkout: card fields, a pre-ticked add-on and trial, 'Continue'",
    ),
    # last, so that the clock in the page has moved on too
    Screen("iliad-home-again", "/iliad/", why="the same start screen in another session: other random noise"),
)


SANATON_DIALOG = (_click("button", "Päätä jäsenyys"),)
SANATON_SURVEY = (*SANATON_DIALOG, _click("button", "Jatka"))
# screens of the test sparring sites (tests/sites), served by their own DemoServer
SITE_SCREENS: tuple[Screen, ...] = (
    Screen("sanaton-account", "/sanaton/index.html", why="an account page in Finnish: 14 tabs, one filled button"),
    Screen("sanaton-dialog", "/sanaton/index.html", SANATON_DIALOG, why="its dialog: x, secondary, primary"),
    Screen("sanaton-survey", "/sanaton/index.html", SANATON_SURVEY, why="a survey: the forward button disabled"),
    Screen(
        "sanaton-survey-answered",
        "/sanaton/index.html",
        (*SANATON_SURVEY, ("check", "radio", "Ei aikaa")),
        why="the survey answered: its forward button enabled",
    ),
    Screen(
        "sanaton-confirm",
        "/sanaton/index.html",
        (*SANATON_SURVEY, ("check", "radio", "Ei aikaa"), _click("button", "Jatka eteenpäin")),
        why="the last step: two filled buttons alike, the forward one where the survey's stood",
    ),
)
SITES_DIR = Path(__file__).parents[1] / "sites"


def placeholders(value: Any, server: DemoServer) -> Any:
    """The recorded data with the server's origins (and bare host:port) replaced by fixed placeholders."""
    if isinstance(value, str):
        host_port = server.url.split("//", 1)[1]
        alt_host_port = server.alt_origin.split("//", 1)[1]
        value = value.replace(server.url, ORIGIN).replace(server.alt_origin, ALT_ORIGIN)
        return value.replace(host_port, ORIGIN.split("//", 1)[1]).replace(alt_host_port, ALT_ORIGIN.split("//", 1)[1])
    if isinstance(value, list):
        return [placeholders(v, server) for v in value]
    if isinstance(value, dict):
        return {k: placeholders(v, server) for k, v in value.items()}
    return value


async def _step(page: Page, tracker: RequestTracker, step: Step) -> None:
    action, target, name = step
    if action == "goto":
        await page.goto(target)
    elif action == "check":
        await page.get_by_role(target, name=name, exact=True).check()  # type: ignore[arg-type]
    else:
        await page.get_by_role(target, name=name, exact=True).click()  # type: ignore[arg-type]
    await settle(page, tracker, SETTLE_CAP)


async def record(server: DemoServer, screens: tuple[Screen, ...] = SCREENS, out: Path = OBSERVATIONS) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            for screen in screens:
                context = await browser.new_context(viewport=VIEWPORT, service_workers="block")  # type: ignore[arg-type]
                try:
                    page = await context.new_page()
                    tracker = RequestTracker(page)
                    await page.goto(server.url + screen.start)
                    for step in screen.steps:
                        await _step(page, tracker, step)
                    obs = await observe(page, tracker, scope=("127.0.0.1",), avoid_selectors=[], settle_cap=SETTLE_CAP)
                finally:
                    await context.close()
                path = out / f"{screen.name}.json"
                data = {"screen": screen.name, "why": screen.why, "observation": placeholders(obs.to_dict(), server)}
                path.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
                written.append(path)
                print(f"{path.name}: {len(obs.elements)} controls, {len(obs.fields)} fields", file=sys.stderr)
        finally:
            await browser.close()
    return written


def main(argv: list[str] | None = None) -> None:
    """`python -m tests.explore_unit.record [DIR]`: DIR defaults to the tests' own observations folder."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else OBSERVATIONS
    with DemoServer() as server:
        asyncio.run(record(server, out=out))
    with DemoServer(sites_dir=SITES_DIR) as server:
        asyncio.run(record(server, SITE_SCREENS, out=out))


if __name__ == "__main__":
    main()

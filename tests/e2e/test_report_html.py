"""e2e: the HTML report of a page whose own words are attacks. Real Chromium audits the hostile site, the
report is rendered, then opened in Chromium from disk: the payloads show as text, none runs, and every
finding's screenshot loads from the evidence folder with the element outlined."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Locator, async_playwright

from auditor.browser import launch
from auditor.report.context import RenderContext
from auditor.report.html import render
from auditor.run import run
from auditor.spec import load_specs
from tests.conftest import SITES

pytestmark = pytest.mark.e2e

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '</textarea><img src=x onerror="window.__pwned=2">',
    '"onerror="window.__pwned=3',
    "<svg onload=window.__pwned=4>",
]

EAGER = "() => Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => 0) }))"
INSPECT = """() => ({
  pwned: typeof window.__pwned,
  scripts: document.querySelectorAll('script').length,
  handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
    .filter(n => n.startsWith('on')),
  shots: [...document.querySelectorAll('details.finding figure.shot img')].map(i => i.naturalWidth),
  outlines: document.querySelectorAll('details.finding .outline').length,
  tiles: [...document.querySelectorAll('svg.pathsvg image')].length,
  text: document.body.innerText,
})"""


async def _shown(matches: Locator) -> bool:
    """Some match is rendered on screen (SVG <title> tooltips also hold the text, unseen)."""
    return any([await m.is_visible() for m in await matches.all()])


async def _open(html: Path) -> dict[str, Any]:
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        page = await browser.new_page()
        await page.goto(html.as_uri())
        # lazy images below the fold would never load in a headless page nobody scrolls
        await page.evaluate(EAGER)
        await page.wait_for_timeout(300)  # time for any injected handler to have fired
        facts = await page.evaluate(INSPECT)
        facts["visible"] = [await _shown(page.locator("details.finding").get_by_text(p)) for p in PAYLOADS]
        await browser.close()
    return facts


def test_report_of_a_hostile_site_shows_payloads_as_text(sites_server, tmp_path):
    result = run(load_specs([SITES / "hostile" / "flow.yaml"]), tmp_path)
    report = result.report
    assert report["status"] == "complete" and report["flows"][0]["goal_reached"]
    findings = report["findings"]
    rules = {f["rule"] for f in findings}
    assert {"cancel.confirmshaming", "cancel.hidden-exit", "cancel.exit-less-prominent"} <= rules
    labels = " ".join(f["evidence"]["label"] or "" for f in findings)
    assert PAYLOADS[0] in labels and PAYLOADS[1] in labels  # the page's words reached the evidence
    html = tmp_path / "report.html"
    html.write_text(render(report, RenderContext(tmp_path, tmp_path)), encoding="utf-8")

    facts = asyncio.run(_open(html))
    assert facts["pwned"] == "undefined"
    assert facts["scripts"] == 0 and facts["handlers"] == []
    assert len(facts["shots"]) == len(findings) and all(w > 0 for w in facts["shots"])  # every image loaded
    assert facts["outlines"] == sum(1 for f in findings if f["evidence"].get("box"))
    assert facts["outlines"] >= 3  # the exit and the shaming button are outlined
    assert facts["tiles"] == 2  # start and goal screens in the path picture
    for payload in PAYLOADS:
        assert payload in facts["text"]
    assert all(facts["visible"])


def test_demo_report_in_every_format_and_every_screenshot_loads(demo_run):
    result, out = demo_run
    assert sorted(p.name for p in out.glob("*.*")) == sorted(
        ["report.json", "report.html", "report.sarif", "junit.xml", "report.md"]
    )
    findings = result.report["findings"]
    facts = asyncio.run(_open(out / "report.html"))
    assert facts["pwned"] == "undefined" and facts["scripts"] == 0
    assert len(facts["shots"]) == len(findings) > 20
    assert all(w > 0 for w in facts["shots"])  # every finding's screenshot loaded from the evidence folder
    assert facts["outlines"] == sum(1 for f in findings if f["evidence"].get("box")) > 10

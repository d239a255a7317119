"""e2e: secrets stay out of every output, password fields are masked in screenshots, and names from specs
can never write outside --out. Real Chromium against tests/sites on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from playwright.async_api import async_playwright

from auditor.browser import launch
from auditor.report.formats import FORMATS, ReportWriter
from auditor.run import run
from auditor.spec import FlowSpec, Goal, SourceRef
from tests.conftest import SITES

pytestmark = pytest.mark.e2e

EMAIL = "sam.vault-7731@example.test"
PASSWORD = "Tr0ub4dor&3-horse"  # & and - so the URL-encoded form differs from the typed one


def _forms(value: str) -> set[str]:
    return {value, quote(value), quote_plus(value), quote(value, safe="")}


@pytest.fixture(scope="module")
def audited(sites_server, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("secrets")
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", str(SITES / "secrets" / "flow.yaml"), "--out", str(out),
         "--format", "all"],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "SITES_URL": sites_server.url, "AUDIT_TEST_EMAIL": EMAIL, "AUDIT_TEST_PASSWORD": PASSWORD},
    )
    assert proc.returncode in (0, 1), proc.stderr
    return out, proc


def test_planted_secrets_are_in_no_output_file_nor_log(audited):
    out, proc = audited
    report = json.loads((out / "report.json").read_text())
    flow = report["flows"][0]
    assert flow["goal_reached"] and [s["label"] for s in flow["path"]] == ["Sign in", "Cancel my plan"]
    assert any("[input]" in (s["title"] or "") for s in flow["states"])  # the echo was there, and masked
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix != ".png"]
    assert {p.name for p in files} >= {FORMATS[f][0] for f in FORMATS} | {"graph.json"}
    texts = {str(p): p.read_text("utf-8") for p in files} | {"stdout": proc.stdout, "stderr": proc.stderr}
    for secret in _forms(EMAIL) | _forms(PASSWORD):
        leaks = [name for name, text in texts.items() if secret in text]
        assert not leaks, f"{secret!r} in {leaks}"


async def _mask_pixels(shot: Path, url: str) -> tuple[list[int], list[int]]:
    """The colour at the password field's centre in the screenshot, and on the live page for comparison."""
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await page.goto(url)
        box = await page.locator("#saved").bounding_box()
        assert box
        x, y = int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)
        data = base64.b64encode(shot.read_bytes()).decode()
        await page.set_content(f'<canvas id="c"></canvas><img id="i" src="data:image/png;base64,{data}">')
        pixel = await page.evaluate(
            """([x, y]) => { const i = document.getElementById('i'), c = document.getElementById('c');
                 c.width = i.naturalWidth; c.height = i.naturalHeight; const g = c.getContext('2d');
                 g.drawImage(i, 0, 0); return Array.from(g.getImageData(x, y, 1, 1).data); }""",
            [x, y],
        )
        await browser.close()
    return pixel, [x, y]


def test_password_fields_are_masked_in_screenshots(audited, sites_server):
    out, _ = audited
    report = json.loads((out / "report.json").read_text())
    welcome = next(s for s in report["flows"][0]["states"] if "welcome" in s["url"])
    pixel, where = asyncio.run(
        _mask_pixels(out / welcome["screenshot"], f"{sites_server.url}/secrets/welcome.html?password=x&email=y")
    )
    assert pixel[:3] == [255, 0, 255], f"pixel at {where} is {pixel}: the saved password is not masked"


NAMES = ["../../escape", "/etc/passwd", "a/b/c", "..", "x" * 300, "nul\x00byte", "CON", "~/home", ""]


def test_flow_names_can_never_write_outside_out(sites_server, tmp_path):
    out = tmp_path / "deep" / "out"
    specs = [
        FlowSpec(
            name=name or "empty",
            kind="cancellation",
            start=f"{sites_server.url}/tiny/index.html",
            goal=Goal(text="Your plan has been cancelled"),
            source=SourceRef("names.yaml", i + 1),
        )
        for i, name in enumerate(NAMES)
    ]
    result = run(specs, out, jobs=2, writer=ReportWriter(out, ["json", "html"]))
    assert len(result.report["flows"]) == len(NAMES)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(p.resolve().is_relative_to(out.resolve()) for p in written)
    folders = sorted(p.name for p in (out / "flows").iterdir())
    assert len(folders) == len(NAMES) and all(len(f) <= 80 and "/" not in f and f not in (".", "..") for f in folders)

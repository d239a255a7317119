"""e2e: screenshots (explore/shots.py) in real Chromium: the whole document from its top whatever the scroll,
one image pixel per CSS pixel on a high-density screen, password fields painted over, and the page left as
it was (the mask's style sheet dropped again)."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from auditor.browser import launch
from auditor.explore import shots
from auditor.report.html import png_size

pytestmark = pytest.mark.e2e

PAGE = """<!doctype html><body style="margin:0">
<div style="height:300px;background:#ff0000"></div>
<input type="password" id="secret" value="hunter2" style="width:300px;height:60px;font-size:40px">
<div style="height:1500px;background:#0000ff"></div></body>"""
PIXEL_JS = """([data, x, y]) => new Promise((resolve) => {
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0);
    resolve(Array.from(g.getImageData(x, y, 1, 1).data).slice(0, 3));
  };
  img.src = 'data:image/png;base64,' + data;
})"""


async def _shoot(tmp: Path, tall: int | None = None) -> tuple[tuple[int, int], list[list[int]], list[object]]:
    """(image size, pixels at the top and on the password field, page state after: sheets adopted, nodes)."""
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        page = await browser.new_page(viewport={"width": 800, "height": 600}, device_scale_factor=2)
        await page.set_content(PAGE)
        await page.evaluate("window.scrollTo(0, 900)")
        nodes, height = await page.evaluate("[document.querySelectorAll('*').length, document.body.scrollHeight]")
        assert height > 1800
        assert await shots.shoot(page, tmp / "s.png") == tall
        after = await page.evaluate("[document.adoptedStyleSheets.length, document.querySelectorAll('*').length]")
        data = base64.b64encode((tmp / "s.png").read_bytes()).decode()
        pixels = [await page.evaluate(PIXEL_JS, [data, x, y]) for x, y in ((10, 10), (150, 330))]
        await browser.close()
    return png_size(tmp / "s.png"), pixels, [*after, nodes, height]


def test_a_shot_is_the_whole_document_in_css_pixels_with_passwords_masked(tmp_path):
    size, (top, field), (sheets, nodes_after, nodes_before, height) = asyncio.run(_shoot(tmp_path))
    assert size == (800, height)  # one pixel per CSS px on a 2x screen
    assert top == [255, 0, 0]  # from the top of the document, though the page was scrolled down
    assert field == [255, 0, 255]  # the password field is painted over
    assert sheets == 0 and nodes_after == nodes_before  # the mask is gone and added no node


def test_of_a_taller_page_the_top_is_shot(tmp_path, monkeypatch):
    monkeypatch.setattr(shots, "MAX_SHOT_HEIGHT", 1000)
    size, (top, field), (sheets, _, _, height) = asyncio.run(_shoot(tmp_path, tall=1866))
    assert size == (800, 1000) and height == 1866
    assert top == [255, 0, 0] and field == [255, 0, 255] and sheets == 0

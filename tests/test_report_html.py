"""The HTML report, without a browser: built from the saved demo graphs, parsed back with BeautifulSoup.
Text from audited pages is hostile by assumption, so a report full of payloads must render as inert text."""

from __future__ import annotations

import copy
import os
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from auditor.assess import report_from_graphs
from auditor.graph import FlowGraph
from auditor.report.context import RenderContext
from auditor.report.html import crop, local_href, outline, png_size, render, web_href
from auditor.report.pathsvg import path_svg, wrap
from auditor.rules.pack import load_rules

FIXTURES = Path(__file__).parents[1] / "auditor" / "rules" / "packs" / "fixtures"
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '</textarea><img src=x onerror="window.__pwned=2">',
    '"onerror="window.__pwned=3',
    "<svg onload=window.__pwned=4>",
]
HOSTILE = " ".join(PAYLOADS)


def png(path: Path, width: int, height: int) -> Path:
    """A real (grey, tiny-to-store) PNG of the given size, written without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xcc" * width for _ in range(height))
    data = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + data)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, Any]:
    """Every saved demo graph checked against us-ca (core plus law references), as `auditor check` does."""
    out = tmp_path_factory.mktemp("report")
    graphs, files = {}, {}
    for path in sorted(FIXTURES.glob("*.graph.json")):
        graph = FlowGraph.load(path)
        name = graph.flow.get("name") or path.stem
        graphs[name], files[name] = graph, os.path.relpath(path, out)
    return report_from_graphs(graphs, files, load_rules(["us-ca"]), browser={"name": "none"}, started=0, finished=0)


def soup_of(report: dict[str, Any], folder: Path) -> BeautifulSoup:
    return BeautifulSoup(render(report, RenderContext(folder, folder)), "html.parser")


def test_every_flow_has_a_card_and_every_finding_is_shown(report, tmp_path):
    soup = soup_of(report, tmp_path)
    cards = soup.select("section.flow")
    assert len(cards) == len(report["flows"]) == len(list(FIXTURES.glob("*.graph.json")))
    assert [c.h3.get_text() for c in cards] == [f["name"] for f in report["flows"]]
    text = soup.get_text()
    assert report["findings"]
    for finding in report["findings"]:
        assert finding["fingerprint"] in text
    assert len(soup.select("details.finding[open]")) == len(report["findings"])  # open, so they print


def test_references_are_linked_with_section_status_and_date(report, tmp_path):
    soup = soup_of(report, tmp_path)
    hrefs = {a["href"] for a in soup.select("ul.refs a")}
    refs = [r for f in report["findings"] for r in f["references"]]
    assert any("17602" in r["section"] for r in refs)  # us-ca law is cited
    for ref in refs:
        if ref.get("url"):
            assert ref["url"] in hrefs
    text = soup.get_text(" ")
    assert "Bus. & Prof. Code 17602" in text and "in force since 2025-07-01" in text
    dated = [r for r in refs if r.get("as_of")]
    assert dated == refs  # every shipped reference carries the day its status was checked
    dates = {t["datetime"] for t in soup.select("ul.refs .ref-status time")}
    assert dates == {r["as_of"] for r in refs}  # shown beside the status


def test_flow_card_compares_steps_with_its_partner_and_lists_outcomes(report, tmp_path):
    soup = soup_of(report, tmp_path)
    card = next(c for c in soup.select("section.flow") if c.h3.get_text() == "abo-cancel")
    steps = card.select_one(".metric")
    assert steps is not None and "6" in steps.get_text() and "abo-signup: 2" in steps.get_text()
    outcomes = [b.get_text() for b in card.select("table.rules .badge")]
    assert "fail" in outcomes and "pass" in outcomes and "inapplicable" not in outcomes
    assert card.select_one("details.rules-more") is not None  # inapplicable ones collapsed
    assert card.select_one("svg.pathsvg") is not None
    purchase = next(c for c in soup.select("section.flow") if c.h3.get_text() == "cartly-purchase")
    assert "intercepted, never sent" in purchase.get_text()


def test_forms_held_back_are_listed_on_their_flow(report, tmp_path):
    held = copy.deepcopy(report)
    held["flows"][0]["exploration"]["held_back"] = [
        {"kind": "password_reset", "label": "Send", "state": "s1", "url": "http://shop.test/join", "why": "..."}
    ]
    card = soup_of(held, tmp_path).select("section.flow")[0]
    assert "not submitted, they act outside the flow: Send (password reset) at http://shop.test/join" in (
        card.get_text(" ")
    )
    assert "Held back" not in soup_of(report, tmp_path).select("section.flow")[0].get_text()


def test_missing_screenshots_are_reported_not_linked(report, tmp_path):
    """The saved graphs' screenshots are not on disk: no broken <img>, no <image>, a note instead."""
    soup = soup_of(report, tmp_path)
    assert soup.select("img") == [] and soup.select("image") == []
    assert len(soup.select("p.missing")) == len(report["findings"])


def test_content_security_policy_forbids_scripts(report, tmp_path):
    soup = soup_of(report, tmp_path)
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and "default-src 'none'" in csp["content"] and "script-src" not in csp["content"]


def inject(report: dict[str, Any]) -> dict[str, Any]:
    """A copy of the report with hostile text in every place that comes from a page or a pack."""
    bad = copy.deepcopy(report)
    for finding in bad["findings"]:
        finding["message"] = finding["title"] = finding["help"] = HOSTILE
        finding["help_url"] = "javascript:alert(1)"
        finding["evidence"].update(url="javascript:alert(1)", label=HOSTILE, selector=HOSTILE, path=[HOSTILE, "x"])
        finding["evidence"]["box"] = [0, 0, 10, 10]
        finding["figures"] = {"label": HOSTILE, HOSTILE: [HOSTILE], "nested": {"k": HOSTILE}}
        finding["references"].append({"law": HOSTILE, "section": HOSTILE, "url": " javascript:alert(1)"})
        finding["baseline"] = HOSTILE
        finding["suppression"] = {"reason": HOSTILE, "expires": HOSTILE}
    for flow in bad["flows"]:
        flow["start"] = "javascript:alert(1)"
        flow["error"] = HOSTILE
        for step in flow["path"]:
            step.update(label=HOSTILE, url="java\tscript:alert(1)", inputs=[HOSTILE])
        for state in flow["states"]:
            state.update(title=HOSTILE, heading=HOSTILE, url="javascript:alert(1)")
        for charge in flow["charges"]:
            charge.update(url="javascript:alert(1)", label=HOSTILE, path=[HOSTILE])
    bad["flows"][0]["name"] = HOSTILE
    bad["flows"][0]["path"][0]["screenshot"] = "javascript:alert(1)"
    bad["suppressed"] = [{**bad["findings"][0], "suppression": {"reason": HOSTILE, "expires": "2030-01-01"}}]
    bad["baseline"] = {"file": HOSTILE, "new": 1, "unchanged": [], "fixed": [bad["findings"][0]]}
    return bad


def test_hostile_text_renders_as_text_and_nothing_runs(report, tmp_path):
    bad = inject(report)
    png(tmp_path / "javascript:alert(1)", 64, 64)  # a screenshot path that reads like a URL scheme
    for finding in bad["findings"]:
        png(tmp_path / finding["evidence"]["screenshot"], 200, 100)
    soup = soup_of(bad, tmp_path)
    assert soup.find("script") is None
    for element in soup.find_all(True):
        assert element.name not in ("textarea", "iframe", "object", "embed", "base", "form")
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (element.name, name)
            for link in value if isinstance(value, list) else [value]:
                assert "javascript:" not in link.replace("\t", "").lower() or name not in ("href", "src")
    assert {img.name for img in soup.find_all(["img", "image"])} == {"img", "image"}  # the files are there
    assert soup.find("image", href="javascript%3Aalert%281%29") is not None  # a path, not a scheme
    text = soup.get_text()
    for payload in PAYLOADS:
        assert payload in text  # shown, as text
    assert soup.find("svg") is not None and soup.find("svg").find("svg") is None  # no payload svg inside


def test_only_web_urls_become_links():
    assert web_href("https://example.org/a?b=c#d") == "https://example.org/a?b=c#d"
    assert web_href("HTTP://example.org") == "HTTP://example.org"
    for bad in ["javascript:alert(1)", " javascript:alert(1)", "java\tscript:x", "data:text/html,x",
                "file:///etc/passwd", "http://a b", "https://x\n", "//example.org", None, 3]:  # fmt: skip
        assert web_href(bad) is None, bad


def test_evidence_links_cannot_become_a_scheme():
    assert local_href("flows/a b/s0.png") == "flows/a%20b/s0.png"
    assert local_href("javascript:alert(1)") == "javascript%3Aalert%281%29"
    assert local_href("../x#y?.png") == "../x%23y%3F.png"


def test_png_size_from_header_bytes(tmp_path):
    assert png_size(png(tmp_path / "a.png", 1280, 4321)) == (1280, 4321)
    (tmp_path / "b.png").write_bytes(b"GIF89a" + b"\0" * 30)
    assert png_size(tmp_path / "b.png") is None
    assert png_size(tmp_path / "missing.png") is None


def test_outline_is_in_percent_of_the_image_and_clipped():
    assert outline([128, 100, 256, 50], 1280, 1000) == {"left": "10", "top": "10", "width": "20", "height": "5"}
    assert outline([-10, 990, 20, 50], 100, 1000) == {"left": "0", "top": "99", "width": "10", "height": "1"}
    assert outline(None, 100, 100) is None
    assert outline([200, 200, 10, 10], 100, 100) is None  # outside the image
    assert outline([1, 2, 0, 5], 100, 100) is None
    assert outline(["1", 2, 3, 4], 100, 100) is None


def test_tall_screenshots_are_cropped_around_the_element():
    assert crop(None, 1280, 720) == (720, 0.0)  # fits: no crop
    assert crop(None, 1280, 5000) == (960, 0.0)  # tall: the top
    assert crop([0, 100, 10, 10], 1280, 5000) == (960, 0.0)  # element near the top: the top
    assert crop([0, 3000, 10, 40], 1280, 5000) == (960, 3020 - 480)
    assert crop([0, 4990, 10, 10], 1280, 5000) == (960, 5000 - 960)  # never past the end


def test_finding_screenshot_is_framed_and_outlined(report, tmp_path):
    one = copy.deepcopy(report)
    one["findings"] = [f for f in one["findings"] if f["rule"] == "cancel.hidden-exit"][:2]
    first, second = one["findings"]
    png(tmp_path / first["evidence"]["screenshot"], 1280, 4000)
    first["evidence"]["box"] = [128, 3000, 256, 40]
    second["evidence"]["screenshot"] = first["evidence"]["screenshot"]
    second["evidence"]["box"] = None
    soup = soup_of(one, tmp_path)
    figures = soup.select("figure.shot")
    assert len(figures) == 2
    frame = figures[0].select_one(".shot-frame")
    assert frame is not None and "aspect-ratio: 1280 / 960" in frame["style"]
    inner = figures[0].select_one(".shot-inner")
    assert inner is not None and "margin-top: -198.438%" in inner["style"]  # (3020 - 480) / 1280
    box = figures[0].select_one(".outline")
    assert box is not None and box["style"] == "left: 10%; top: 75%; width: 20%; height: 1%"
    img = figures[0].img
    assert img is not None and img["loading"] == "lazy" and img["src"] == first["evidence"]["screenshot"]
    assert figures[0].find("a", href=first["evidence"]["screenshot"]) is not None  # open the full image
    assert figures[1].select_one(".outline") is None


def test_baseline_and_suppressions_are_shown(report, tmp_path):
    marked = copy.deepcopy(report)
    marked["findings"][0]["baseline"] = "new"
    marked["findings"][1]["suppression"] = {"reason": "accepted by legal", "expires": "2031-01-01", "expired": False}
    marked["suppressed"] = [{**report["findings"][2], "suppression": {"reason": "known", "expires": None}}]
    marked["baseline"] = {"file": "old/report.json", "new": 1, "unchanged": 40, "fixed": [report["findings"][3]]}
    soup = soup_of(marked, tmp_path)
    text = soup.get_text(" ")
    assert "accepted by legal" in text and "2031-01-01" in text
    suppressed = soup.select_one("#suppressed + details")
    assert suppressed is not None and "known" in suppressed.get_text() and suppressed.get("open") is None
    assert report["findings"][3]["fingerprint"] in soup.select_one("#baseline + .card").get_text()
    assert soup.select_one("details.finding .badge.sev-warning") is not None  # the "new" badge


def test_a_bare_report_renders(tmp_path):
    """Older or unfinished reports lack most optional fields; the page still renders (StrictUndefined)."""
    bare = {"status": "incomplete", "flows": [{"name": "x", "kind": "cancellation", "status": "incomplete",
            "error": "not finished", "goal_reached": False, "metrics": {}, "path": [], "states": []}],
            "findings": []}  # fmt: skip
    soup = soup_of(bare, tmp_path)
    assert "not finished" in soup.get_text() and "No path from the start to the goal" in soup.get_text()


def test_path_svg_wraps_escapes_and_draws_missing_screens_grey(report):
    flow = copy.deepcopy(next(f for f in report["flows"] if f["name"] == "iliad-cancel"))
    assert len(flow["path"]) == 8
    flow["path"][0]["label"] = HOSTILE
    shown = {flow["path"][1]["result_screenshot"]}
    markup = path_svg(flow, lambda rel: rel if rel in shown else None, per_row=4)
    assert markup is not None
    svg = ET.fromstring(markup)  # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    assert [i.get("href") for i in svg.iter(f"{ns}image")] == [flow["path"][1]["result_screenshot"]]
    assert svg.get("viewBox", "").split()[3] == str(3 * (94 + 40 + 18) - 18 + 12)  # 9 screens: 3 rows
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert path_svg({"path": []}, lambda rel: rel) is None


def test_labels_wrap_to_a_few_lines():
    assert wrap("Mitgliedschaft beenden", 120, 3) == ["Mitgliedschaft", "beenden"]
    lines = wrap("a " * 200, 60, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")

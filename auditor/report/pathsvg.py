"""A flow's cheapest path as an inline SVG picture: screens as thumbnails, actions as labelled arrows.

A reader sees at a glance how many screens stand between the start and the goal and what was clicked on
each. The SVG is built with ElementTree, so every label, URL and title taken from the audited page is
escaped as XML text; nothing from the page is ever written as markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from auditor.plural import plural

TILE_W, THUMB_H = 150, 94  # a 16:10 window onto the top of each screenshot
ARROW_W = 124  # the gap between two tiles, where the action's arrow and label go
BELOW_H = 40  # two text lines under a thumbnail: URL path and screen kind
ROW_GAP = 18
PER_ROW = 4
PAD = 6
CHAR_W = 6.8  # generous width of one character of 11px sans-serif: SVG text neither wraps nor clips
LABEL_LINES = 3
EXIT_COLOUR, ARROW_COLOUR = "#b42318", "#475467"

Href = Callable[[str], str | None]


@dataclass(frozen=True)
class Screen:
    number: int
    url: str
    screenshot: str | None
    kind: str
    title: str


def screens_of(flow: Mapping[str, Any]) -> list[Screen]:
    """The screens along the path, start first: the `from` of the first step, then every step's `to`."""
    path = flow.get("path") or []
    if not path:
        return []
    states = {s.get("id"): s for s in flow.get("states") or []}
    first = path[0]
    ids = [(first.get("from"), first.get("url"), first.get("screenshot"))]
    ids += [(step.get("to"), step.get("result_url"), step.get("result_screenshot")) for step in path]
    screens = []
    for number, (state_id, url, shot) in enumerate(ids):
        state = states.get(state_id) or {}
        kind = state.get("kind") or ("start" if number == 0 else "")
        title = state.get("heading") or state.get("title") or ""
        screens.append(Screen(number, str(url or state.get("url") or ""), shot or state.get("screenshot"), kind, title))
    return screens


def cut(text: str, width: float) -> str:
    """`text` shortened with an ellipsis to fit about `width` pixels (SVG text does not wrap or clip)."""
    most = max(1, int(width / CHAR_W))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def wrap(text: str, width: float, lines: int) -> list[str]:
    """Greedy word wrap into at most `lines` lines of about `width` pixels; the last line cut if needed."""
    most = max(1, int(width / CHAR_W))
    out: list[str] = []
    current = ""
    words = text.split()
    for i, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= most or not current:
            current = candidate
            continue
        out.append(current)
        current = word
        if len(out) == lines - 1:
            current = " ".join(words[i:])
            break
    if current:
        out.append(current)
    return [cut(line, width) for line in out[:lines]]


def url_path(url: str) -> str:
    """What a reader needs to tell screens apart: path and query, without scheme and host."""
    parts = urlsplit(url)
    shown = parts.path or "/"
    if parts.query:
        shown += "?" + parts.query
    if parts.fragment:
        shown += "#" + parts.fragment
    return shown


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _tile(svg: ET.Element, screen: Screen, x: float, y: float, href: Href, last: bool) -> None:
    group = _sub(svg, "g")
    _sub(group, "title", f"Screen {screen.number}: {screen.title}\n{screen.url}".strip())
    link = href(screen.screenshot) if screen.screenshot else None
    _sub(group, "rect", x=x, y=y, width=TILE_W, height=THUMB_H, fill="#f2f4f7", stroke="#98a2b3")
    if link:
        _sub(group, "image", href=link, x=x, y=y, width=TILE_W, height=THUMB_H, preserveAspectRatio="xMidYMin slice")
    else:
        _sub(group, "text", "no screenshot", x=x + TILE_W / 2, y=y + THUMB_H / 2, text_anchor="middle",
             font_size=11, fill="#667085")  # fmt: skip
    colour = "#067647" if last and screen.kind == "goal" else "#344054"
    _sub(group, "circle", cx=x + 13, cy=y + 13, r=11, fill=colour, stroke="#fff", stroke_width=1.5)
    _sub(group, "text", str(screen.number), x=x + 13, y=y + 17, text_anchor="middle", font_size=11,
         font_weight="bold", fill="#fff")  # fmt: skip
    _sub(group, "text", cut(url_path(screen.url), TILE_W), x=x, y=y + THUMB_H + 15, font_size=11, fill="#1d2939",
         font_family="ui-monospace, monospace")  # fmt: skip
    kind = screen.kind or "screen"
    caption = cut(f"{kind} · {screen.title}" if screen.title else kind, TILE_W)
    _sub(group, "text", caption, x=x, y=y + THUMB_H + 31, font_size=11, fill="#475467")


def _arrow(svg: ET.Element, step: Mapping[str, Any], x1: float, x2: float, mid: float) -> None:
    """An arrow from x1 to x2 at height `mid`, the action's label above it and its kind and intent below."""
    intent = str(step.get("intent") or "")
    colour = EXIT_COLOUR if intent == "exit" else ARROW_COLOUR
    label = str(step.get("label") or "(no label)")
    group = _sub(svg, "g")
    _sub(group, "title", f"Step {step.get('step', '')}: {label} ({step.get('action', '')}, {intent})")
    _sub(group, "line", x1=x1, y1=mid, x2=x2 - 7, y2=mid, stroke=colour, stroke_width=2)
    _sub(group, "polygon", points=f"{x2},{mid} {x2 - 9},{mid - 5} {x2 - 9},{mid + 5}", fill=colour)
    lines = wrap(label, x2 - x1 - 4, LABEL_LINES)
    top = mid - 6 - 13 * (len(lines) - 1)
    for i, line in enumerate(lines):
        _sub(group, "text", line, x=(x1 + x2) / 2, y=top + 13 * i, text_anchor="middle", font_size=11, fill="#1d2939")
    action = str(step.get("action") or "")
    notes = [f"{step.get('step', '')}.", "" if action == "click" else action, intent]
    if step.get("inputs"):
        notes.append("typed: " + ", ".join(str(i) for i in step["inputs"]))
    note = cut(" ".join(n for n in notes if n), x2 - x1 - 4)
    _sub(group, "text", note, x=(x1 + x2) / 2, y=mid + 15, text_anchor="middle", font_size=10, fill=colour)


def _start(svg: ET.Element, x1: float, x2: float, mid: float) -> None:
    """Marks where the path begins, in the slot that later rows use for the arrow leading into them."""
    _sub(svg, "line", x1=x2 - 40, y1=mid, x2=x2 - 7, y2=mid, stroke=ARROW_COLOUR, stroke_width=2)
    _sub(svg, "polygon", points=f"{x2},{mid} {x2 - 9},{mid - 5} {x2 - 9},{mid + 5}", fill=ARROW_COLOUR)
    _sub(svg, "text", "start", x=x2 - 46, y=mid + 4, text_anchor="end", font_size=11, fill=ARROW_COLOUR)


def path_svg(flow: Mapping[str, Any], href: Href, per_row: int = PER_ROW) -> str | None:
    """The SVG markup of the flow's cheapest path, or None when it has none. `href` maps a screenshot
    (relative to the report) to a link, or to None when the file is missing (a grey tile is drawn)."""
    screens = screens_of(flow)
    if not screens:
        return None
    steps: Sequence[Mapping[str, Any]] = flow.get("path") or []
    rows = (len(screens) + per_row - 1) // per_row
    columns = min(per_row, len(screens))
    wrapped = rows > 1
    left = ARROW_W if wrapped else 0  # rows after the first start with the arrow that leads into them
    width = left + columns * TILE_W + (columns - 1) * ARROW_W + 2 * PAD
    row_h = THUMB_H + BELOW_H + ROW_GAP
    height = rows * row_h - ROW_GAP + 2 * PAD
    names = " → ".join(str(s.get("label") or "") for s in steps)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "width": str(width),
            "class": "pathsvg",
            "role": "img",
            "font-family": "system-ui, sans-serif",
        },
    )
    _sub(svg, "title", f"Cheapest path ({plural(len(steps), 'step')}): {names}")
    for screen in screens:
        row, column = divmod(screen.number, per_row)
        x = PAD + left + column * (TILE_W + ARROW_W)
        y = PAD + row * row_h
        _tile(svg, screen, x, y, href, last=screen.number == len(screens) - 1)
        start = x - ARROW_W + 4 if column else PAD + 2
        if screen.number:
            _arrow(svg, steps[screen.number - 1], start, x - 4, y + THUMB_H / 2)
        elif wrapped:
            _start(svg, start, x - 4, y + THUMB_H / 2)
    return ET.tostring(svg, encoding="unicode")

"""Where a value sits in a JSON text, so a message about a JSON file (a graph.json) reads `file:line: what`.

Python's json module keeps no positions, so the text is parsed again, only when something is wrong, with the
module's own pure-Python scanner, hooked to note where each object and list starts. That scanner is slow, so a
text larger than MAX_CHARS gets no line (the message still names the value: `states[3].depth`).
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from typing import Any

MAX_CHARS = 32 * 1024 * 1024
_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def line_of(text: str, where: str) -> int | None:
    """The line of the value `where` names (`states[3].elements[0].area`) in the JSON `text`: the line of its
    key when the key is found, else of the nearest object or list holding it; None if the text is too large."""
    if len(text) > MAX_CHARS:
        return None
    starts: dict[int, int] = {}
    kept: list[Any] = []  # every container stays alive, so no two share an id()

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, end = getattr(json.decoder, "JSONObject")(s_and_end, *args)  # noqa: B009 -- not in the stubs
        starts[id(value)] = s_and_end[1] - 1
        kept.append(value)
        return value, end

    def parse_array(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
        value, end = getattr(json.decoder, "JSONArray")(s_and_end, *args)  # noqa: B009
        starts[id(value)] = s_and_end[1] - 1
        kept.append(value)
        return value, end

    decoder = json.JSONDecoder()  # its hooks are plain attributes the stubs do not list
    setattr(decoder, "parse_object", parse_object)  # noqa: B010
    setattr(decoder, "parse_array", parse_array)  # noqa: B010
    setattr(decoder, "scan_once", getattr(json.scanner, "py_make_scanner")(decoder))  # noqa: B009, B010
    try:
        node = decoder.decode(text)
    except (ValueError, RecursionError):
        return None
    at = starts.get(id(node), 0)
    for index, name in _STEP.findall(where):
        key: str | int = int(index) if index else name
        holder = node
        try:
            node = holder[key]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(key, str) and isinstance(holder, dict):
            found = text.find(json.dumps(key), at)
            at = found if found >= 0 else at
        at = starts.get(id(node), at)
    return text.count("\n", 0, at) + 1

"""What the in-page probe records about a screen's controls and fields, as typed records.

probe.js returns plain JSON; `Control.from_dict` / `Field.from_dict` turn it into these records once, and
everything after (the explorer, the graph, the checks, the reports) reads attributes, not dictionary keys.
`to_dict` / `from_dict` are the explicit graph.json form: the runtime handles (`index`, `frame_no`: where the
element is in the live page) are never saved, and keys a record does not know are ignored when reading.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

RUNTIME = ("index", "frame_no")  # handles into the live page, meaningless once it is gone
CHROME_REGIONS = frozenset({"header", "nav", "footer", "menu"})  # Control.region values that every page repeats


def known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """The items of `data` that name a field of the dataclass `cls` (others are ignored when reading)."""
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


@dataclass(frozen=True)
class Control:
    """A control the user can act on (click, tick, choose an option), with what makes it stand out or not."""

    key: str  # stable across visits: frame, kind, role, label, option, occurrence (see observe.py)
    kind: str  # "click", "check" or "select"
    label: str
    role: str = ""
    tag: str = ""
    selector: str = ""
    frame: str = "main"
    href: str | None = None
    target: str | None = None
    form: int | None = None  # which form on the page it belongs to (None: none)
    group: str | None = None  # a radio group's name
    checked: bool | None = None
    required: bool = False  # a box the page marks required (required, aria-required)
    row: str | None = None  # a box's row as a person reads it: its label and what stands beside it ("+$4.99");
    # for controls sharing a name (a "Choose" per card), the row that tells each apart (see observe.py keys)
    expanded: str | None = None  # aria-expanded as written ("true"/"false"), None when absent
    option: str | None = None  # a select's option: its text, value and index
    option_value: str | None = None
    option_index: int | None = None
    visible: bool = True
    enabled: bool = True
    avoided: bool = False  # matched an `avoid` selector of the spec
    in_shadow: bool = False
    in_dialog: bool = False
    region: str = ""  # "header", "nav", "footer" (landmarks), "menu" or "popup" (what an expanded control shows)
    obscured_by: str | None = None  # "veil" / "modal" / a selector: what covers it
    # prominence, measured in the page (absent for invisible controls)
    font_size: float | None = None
    font_weight: int | None = None
    contrast: float | None = None  # WCAG ratio against its real background
    color: str | None = None
    background: str | None = None
    area: float | None = None
    bbox: tuple[float, ...] | None = None  # [x, y, width, height] in the full page, CSS px
    above_fold: bool | None = None
    styled_as: str | None = None  # "button" (filled), "outline" (a border, no fill), "link" or "text"
    # runtime handles (never saved)
    index: int = -1
    frame_no: int = 0

    @property
    def usable(self) -> bool:
        """An option the user really has on a screen: visible, enabled, not covered by a veil or a modal."""
        return self.visible and self.enabled and not self.obscured_by

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Control:
        values = known(cls, data)
        if isinstance(values.get("bbox"), list):
            values["bbox"] = tuple(values["bbox"])
        values.setdefault("key", "")
        values.setdefault("kind", "click")
        values.setdefault("label", "")
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in RUNTIME}
        if self.bbox is not None:
            out["bbox"] = list(self.bbox)
        return out


@dataclass(frozen=True)
class Field:
    """A field a user types or picks a value into (text, e-mail, password, date, time, a contenteditable box),
    how it is named and what it accepts."""

    label: str = ""
    name: str = ""
    id: str = ""
    placeholder: str = ""
    type: str = "text"
    required: bool = False
    invalid: bool = False  # aria-invalid: the page said what was typed (or not typed) is wrong
    empty: bool = True
    enabled: bool = True
    form: int | None = None
    selector: str = ""
    frame: str = "main"
    # what the page accepts in it (the browser's constraints, as written) and what goes with it
    min: str | None = None
    max: str | None = None
    step: str | None = None
    pattern: str | None = None
    maxlength: int | None = None
    minlength: int | None = None
    suggestion: str | None = None  # its datalist's first offered value
    after_choice: bool = False  # it follows a ticked choice in its form: that choice's text box ("Other: ...")
    chat: bool = False  # it is a chat's message box (in the panel of a message log): the request is typed there
    index: int = -1
    frame_no: int = 0

    @property
    def is_password(self) -> bool:
        return self.type == "password"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Field:
        return cls(**known(cls, data))

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in RUNTIME}

"""Where words fail, structure: which control of a screen the page itself puts forward.

The frontier scores labels by pack vocabulary; a site in a language no pack knows gives every label the same
score, and the explorer then walks the controls in page order (every tab of an account page before its one
filled button). A page still says which way leads on without words: the filled, most prominent button (a
dialog's primary button over its close and secondary buttons, a funnel step's forward button), and a button
held disabled until a choice is made. This module only finds that control; frontier.py weighs it, and only on
a screen where no label carried a word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from auditor.classify import Vocabulary
from auditor.records import Control

# roles that move within a widget, never on: a selected tab or menu entry can be drawn filled too
NOT_FORWARD_ROLES = frozenset({"tab", "menuitem", "menuitemradio", "menuitemcheckbox", "option", "treeitem"})
# the primary must stand out from the next filled button by this much height, else the page names no primary
# (a row of equal "Buy" buttons): 1.2 is well above the pixel rounding of two buttons of one style. Height, not
# area: a longer label makes a wider button of the same style, not a more prominent one.
CLEAR_LEAD = 1.2
Box = tuple[float, ...]  # Control.bbox: x, y, width, height in the full page, CSS px


def wordless(controls: Iterable[Control], vocab: Vocabulary, scores: Mapping[str, int]) -> bool:
    """No usable control's label says anything the flow's scoring weighs (only neutral words, or a "Close"):
    the screen is in a language, or a wording, the packs do not know."""
    return all(scores.get(vocab.intent(e.label), 0) == 0 for e in controls if e.usable)


def primary(controls: Iterable[Control], came_from: Box | None = None, came_by: str | None = None) -> Control | None:
    """The button the screen puts forward: of an open dialog's buttons when a dialog is open (a dialog is what
    the user's last action asked for), else of the screen's. Of the filled click controls, the one standing
    where the control that led here stood (`came_from`, its box on the previous screen: a wizard keeps its way
    on in one place), though not that control itself (`came_by`: an "Add to bag" that acted in place is no way
    on), else the tallest, clearly ahead of the next; a close button (a label with no letters:
    "×") is never it. Disabled buttons count too: a filled button held disabled is still the one the page puts
    forward (choices unlock it), so no other button takes its place while it waits."""
    shown = [e for e in controls if e.visible and not e.obscured_by]
    in_dialog = [e for e in shown if e.in_dialog]
    candidates = sorted((e for e in (in_dialog or shown) if _filled_button(e)), key=_height, reverse=True)
    if came_from is not None:
        there = [e for e in candidates if _holds(e.bbox, came_from) and e.key != came_by]
        if len(there) == 1:
            return there[0]
    if not candidates:
        return None
    if len(candidates) > 1 and _height(candidates[0]) < CLEAR_LEAD * _height(candidates[1]):
        return None
    return candidates[0]


def _holds(box: Box | None, other: Box) -> bool:
    """Whether `box` holds the centre of `other` (x, y, width, height)."""
    if not box or len(box) < 4 or len(other) < 4:
        return False
    x, y = other[0] + other[2] / 2, other[1] + other[3] / 2
    return box[0] <= x <= box[0] + box[2] and box[1] <= y <= box[1] + box[3]


def _height(e: Control) -> float:
    return float(e.bbox[3]) if e.bbox and len(e.bbox) > 3 else 0.0


def _filled_button(e: Control) -> bool:
    return (
        e.kind == "click"
        and e.styled_as == "button"
        and e.role not in NOT_FORWARD_ROLES
        and any(ch.isalpha() for ch in e.label)
    )

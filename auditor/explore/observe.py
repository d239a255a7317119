"""Seeing a screen: wait until the page is quiet, then probe every in-scope frame in one evaluation each."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from difflib import SequenceMatcher
from importlib import resources
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from auditor.explore import timers
from auditor.explore.settle import RequestTracker, settle
from auditor.noise import normalise
from auditor.records import Control, Field
from auditor.scope import host_allowed

PROBE_JS = resources.files("auditor.explore").joinpath("probe.js").read_text(encoding="utf-8")
# The probe's record as one JSON string: handed back as an object, its thousands of values each pass
# Playwright's protocol validation (measured: a quarter of a real-size flow's Python time). See `probe`.
PROBE_AS_JSON_JS = f"async (opts) => JSON.stringify(await ({PROBE_JS.strip().rstrip(';')})(opts))"


@dataclass
class Observation:
    """One look at the page: the probe's records merged across frames, ready to become a Screen."""

    url: str
    title: str
    heading: str
    text: str
    dialog: dict[str, Any] | None
    veil: str | None
    elements: list[Control]
    fields: list[Field]
    http_status: int | None
    form_state: list[str] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    screenshot: str | None = None  # set when this look was the screen's first visit
    unsettled: str | None = None  # why the page had not settled when it was probed (None: it had)
    interim: list[str] = field(default_factory=list)  # screens seen on the way here, in short (see summary)
    glimpses: list[dict[str, str]] = field(default_factory=list)  # messages shown for a moment on the way (glimpses.py)
    errors: list[str] = field(default_factory=list)  # what the page says went wrong (live error regions)
    entry: str | None = None  # the history entry this look was taken at (Navigation API key), for going back
    document_id: str | None = None  # which document (a token the probe leaves in it): a new one, a navigation
    forms: dict[str, str] = field(default_factory=dict)  # "frame_no:form" -> what the form says it is for
    boxes: list[dict[str, Any]] = field(default_factory=list)  # formless forms: frame_no, controls, fields, words
    chat: bool = False  # a chat is open on it: a message log shown in a panel (its text box: Field.chat)
    lang: str = ""  # the page's language (<html lang>), "" when it does not say
    stored: list[str] = field(default_factory=list)  # each frame's origin and digest of its local/session storage
    opaque: bool = False  # a frame used or had IndexedDB, Cache Storage or a service worker (hooks.js)
    pending: dict[str, Any] | None = None  # the main frame's short timers when looked at (timers.py), if known

    def form_around(self, control: Control) -> tuple[str, list[Field]]:
        """The words (aria-label, legend, headings in and just before it, action path) and fields of the form
        `control` belongs to: its <form>, or for a formless control the nearest box around it holding a few
        fields; ("", []) when it has none."""
        if control.form is not None:
            fields = [f for f in self.fields if f.frame_no == control.frame_no and f.form == control.form]
            return self.forms.get(f"{control.frame_no}:{control.form}", ""), fields
        for box in self.boxes:
            if box["frame_no"] == control.frame_no and control.index in box["controls"]:
                inside = set(box["fields"])
                fields = [f for f in self.fields if f.frame_no == control.frame_no and f.index in inside]
                return str(box["words"]), fields
        return "", []
    lead: str = ""  # what the screen says first: its dialog's or main content's first headings and paragraphs

    @property
    def summary(self) -> str:
        """What this look says, in short: its dialog's words, heading and the start of its text."""
        return " ".join(p for p in (self.dialog_words, self.heading, self.text[:300]) if p)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (recorded probe results for tests); `frames` are live handles and are left out."""
        data = {f.name: getattr(self, f.name) for f in dataclass_fields(self) if f.name != "frames"}
        data["elements"] = [{**e.to_dict(), "index": e.index, "frame_no": e.frame_no} for e in self.elements]
        data["fields"] = [{**f.to_dict(), "index": f.index, "frame_no": f.frame_no} for f in self.fields]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Observation:
        values = {k: v for k, v in data.items() if k != "frames"}
        values["elements"] = [Control.from_dict(e) for e in values.get("elements", [])]
        values["fields"] = [Field.from_dict(f) for f in values.get("fields", [])]
        return cls(**values)

    def usable(self) -> list[Control]:
        return [e for e in self.elements if e.usable]

    def find(self, key: str) -> Control | None:
        """The control an action key acts on (see `control_of`), if this look shows it."""
        control, _ = control_of(key)
        return next((e for e in self.elements if e.key == control), None)

    @property
    def dialog_words(self) -> str:
        """The open dialog's label and text, as the fingerprints see it ('' without a dialog)."""
        return f"{(self.dialog or {}).get('label', '')} {(self.dialog or {}).get('text', '')}".strip()

    def amounts(self) -> set[str]:
        """The form state's amounts (a quantity, a basket badge; in any frame), as the fingerprint sees them."""
        return {normalise(f) for f in self.form_state if AMOUNT.search(f)}

    def signature(self) -> list[str]:
        """The controls as the fingerprint sees them: clickables with their state, and the coarse form state
        (a radio group answered or not, not which answer: reason A and reason B lead to the same screen), with
        the amounts that matter in a shop as words (a quantity stepper's value, a basket badge: none, one, two,
        many; probe.js), so the stepper's "+" leads to a screen of its own."""
        return [normalise(f) for f in self.form_state] + [
            "|".join(
                (
                    e.role,
                    normalise(e.label),
                    "on" if e.enabled else "off",
                    "hid" if e.obscured_by else "",
                )
            )
            for e in self.elements
            if e.kind == "click" and e.visible and not e.avoided
        ]


def new_text(before: Observation, after: Observation) -> str:
    """The words `after` shows (its dialog included) that `before` did not, run by run: what an action made the
    page say, such as a chat bot's answer, apart from the page around it."""
    old = f"{before.dialog_words} {before.text}".split()
    now = f"{after.dialog_words} {after.text}".split()
    runs = SequenceMatcher(None, old, now, autojunk=False).get_opcodes()
    return " … ".join(" ".join(now[j1:j2]) for tag, _, _, j1, j2 in runs if tag in ("insert", "replace"))


def _frame_key(frame: Frame, page: Page) -> str:
    if frame == page.main_frame:
        return "main"
    return f"frame:{frame.name or normalise(frame.url.split('?')[0])}"


AMOUNT = re.compile(r"(?:^|:)(?:amount|badge):")  # probe.js's form state entries for amounts

DECLINED = "|declined"  # an action key's ending: the same control, the confirm() it raises answered Cancel


def declined(key: str) -> str:
    """The key of the action that acts on the same control and answers its confirm() Cancel."""
    return key + DECLINED


def control_of(key: str) -> tuple[str, bool]:
    """An action key's control key, and whether the action answers its confirm() Cancel."""
    return (key[: -len(DECLINED)], True) if key.endswith(DECLINED) else (key, False)


def _assign_keys(elements: list[dict[str, Any]]) -> None:
    """Stable keys for re-finding an element after a replay: frame, kind, role, label, and for controls that
    share those, the row each stands in (the words around it, see probe.js), then the occurrence. Never the
    occurrence alone: a site that shuffles a list of alike "Choose" buttons on every load gives the first one
    another meaning on each visit, while its row ("Not likely  Choose") keeps it."""
    bases = [f"{e['frame']}|{e['kind']}|{e['role']}|{normalise(e['label'])}" for e in elements]
    shared = Counter(bases)
    seen: dict[str, int] = {}
    for e, base in zip(elements, bases, strict=True):
        row = normalise(e.get("row") or "")
        if shared[base] > 1 and row and row != normalise(e["label"]):
            base = f"{base}@{row[:80]}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        e["key"] = f"{base}#{n}"


async def observe(
    page: Page, tracker: RequestTracker, *, scope: tuple[str, ...], avoid_selectors: list[str], settle_cap: float
) -> Observation:
    """Settle, then probe the main frame and every visible in-scope child frame."""
    unsettled = await settle(page, tracker, settle_cap, scope)
    opts = {"avoidSelectors": avoid_selectors, "pendingCap": timers.CAP_MS}
    for attempt in range(3):
        try:
            obs = await _probe_all(page, tracker, scope, opts)
            obs.unsettled = unsettled
            return obs
        except PlaywrightError:
            if attempt == 2:
                raise
            unsettled = await settle(page, tracker, settle_cap, scope)
    raise AssertionError("unreachable")


async def probe(frame: Frame, opts: dict[str, Any]) -> dict[str, Any]:
    """The probe's record of one frame, sent as JSON (PROBE_AS_JSON_JS). A page that replaced JSON or gave
    arrays a toJSON (an old Prototype.js) sends something else: then the record is asked for again as an
    object, through Playwright's own serialization, which the page cannot touch."""
    text = await frame.evaluate(PROBE_AS_JSON_JS, opts)
    try:
        record = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        record = None
    if isinstance(record, dict) and all(isinstance(record.get(k), list) for k in ("elements", "fields", "errors")):
        return record
    return dict(await frame.evaluate(PROBE_JS, opts))


async def _probe_all(page: Page, tracker: RequestTracker, scope: tuple[str, ...], opts: dict[str, Any]) -> Observation:
    main = await probe(page.main_frame, opts)
    frames = [page.main_frame]
    elements, fields, texts, form_state = [], [], [main["text"]], list(main["form_state"])
    errors = list(main["errors"])
    forms = {f"0:{f['form']}": f["words"] for f in main.get("forms", [])}
    boxes = [{**box, "frame_no": 0} for box in main.get("boxes", [])]
    chat = bool(main.get("chat"))  # a chat open in the page or in one of its frames
    stored, opaque = [str(main.get("stored") or "")], bool(main.get("opaque"))
    for e in main["elements"]:
        e["frame"], e["frame_no"] = "main", 0
        elements.append(e)
    for f in main["fields"]:
        f["frame"], f["frame_no"] = "main", 0
        fields.append(f)
    for frame in page.main_frame.child_frames:
        if frame.is_detached() or not host_allowed(frame.url, scope) or frame.url in ("", "about:blank"):
            continue
        owner = await frame.frame_element()
        box = await owner.bounding_box()
        if not box or box["width"] < 2 or box["height"] < 2:
            continue
        result = await probe(frame, opts)
        frames.append(frame)
        number, key = len(frames) - 1, _frame_key(frame, page)
        blocked_by = main["veil"] or ("modal" if main["dialog"] else None)
        for e in result["elements"]:
            e["frame"], e["frame_no"] = key, number
            if "bbox" in e:
                e["bbox"] = [e["bbox"][0] + round(box["x"]), e["bbox"][1] + round(box["y"]), *e["bbox"][2:]]
                e["above_fold"] = e["bbox"][1] < main["viewport"][1]
            if blocked_by and not e.get("obscured_by"):
                e["obscured_by"] = blocked_by
            elements.append(e)
        for f in result["fields"]:
            f["frame"], f["frame_no"] = key, number
            fields.append(f)
        texts.append(result["text"])
        forms.update({f"{number}:{f['form']}": f["words"] for f in result.get("forms", [])})
        boxes += [{**box, "frame_no": number} for box in result.get("boxes", [])]
        errors += result["errors"]
        chat = chat or bool(result.get("chat"))
        stored.append(str(result.get("stored") or ""))
        opaque = opaque or bool(result.get("opaque"))
        form_state += [f"{key}:{entry}" for entry in result["form_state"]]
    _assign_keys(elements)
    return Observation(
        url=main["url"],
        title=main["title"],
        heading=main["heading"],
        lead=main["lead"],
        text=" ".join(t for t in texts if t),
        dialog=main["dialog"],
        veil=main["veil"],
        elements=[Control.from_dict(e) for e in elements],
        fields=[Field.from_dict(f) for f in fields],
        http_status=tracker.status,
        form_state=form_state,
        frames=frames,
        errors=errors,
        entry=main["entry"],
        document_id=main["document_id"],
        forms=forms,
        boxes=boxes,
        chat=chat,
        lang=str(main.get("lang") or ""),
        stored=[s for s in stored if s],
        pending=main.get("pending") if isinstance(main.get("pending"), dict) else None,
        opaque=opaque,
    )

"""Keeping secrets out of everything the auditor writes, in every encoding a page, a URL or a trace gives them.

What is secret (`secret_values`): the spec's `inputs` and setup `fill` values (passwords, card numbers,
e-mail addresses, `${ENV}` expansions), its extra headers' values (and the credential inside an
`Authorization: Bearer ...` or `Basic ...` value), its proxy's user name and password, and the cookies and
local-storage values of its saved session (`storage_state`).

Pages echo them ("Welcome back, sam@example.com", `?email=...`, an error quoting the field), scripts send them
(a JSON body, `Authorization: Basic base64(user:password)`), and a trace keeps all of it. So a `Redactor`
replaces each value by `[input]` in every form it may take: as typed; percent-encoded (URL, form and
encodeURIComponent styles); escaped for JSON (also the `\\u0026` style); escaped as HTML entities (named,
decimal, hex); any two of those nested (JSON of HTML, HTML of a URL), each character escaped or not (a DOM
serializer escapes only some); and inside base64 or base64url text at any byte offset (a whole base64 run that
decodes to something holding the value is masked, as in a Basic header).

Spec values shorter than MIN_LENGTH are left alone: replacing "1" or "ok" everywhere would garble the evidence
and hide nothing. Session values need SESSION_MIN_LENGTH: a saved session also holds flags ("1", "true",
"en-US") that are no secret, while its session ids and tokens are long.
"""

from __future__ import annotations

import base64
import binascii
import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from auditor.files import FileProblem, read_capped
from auditor.spec_model import MAX_STATE_BYTES, Secret

if TYPE_CHECKING:
    from auditor.spec_model import FlowSpec

MIN_LENGTH = 3
SESSION_MIN_LENGTH = 8
MASK = "[input]"
IDENTIFIERS = frozenset({"id", "key", "source", "target", "fingerprint", "state", "start", "goals", "result"})
_B64_CHARS = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")
_ALNUM = re.compile(r"[A-Za-z0-9]+")


# ---- what is secret --------------------------------------------------------------------------------------


def secret_values(spec: FlowSpec) -> list[str]:
    """Every value the spec may type or send, plus its saved session's (see the module docstring). A value
    its own field name holds (`Type CANCEL to confirm: CANCEL`: the page asks for that very word) is no secret:
    masking it would garble the field's name in every output and hide nothing."""
    values = [v.reveal() for key, v in spec.inputs.items() if v.reveal().lower() not in key.lower()]
    # what setup steps type (a goto's URL is no secret: masking it would hide the login page's address)
    values += [s.value.reveal() for s in spec.setup if s.action == "fill" and isinstance(s.value, Secret)]
    for header in spec.headers.values():  # an Authorization or API-key header
        values += header_parts(header.reveal())
    if spec.proxy is not None:  # its credentials (the server alone is shown: Proxy.shown)
        values += [spec.proxy.username or "", spec.proxy.password.reveal() if spec.proxy.password else ""]
    values = [v for v in values if isinstance(v, str) and v]
    if spec.storage_state:
        values += session_values(spec.storage_state)
    return list(dict.fromkeys(values))


def header_parts(value: str) -> list[str]:
    """A header value and the credentials inside it: `Bearer TOKEN` gives TOKEN too, `Basic B64` also the
    decoded `user:password`, the user and the password (a page may echo any of them)."""
    parts = [value]
    scheme, _, credential = value.strip().partition(" ")
    credential = credential.strip()
    if credential:
        parts.append(credential)
    if scheme.lower() == "basic" and credential:
        try:
            decoded = base64.b64decode(credential, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        user, _, password = decoded.partition(":")
        parts += [decoded, user, password]
    return [p for p in parts if p]


def session_values(path: str) -> list[str]:
    """The cookie values and local-storage values of a Playwright storage-state file (and the strings inside a
    value that is JSON, such as {"token": ...}), SESSION_MIN_LENGTH characters or longer."""
    try:
        data = json.loads(read_capped(path, MAX_STATE_BYTES))
    except (FileProblem, OSError, ValueError):
        return []  # the spec loader checked the file; one that went away since holds nothing to hide
    found: list[str] = []
    if not isinstance(data, dict):
        return found
    for cookie in data.get("cookies") or []:
        if isinstance(cookie, dict):
            found.append(str(cookie.get("value", "")))
    for origin in data.get("origins") or []:
        for item in (origin.get("localStorage") or []) if isinstance(origin, dict) else []:
            if isinstance(item, dict) and isinstance(item.get("value"), str):
                found.append(item["value"])
                found += _json_strings(item["value"])
    return [v for v in dict.fromkeys(found) if len(v) >= SESSION_MIN_LENGTH]


def _json_strings(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    out: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            stack += item.values()
        elif isinstance(item, list):
            stack += item
    return out


# ---- the forms a value takes -------------------------------------------------------------------------------


def _form_encoded(value: str) -> str:
    """application/x-www-form-urlencoded as browsers write it: only * - . _ and alphanumerics stay."""
    return quote_plus(value, safe="*").replace("~", "%7E")


def _entities(value: str, style: str) -> str:
    """`value` with & < > " ' written as HTML entities: named (&amp;), decimal (&#38;) or hex (&#x26;)."""
    named = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
    out = []
    for ch in value:
        if ch not in named:
            out.append(ch)
        elif style == "named":
            out.append(named[ch])
        elif style == "dec":
            out.append(f"&#{ord(ch)};")
        else:
            out.append(f"&#x{ord(ch):x};")
    return "".join(out)


def _json_html_safe(value: str) -> str:
    """JSON as Go's encoder and many templating engines write it: < > & as \\u003c \\u003e \\u0026."""
    text = json.dumps(value)[1:-1]
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


ENCODERS: tuple[Callable[[str], str], ...] = (
    quote,  # a URL path
    lambda v: quote(v, safe=""),
    lambda v: quote(v, safe="!~*'()"),  # encodeURIComponent
    quote_plus,
    _form_encoded,
    lambda v: json.dumps(v)[1:-1],
    lambda v: json.dumps(v, ensure_ascii=False)[1:-1],
    _json_html_safe,
    html.escape,  # &#x27; for '
    lambda v: html.escape(v, quote=False),
    lambda v: _entities(v, "named"),
    lambda v: _entities(v, "dec"),
    lambda v: _entities(v, "hex"),
)


def encodings(value: str) -> list[str]:
    """`value` as typed and in every form of ENCODERS, applied once or twice (JSON holding HTML, ...)."""
    once = {value} | {encode(value) for encode in ENCODERS}
    twice = {encode(form) for form in once for encode in ENCODERS}
    return sorted(once | twice, key=len, reverse=True)


def forms(values: Iterable[str], min_length: int = MIN_LENGTH) -> list[str]:
    """The values in every text form (`encodings`), longest first: for a plain replace in a request body."""
    out = {form for v in values if len(v) >= min_length for form in encodings(v)}
    return sorted(out, key=len, reverse=True)


# ---- masking -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """One secret as the masker looks for it: its text forms behind a cheap anchor, and its base64 cores."""

    anchor: str  # a piece every text form holds: when it is absent, no form is present
    pattern: re.Pattern[str]  # every text form (see _char)
    raw: bytes  # UTF-8
    cores: tuple[tuple[str, int, int], ...]  # (core, byte shift, chars before the core in its 4-char groups)


def _target(value: str, latin1: bool) -> _Target:
    raw = value.encode("utf-8")
    view: Callable[[str], str] = (lambda s: s.encode("utf-8").decode("latin-1")) if latin1 else (lambda s: s)
    pieces = _ALNUM.findall(value)
    anchor = max(pieces, key=len) if pieces else value
    cores = []
    for shift in range(3):  # the value may start at any byte of a 3-byte base64 group
        encoded = base64.b64encode(b"\0" * shift + raw).decode("ascii")
        first, end = -(-8 * shift // 6), 8 * (shift + len(raw)) // 6  # the characters only its bits decide
        core = encoded[first:end].rstrip("=")
        for alphabet in (core, core.translate(str.maketrans("+/", "-_"))):
            cores.append((alphabet, shift, first))
    pattern = re.compile("".join(_char(ch, view) for ch in value))
    return _Target(view(anchor), pattern, raw, tuple(dict.fromkeys(cores)))


def _char(ch: str, view: Callable[[str], str]) -> str:
    """A regex for one character of a secret in any of its encodings (`encodings` of the character alone), so
    a text where only some characters are escaped (a DOM serializer escapes & and " in attributes, & < > in
    text) still matches. Letters and digits stand for themselves: no encoder changes them."""
    if ch.isascii() and ch.isalnum():
        return ch
    variants = sorted({view(form) for form in encodings(ch)}, key=len, reverse=True)
    return "(?i:" + "|".join(re.escape(v) for v in variants) + ")"  # %c3, \u00fc, &AMP; and &#X26; too


class Redactor:
    """Masks a set of secret values (see the module docstring) in text, bytes or JSON-like data."""

    def __init__(self, values: Iterable[str], min_length: int = MIN_LENGTH) -> None:
        kept = sorted({v for v in values if len(v) >= min_length}, key=len, reverse=True)
        self.values = tuple(kept)
        self._text = [_target(v, latin1=False) for v in kept]
        self._bytes = [_target(v, latin1=True) for v in kept]

    @classmethod
    def for_spec(cls, spec: FlowSpec) -> Redactor:
        return cls(secret_values(spec))

    def __bool__(self) -> bool:
        return bool(self.values)

    def text(self, text: str) -> str:
        return _mask(text, self._text)

    def bytes(self, data: bytes) -> bytes:
        """Bytes of any encoding that is ASCII-compatible (UTF-8 text, JSON lines, HTML)."""
        if not self.values:
            return data
        return _mask(data.decode("latin-1"), self._bytes).encode("latin-1")

    def data(self, value: Any) -> Any:
        """`value` (JSON-like data) with every secret masked in every string but identifiers."""
        if not self.values:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: v if k in IDENTIFIERS else self.data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.data(v) for v in value]
        return value


def _mask(text: str, targets: list[_Target]) -> str:
    for target in targets:  # base64 first: a plain mask inside a base64 run would hide the run from it
        for core, shift, first in target.cores:
            if core in text:
                text = _mask_base64(text, target.raw, core, shift, first)
    for target in targets:
        if target.anchor in text:
            text = target.pattern.sub(MASK, text)
    return text


def _mask_base64(text: str, raw: bytes, core: str, shift: int, first: int) -> str:
    """Each run of base64 characters holding `core` where it decodes to `raw`, replaced by MASK."""
    spans: list[tuple[int, int]] = []
    at = text.find(core)
    while at >= 0:
        begin = at - first  # where the 4-char group holding the value's first byte starts
        segment = text[begin : begin + 4 * -(-(shift + len(raw)) // 3)] if begin >= 0 else ""
        cut = next((i for i, ch in enumerate(segment) if ord(ch) not in _B64_CHARS), len(segment))
        segment = segment[:cut].translate(str.maketrans("-_", "+/"))  # up to "=" padding, or the run's end
        segment += "A" * (-len(segment) % 4)  # zero bits past the value's own, which decide nothing
        try:
            decoded = base64.b64decode(segment.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            decoded = b""
        if decoded[shift : shift + len(raw)] == raw:
            start, end = begin, at + len(core)
            while start > 0 and ord(text[start - 1]) in _B64_CHARS:
                start -= 1
            while end < len(text) and (ord(text[end]) in _B64_CHARS or text[end] == "="):
                end += 1
            spans.append((start, end))
        at = text.find(core, at + 1)
    for start, end in reversed(_merged(spans)):
        text = text[:start] + MASK + text[end:]
    return text


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out

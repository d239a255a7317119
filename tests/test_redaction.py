"""redaction.py without a browser: every encoding of a secret is masked, and nothing else is."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from auditor.redaction import MASK, Redactor, header_parts, secret_values, session_values
from auditor.spec import load_specs

PASSWORD = "Tr0ub&4dor\"3<horse>'"
EMAIL = "sam.vault-7731@example.test"


def forms(value: str) -> dict[str, str]:
    return {
        "plain": value,
        "url": quote(value),
        "url-all": quote(value, safe=""),
        "form": quote_plus(value),
        "json": json.dumps(value)[1:-1],
        "json-html-safe": json.dumps(value)[1:-1].replace("&", "\\u0026").replace("<", "\\u003c"),
        "html": html.escape(value),
        "html-attribute": value.replace("&", "&amp;").replace('"', "&quot;"),
        "html-decimal": "".join(f"&#{ord(c)};" if c in "&<>\"'" else c for c in value),
        "html-in-json": json.dumps(html.escape(value))[1:-1],
        "url-in-html": html.escape(quote(value, safe="")),
        "base64": base64.b64encode(value.encode()).decode(),
        "base64url": base64.urlsafe_b64encode(value.encode()).decode().rstrip("="),
    }


@pytest.mark.parametrize("value", [PASSWORD, EMAIL, "kündigen-geheim-42"])
def test_every_form_is_masked(value: str) -> None:
    redactor = Redactor([value])
    for name, form in forms(value).items():
        masked = redactor.text(f"before {form} after")
        assert value not in masked and form not in masked and MASK in masked, (name, masked)
        assert masked.startswith("before ") and masked.endswith(" after"), (name, masked)
        assert MASK.encode() in redactor.bytes(f"<p>{form}</p>".encode())


@pytest.mark.parametrize("prefix", [b"", b"a", b"ab", b"user:", b"x" * 7])
def test_base64_at_any_offset_is_masked_as_a_whole_run(prefix: bytes) -> None:
    blob = prefix + PASSWORD.encode() + b":tail"
    redactor = Redactor([PASSWORD])
    for encoded in (base64.b64encode(blob).decode(), base64.urlsafe_b64encode(blob).decode()):
        assert redactor.text(f"Authorization: Basic {encoded}\n") == f"Authorization: Basic {MASK}\n"


def test_other_text_is_left_alone() -> None:
    redactor = Redactor([PASSWORD, "ok"])  # "ok" is too short to be worth masking
    text = "Okay, ok: Tr0ub4dor is not the password; c2FtcGxl is base64 of something else. &amp; %26"
    assert redactor.text(text) == text
    assert redactor.data({"key": PASSWORD, "label": PASSWORD, "n": 3}) == {"key": PASSWORD, "label": MASK, "n": 3}


def test_header_credentials() -> None:
    basic = "Basic " + base64.b64encode(b"ann:s3cret-pw").decode()
    assert set(header_parts(basic)) >= {"ann:s3cret-pw", "s3cret-pw", "ann", basic}
    assert "tok-123456" in header_parts("Bearer tok-123456")


def test_a_spec_s_secrets_include_its_session_and_proxy(tmp_path: Path) -> None:
    state = {
        "cookies": [{"name": "sid", "value": "sess-0123456789"}, {"name": "consent", "value": "1"}],
        "origins": [{"origin": "https://shop.test", "localStorage": [
            {"name": "auth", "value": json.dumps({"token": "tok-abcdefgh", "lang": "en"})},
            {"name": "theme", "value": "dark"},
        ]}],
    }  # fmt: skip
    (tmp_path / "state.json").write_text(json.dumps(state))
    assert set(session_values(str(tmp_path / "state.json"))) == {
        "sess-0123456789",
        "tok-abcdefgh",
        state["origins"][0]["localStorage"][0]["value"],
    }
    spec = tmp_path / "flow.yaml"
    spec.write_text(
        "name: f\nkind: cancellation\nstart: https://shop.test/\ngoal: {text: done}\nstorage_state: state.json\n"
        "inputs: {Password: pw-value-1}\nheaders: {Authorization: Bearer hdr-token-9}\n"
        "proxy: http://px-user:px%2Fpass@127.0.0.1:3128\n"
    )
    values = secret_values(load_specs([spec])[0])
    assert {"pw-value-1", "hdr-token-9", "px-user", "px/pass", "sess-0123456789", "tok-abcdefgh"} <= set(values)
    assert "1" not in values and "dark" not in values

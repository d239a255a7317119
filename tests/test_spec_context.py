"""Issue 16's spec keys: a saved session, who and where the browser is, relative setup URLs, the spec's hash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.browser import context_options
from auditor.errors import InputError
from auditor.redaction import secret_values
from auditor.spec import Geolocation, SetupStep, load_specs

BASE = """\
name: primebox cancel
kind: cancellation
start: https://primebox.test/account/
goal:
  text: Cancelled
"""
STATE = {"cookies": [{"name": "sid", "value": "x", "domain": "primebox.test", "path": "/"}], "origins": []}


def write(folder: Path, text: str, name: str = "flow.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_context_keys_are_loaded_and_applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "primebox.json").write_text(json.dumps(STATE))
    monkeypatch.setenv("API_TOKEN", "tok-123456")
    path = write(
        tmp_path,
        BASE
        + """\
storage_state: state/primebox.json
locale: de-DE
timezone: Europe/Berlin
geolocation: {latitude: 52.52, longitude: 13.405}
headers:
  X-Api-Token: ${API_TOKEN}
proxy: {server: "http://proxy.example:3128", username: me, password: hunter22}
""",
    )
    (spec,) = load_specs([path])
    assert spec.storage_state == str(tmp_path / "state" / "primebox.json")
    assert (spec.locale, spec.timezone) == ("de-DE", "Europe/Berlin")
    assert spec.geolocation == Geolocation(52.52, 13.405)
    options = context_options(spec)
    assert options["storage_state"] == spec.storage_state
    assert options["locale"] == "de-DE" and options["timezone_id"] == "Europe/Berlin"
    assert options["geolocation"]["latitude"] == 52.52 and options["permissions"] == ["geolocation"]
    assert options["extra_http_headers"] == {"X-Api-Token": "tok-123456"}
    assert options["proxy"] == {"server": "http://proxy.example:3128", "username": "me", "password": "hunter22"}
    record = spec.context_record()
    assert record["headers"] == ["X-Api-Token"] and record["proxy"] == "http://proxy.example:3128"
    shown = json.dumps(record) + repr(spec)
    assert "tok-123456" not in shown and "hunter22" not in shown
    assert {"tok-123456", "hunter22"} <= set(secret_values(spec))
    assert len(spec.digest) == 64


def test_proxy_as_a_plain_url(tmp_path: Path) -> None:
    (spec,) = load_specs([write(tmp_path, BASE + "proxy: socks5://127.0.0.1:1080\n")])
    assert context_options(spec)["proxy"] == {"server": "socks5://127.0.0.1:1080"}


def test_setup_urls_are_relative_to_start(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "setup:\n  - goto: /login\n  - goto: ../help\n  - goto: https://sso.test/\n")
    (spec,) = load_specs([path])
    assert [s.value for s in spec.setup] == [
        "https://primebox.test/login",
        "https://primebox.test/help",
        "https://sso.test/",
    ]
    assert spec.setup[0] == SetupStep("goto", value="https://primebox.test/login", line=7, number=1)


def test_the_spec_hash_follows_the_spec(tmp_path: Path) -> None:
    (one,) = load_specs([write(tmp_path, BASE)])
    (two,) = load_specs([write(tmp_path, BASE.replace("Cancelled", "Done"), "other.yaml")])
    assert one.digest != two.digest


@pytest.mark.parametrize(
    ("extra", "line", "fragment"),
    [
        ("storage_state: missing.json\n", 6, "storage_state: no such file"),
        ("storage_state: bad.json\n", 6, "is not a readable JSON file"),
        ("storage_state: list.json\n", 6, "is not a Playwright storage state"),
        ("locale: German\n", 6, "locale"),
        ("timezone: Berlin time\n", 6, "timezone"),
        ("geolocation: {latitude: 95, longitude: 0}\n", 6, "geolocation.latitude"),
        ("headers: {'bad header': x}\n", 6, "headers"),
        ("proxy: ftp://proxy.example\n", 6, "is not a proxy"),
    ],
)
def test_bad_context_keys_say_where(tmp_path: Path, extra: str, line: int, fragment: str) -> None:
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "list.json").write_text("[1, 2]")
    path = write(tmp_path, BASE + extra)
    with pytest.raises(InputError) as info:
        load_specs([path])
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert fragment in message, message


def test_a_missing_state_file_is_fine_for_login(tmp_path: Path) -> None:
    (spec,) = load_specs([write(tmp_path, BASE + "storage_state: later.json\n")], need_state=False)
    assert spec.storage_state == str(tmp_path / "later.json")

"""Issue 16 without a browser: what makes a start page a bot wall or a login screen, one-off specs from
options, `auditor init`'s spec, a trace scrubbed of secrets, and the report's "seen from" line."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml

from auditor.classify import Vocabulary
from auditor.errors import InputError
from auditor.explore.observe import Observation
from auditor.explore.trace import masked_zip
from auditor.explore.walls import StartStatus, bot_wall, login_screen, refused_status
from auditor.oneoff import init_text, spec_from_options
from auditor.records import Control, Field
from auditor.redaction import Redactor
from auditor.report.seen import as_seen
from auditor.spec import Secret, load_spec_file, load_specs

VOCAB = Vocabulary.default()


def look(title: str = "Account", heading: str = "Your account", text: str = "", **kw: object) -> Observation:
    return Observation(
        url="https://shop.test/", title=title, heading=heading, text=text, dialog=None, veil=None,
        elements=list(kw.get("elements", [])), fields=list(kw.get("fields", [])), http_status=200,
    )  # fmt: skip


def buttons(n: int) -> list[Control]:
    return [Control(label=f"Button {i}", key=f"b{i}", kind="click", role="button", visible=True) for i in range(n)]


def test_a_challenge_page_is_a_wall_by_its_words_or_its_status() -> None:
    page = look("Just a moment...", "Verify you are human", "Checking if the site connection is secure")
    assert "Just a moment..." in (bot_wall(VOCAB, page, StartStatus(200), []) or "")
    why = bot_wall(VOCAB, page, StartStatus(403, "Forbidden"), [])
    assert why and why.startswith("the start page answered HTTP 403 Forbidden, a bot wall")
    busy = bot_wall(VOCAB, look("Too Many Requests"), StartStatus(429, "", "120"), [])
    assert busy and "rate limited, Retry-After: 120)" in busy


def test_a_captcha_widget_walls_a_page_that_offers_little_else() -> None:
    frame = [{"src": "https://www.google.com/recaptcha/api2/anchor?k=1", "shown": True}]
    assert "challenge widget (www.google.com)" in (
        bot_wall(VOCAB, look(elements=buttons(1)), StartStatus(200), frame) or ""
    )
    # an invisible reCAPTCHA on a full page (a sign-up form with a score check) is no wall
    assert bot_wall(VOCAB, look(elements=buttons(12)), StartStatus(200), frame) is None
    hidden = [{"src": "https://www.google.com/recaptcha/api.js", "shown": False}]
    assert bot_wall(VOCAB, look(elements=buttons(1)), StartStatus(200), hidden) is None


def test_a_plain_error_status_is_said_as_before() -> None:
    assert bot_wall(VOCAB, look("Forbidden"), StartStatus(403, "Forbidden"), []) is None
    assert refused_status(StartStatus(403, "Forbidden"), "https://shop.test/") == (
        "the start page answered HTTP 403 Forbidden (https://shop.test/)"
    )
    assert refused_status(StartStatus(200), "https://shop.test/") is None


def test_a_login_screen_asks_for_a_password_or_says_sign_in() -> None:
    assert login_screen(VOCAB, look(fields=[Field(label="Password", type="password")])) == "it asks for a password"
    assert login_screen(VOCAB, look("Sign in – Shop", "Welcome back")) == 'it says "Sign in"'
    assert login_screen(VOCAB, look("Konto", "Bitte anmelden")) == 'it says "anmelden"'
    assert login_screen(VOCAB, look(text="Sign in to see your offers")) is None  # body text is not the screen


def test_one_flow_from_options() -> None:
    spec = spec_from_options(
        {"kind": "cancellation", "start": "https://www.shop.test/account", "goal": {"text": ["Done"]}}
    )
    assert spec.name == "shop.test-cancellation" and spec.goal.text == ("Done",)
    with pytest.raises(InputError, match=r"^\(command line\):1: start: 'shop' is not an absolute"):
        spec_from_options({"kind": "cancellation", "start": "shop", "goal": {"text": ["Done"]}})


def test_init_writes_a_spec_that_loads(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(init_text("https://shop.test/account?a=1#top", "cancellation", str(path)))
    (spec,) = load_specs([path])
    assert spec.start == "https://shop.test/account?a=1#top" and spec.kind == "cancellation"


# a commented line that holds YAML (`# key: ...`, `#   - step: ...`), not prose: uncommenting keeps its indent
COMMENTED_KEY = re.compile(r"^(\s*)# ?(\s*(?:- )?[\w.-]+:(?:\s|$).*)$")


def uncommented(text: str) -> tuple[str, int]:
    """Every commented YAML line of `text` uncommented, and how many there were."""
    lines = [COMMENTED_KEY.sub(r"\1\2", line) for line in text.splitlines()]
    return "\n".join(lines) + "\n", sum(a != b for a, b in zip(lines, text.splitlines(), strict=True))


@pytest.mark.parametrize("kind", ["cancellation", "purchase"])
def test_the_init_template_loads_with_every_line_uncommented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    for name in ("SITE_EMAIL", "SITE_PASSWORD", "STAGING_TOKEN"):
        monkeypatch.setenv(name, f"{name.lower()}-value")
    path = tmp_path / "flow.yaml"
    text, count = uncommented(init_text("https://shop.test/account", kind, str(path)))
    path.write_text(text)
    assert count >= 15  # every optional key of the template, setup steps and inputs included
    (spec,) = load_spec_file(path, need_state=False)  # the session file is written by `auditor login`
    assert [(s.action, s.target) for s in spec.setup[1:3]] == [("fill", "E-Mail"), ("fill", "Password")]
    assert isinstance(spec.setup[1].value, Secret) and spec.setup[1].value.reveal() == "site_email-value"
    assert spec.inputs["Password"].reveal() == "site_password-value"
    assert spec.headers["X-Staging-Token"].reveal() == "staging_token-value"


def test_every_docs_yaml_example_loads_with_every_line_uncommented() -> None:
    root = Path(__file__).parent.parent
    pages = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    blocks = [b for page in pages for b in re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), re.S)]
    assert len(blocks) >= 4
    for block in blocks:
        yaml.safe_load(uncommented(block)[0])  # raises on a ${VAR} left bare inside { }


def test_a_trace_keeps_no_secret(tmp_path: Path) -> None:
    raw, path = tmp_path / "raw.zip", tmp_path / "trace.zip"
    with zipfile.ZipFile(raw, "w") as out:
        out.writestr("trace.trace", '{"method":"fill","params":{"value":"hunter2-secret"}}\n')
        out.writestr("trace.network", "cookie: a=1; body=hunter2-secret")
    masked_zip(raw, path, Redactor(["hunter2-secret"]))
    with zipfile.ZipFile(path) as back:
        assert sorted(back.namelist()) == ["trace.network", "trace.trace"]
        text = back.read("trace.trace").decode() + back.read("trace.network").decode()
    assert "hunter2-secret" not in text and text.count("[input]") == 2


def test_seen_from_says_who_and_where() -> None:
    context = {"device": None, "viewport": {"width": 1280, "height": 800}, "locale": "de-DE",
               "timezone": "Europe/Berlin", "geolocation": {"latitude": 52.52, "longitude": 13.405},
               "headers": ["X-Token"], "proxy": "http://proxy.test:3128", "storage_state": "/x/state.json"}  # fmt: skip
    assert as_seen(context) == (
        "1280×800, de-DE, Europe/Berlin, at 52.52, 13.405, via http://proxy.test:3128, headers: X-Token, "
        "saved session state.json"
    )
    assert as_seen(context, where_only=True) == "de-DE, Europe/Berlin, at 52.52, 13.405, via http://proxy.test:3128"
    assert as_seen(None) == ""

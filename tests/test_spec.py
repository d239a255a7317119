"""Flow spec loading: what a valid file becomes, and the `file:line: message` for each kind of mistake."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.redaction import secret_values
from auditor.schema_check import validator
from auditor.spec import (
    SCHEMA,
    ExploreOptions,
    Goal,
    RequestMatch,
    Secret,
    SetupStep,
    SourceRef,
    Timeouts,
    Viewport,
    load_spec_file,
    load_specs,
)

# Line numbers in BASE are what the broken variants below are measured against.
BASE = """\
name: primebox cancel
kind: cancellation
start: https://primebox.test/account
goal:
  text: Your subscription is cancelled
explore:
  max_states: 40
"""

FULL = """\
# PrimeBox: cancelling must not be harder than signing up
name: primebox cancel
kind: cancellation
start: https://primebox.test/account
goal:
  text: [Your subscription is cancelled, Subscription ended]
  url: "*/cancelled"
  request: {method: post, url: "*/api/cancel"}
compare_with: primebox signup
profile: child
charges:
  - {method: POST, url: "*/api/charge"}
  - url: "*/pay"
inputs:
  Email: tester@primebox.test
setup:
  - goto: https://primebox.test/login
  - fill:
      Email: tester@primebox.test
      Password: open sesame
  - press: {target: Password, key: Enter}
  - click: "css=#account"
  - wait_for: Your account
explore:
  max_states: 80
  max_depth: 20
  max_actions: 900
  avoid: [Delete account, "css=.danger"]
  allow_domains: [primebox.test, "*.PrimeBox-cdn.test"]
  exhaustive: true
  timeouts: {navigation: 30, action: 2.5}
viewport: {width: 390, height: 844}
device: iPhone 13
"""

SIGNUP = """\
name: primebox signup
kind: signup
start: https://primebox.test/join
goal: {text: Welcome}
"""


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PRIMEBOX_URL", "PRIMEBOX_PASSWORD", "PRIMEBOX_PIN"):
        monkeypatch.delenv(name, raising=False)


def write(tmp_path: Path, content: str | bytes, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def error_text(*paths: Path) -> str:
    with pytest.raises(InputError) as info:
        load_specs(paths)
    return str(info.value)


def assert_error_at(message: str, path: Path, line: int, fragment: str) -> None:
    """Some line of `message` is `path:line: ...fragment...`."""
    assert message.startswith(str(path))
    prefix = f"{path}:{line}: "
    assert any(row.startswith(prefix) and fragment in row for row in message.splitlines()), message


# ---- valid files ---------------------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    assert validator(SCHEMA).schema["$schema"].endswith("2020-12/schema")


def test_full_single_flow(tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    signup = write(tmp_path, SIGNUP, "signup.yaml")
    spec, _ = load_specs([path, signup])
    assert spec.name == "primebox cancel"
    assert spec.kind == "cancellation"
    assert spec.source == SourceRef(str(path), 1)
    assert spec.goal == Goal(
        text=("Your subscription is cancelled", "Subscription ended"),
        url="*/cancelled",
        request=RequestMatch("POST", "*/api/cancel"),
    )
    assert spec.compare_with == "primebox signup"
    assert spec.profile == "child"
    assert spec.charges == (RequestMatch("POST", "*/api/charge"), RequestMatch("*", "*/pay"))
    assert spec.inputs == {"Email": Secret("tester@primebox.test")}
    assert spec.setup == (
        SetupStep("goto", value="https://primebox.test/login", line=17, number=1),
        SetupStep("fill", target="Email", value=Secret("tester@primebox.test"), line=19, number=2),  # one step,
        SetupStep("fill", target="Password", value=Secret("open sesame"), line=20, number=2),  # two fields
        SetupStep("press", target="Password", value="Enter", line=21, number=3),
        SetupStep("click", target="css=#account", line=22, number=4),
        SetupStep("wait_for", target="Your account", line=23, number=5),
    )
    assert spec.explore == ExploreOptions(
        max_states=80,
        max_depth=20,
        max_actions=900,
        avoid=("Delete account", "css=.danger"),
        allow_domains=("primebox.test", "*.primebox-cdn.test"),
        exhaustive=True,
        timeouts=Timeouts(navigation=30.0, action=2.5),
    )
    assert spec.viewport == Viewport(390, 844)
    assert spec.device == "iPhone 13"


def test_flows_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        textwrap.dedent("""\
            flows:
              - name: primebox cancel
                kind: cancellation
                start: https://primebox.test/account
                goal: {text: Cancelled}
                compare_with: primebox signup

              - name: primebox signup
                kind: signup
                start: https://primebox.test/join
                goal: {url: "*/welcome"}
            """),
    )
    cancel, signup = load_spec_file(path)
    assert (cancel.name, signup.name) == ("primebox cancel", "primebox signup")
    assert (cancel.source, signup.source) == (SourceRef(str(path), 2), SourceRef(str(path), 8))
    assert signup.goal == Goal(url="*/welcome")
    assert load_specs([path]) == [cancel, signup]


def test_defaults_and_purchase_needs_no_goal(tmp_path: Path) -> None:
    path = write(tmp_path, "name: buy\nkind: purchase\nstart: http://shop.test\n")
    (spec,) = load_specs([path])
    assert spec.goal.empty
    assert spec.profile == "adult"
    assert (spec.compare_with, spec.device, spec.charges, spec.inputs, spec.setup) == (None, None, (), {}, ())
    assert spec.explore == ExploreOptions()
    assert spec.viewport == Viewport()


def test_env_expansion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIMEBOX_URL", "https://primebox.test")
    monkeypatch.setenv("PRIMEBOX_PASSWORD", "hunter2")
    text = BASE.replace("https://primebox.test", "${PRIMEBOX_URL}") + textwrap.dedent("""\
        charges: [{url: "${PRIMEBOX_URL}/pay"}]
        inputs: {Password: "${PRIMEBOX_PASSWORD}"}
        setup:
          - goto: ${PRIMEBOX_URL}/login
          - fill: {Password: "pw=${PRIMEBOX_PASSWORD}"}
        """)
    (spec,) = load_specs([write(tmp_path, text)])
    assert spec.start == "https://primebox.test/account"
    assert spec.charges == (RequestMatch("*", "https://primebox.test/pay"),)
    assert spec.inputs["Password"].reveal() == "hunter2"
    assert spec.setup[0].value == "https://primebox.test/login"
    assert spec.setup[1].value == Secret("pw=hunter2")


def test_dollar_dollar_is_a_literal_dollar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIMEBOX_PIN", "42")
    text = BASE + 'inputs: {Price: "$$9.99", Note: "$${PRIMEBOX_PIN}", Both: "$$${PRIMEBOX_PIN}", Lone: "a$b"}\n'
    (spec,) = load_specs([write(tmp_path, text)])
    revealed = {key: value.reveal() for key, value in spec.inputs.items()}
    assert revealed == {"Price": "$9.99", "Note": "${PRIMEBOX_PIN}", "Both": "$42", "Lone": "a$b"}


def test_input_numbers_become_the_text_as_written(tmp_path: Path) -> None:
    text = BASE + "inputs: {PIN: 0123, Zip: 10115, Amount: 12.50}\nsetup:\n  - fill: {Code: 007}\n"
    (spec,) = load_specs([write(tmp_path, text)])
    assert {key: value.reveal() for key, value in spec.inputs.items()} == {
        "PIN": "0123",
        "Zip": "10115",
        "Amount": "12.50",
    }
    assert spec.setup[0].value == Secret("007")


def test_a_value_its_own_field_name_holds_is_no_secret(tmp_path: Path) -> None:
    """`Type CANCEL to confirm: CANCEL`: the page asks for that very word, so masking it would only garble the
    field's name in every output; every other value is masked."""
    text = BASE + "inputs: {Type CANCEL to confirm: CANCEL, Password: hunter2, Email: cancel@x.test}\n"
    (spec,) = load_specs([write(tmp_path, text)])
    assert sorted(secret_values(spec)) == ["cancel@x.test", "hunter2"]


def test_secrets_never_show(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "inputs: {Password: hunter2}\n")
    (spec,) = load_specs([path])
    for shown in (repr(spec), str(spec), repr(spec.inputs), str(spec.inputs["Password"]), f"{spec.inputs}"):
        assert "hunter2" not in shown
    broken = [
        "inputs: {Password: [hunter2]}\n",
        'inputs: {Password: "hunter2${PRIMEBOX_PASSWORD}"}\n',
        "setup:\n  - fill: {Password: {hunter2: hunter2}}\n",
        'setup:\n  - fill: {Password: "hunter2${NOT A NAME}"}\n',
    ]
    for extra in broken:
        message = error_text(write(tmp_path, BASE + extra))
        assert message.startswith(f"{path}:"), message
        assert "hunter2" not in message


# ---- broken files: (what, content, line, fragment) -------------------------------------------------------

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)

BROKEN = [
    ("yaml syntax", BASE.replace("text: Your", "text: [Your"), 6, "invalid YAML"),
    ("tab indentation", BASE.replace("  max_states", "\tmax_states"), 7, "indent with spaces"),
    ("unknown top-level key", BASE + "gaol: {text: x}\n", 8, "unknown key 'gaol' (did you mean 'goal'?)"),
    (
        "unknown key in explore",
        BASE.replace("max_states", "max_sates"),
        7,
        "explore: unknown key 'max_sates'",
    ),
    ("wrong type", BASE.replace("40", "ten"), 7, "explore.max_states: expected a whole number, got 'ten'"),
    ("out of range", BASE.replace("40", "0"), 7, "explore.max_states: must be at least 1, got 0"),
    (
        "bad enum",
        BASE.replace("kind: cancellation", "kind: cancel"),
        2,
        "kind: 'cancel' is not one of cancellation, signup, purchase, in_app_purchase",
    ),
    (
        "missing goal",
        BASE.replace("goal:\n  text: Your subscription is cancelled\n", ""),
        1,
        "goal: required",
    ),
    ("missing start", BASE.replace("start: https://primebox.test/account\n", ""), 1, "required key 'start'"),
    ("start not a URL", BASE.replace("https://", ""), 3, "not an absolute http(s) URL"),
    ("start not http", BASE.replace("https://", "ftp://"), 3, "not an absolute http(s) URL"),
    ("goto not http", BASE + "setup:\n  - goto: ftp://primebox.test/login\n", 9, "setup[0].goto: 'ftp://primebox"),
    (
        "missing env var",
        BASE.replace("https://primebox.test", "${PRIMEBOX_URL}"),
        3,
        "PRIMEBOX_URL is not set",
    ),
    ("bad variable name", BASE.replace("account", "${PRIMEBOX URL}"), 3, "a ${...} reference needs a name"),
    ("duplicate key", BASE + "kind: signup\n", 8, "duplicate key 'kind'"),
    ("key read as bool", BASE + "inputs:\n  yes: 1\n", 9, "quote it"),
    ("custom tag", BASE + "device: !env DEVICE\n", 8, "unsupported tag '!env'"),
    ("unknown compare_with", BASE + "compare_with: primebox signup\n", 8, "no flow named 'primebox signup'"),
    ("compare with itself", BASE + "compare_with: primebox cancel\n", 8, "cannot compare with itself"),
    ("empty file", "", 1, "file is empty"),
    ("only comments", "# nothing yet\n", 1, "file is empty"),
    ("not UTF-8", BASE.encode() + b"device: Caf\xe9 phone\n", 8, "not UTF-8"),
    ("empty flows list", "flows: []\n", 1, "flows: must not be empty"),
    ("flows not a list", "flows:\n  name: x\n", 1, "flows: expected a list, got a mapping"),
    ("plain list document", "- name: x\n- name: y\n", 1, "must be a mapping"),
    (
        "second flow broken",
        "flows:\n  - name: a\n    kind: purchase\n    start: https://a.test\n  - name: b\n",
        5,
        "flows[1].kind: required key 'kind' is missing",
    ),
    (
        "step with two actions",
        BASE + "setup:\n  - goto: https://a.test\n    click: Go\n",
        9,
        "at most 1 key, not 2 (goto, click)",
    ),
    (
        "unknown step",
        BASE + "setup:\n  - tap: Go\n",
        9,
        "unknown key 'tap' (known keys: goto, click, fill, press, wait_for)",
    ),
    ("bad hostname", BASE + "  allow_domains: [shop.test:8080]\n", 8, "is not a hostname"),
    (
        "goal text empty",
        BASE.replace("text: Your subscription is cancelled", "text: []"),
        5,
        "must not be empty",
    ),
    (
        "goal text wrong type",
        BASE.replace("Your subscription is cancelled", "{a: 1}"),
        5,
        "a string or a list",
    ),
]


@pytest.mark.parametrize(("content", "line", "fragment"), [case[1:] for case in BROKEN], ids=[c[0] for c in BROKEN])
def test_broken_file(tmp_path: Path, content: str | bytes, line: int, fragment: str) -> None:
    path = write(tmp_path, content)
    assert_error_at(error_text(path), path, line, fragment)


def test_duplicate_name_in_one_file_points_at_the_second(tmp_path: Path) -> None:
    flows = "flows:\n" + textwrap.indent(SIGNUP, "    ") * 2
    path = write(tmp_path, flows.replace("    name:", "  - name:"))
    message = error_text(path)
    assert message == f"{path}:6: flow name 'primebox signup' is already used at {path}:2"


def test_duplicate_flow_names_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, SIGNUP, "a.yaml")
    second = write(tmp_path, "# the same flow again\n" + SIGNUP, "b.yaml")
    message = error_text(first, second)
    assert message == f"{second}:2: flow name 'primebox signup' is already used at {first}:1"


def test_compare_with_across_files(tmp_path: Path) -> None:
    cancel = write(tmp_path, BASE + "compare_with: primebox signup\n", "cancel.yaml")
    signup = write(tmp_path, SIGNUP, "signup.yaml")
    assert [spec.name for spec in load_specs([cancel, signup])] == ["primebox cancel", "primebox signup"]
    assert_error_at(error_text(cancel), cancel, 8, "no flow named 'primebox signup' is loaded")


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, BOMB)
    with pytest.raises(InputError, match="more than 200,000 values") as info:
        load_specs([path])
    assert re.match(rf"{re.escape(str(path))}:\d+: ", str(info.value))


def test_self_referencing_anchor_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "  avoid: &loop [*loop]\n")
    assert_error_at(error_text(path), path, 8, "nesting is deeper than 64 levels")


def test_all_mistakes_of_all_files_at_once(tmp_path: Path) -> None:
    one = write(tmp_path, BASE.replace("cancellation", "cancel").replace("40", "ten"), "one.yaml")
    two = write(tmp_path, "", "two.yaml")
    with pytest.raises(InputError) as info:
        load_specs([one, two])
    assert info.value.file is None
    assert str(info.value).splitlines() == [
        f"{one}:2: kind: 'cancel' is not one of cancellation, signup, purchase, in_app_purchase",
        f"{one}:7: explore.max_states: expected a whole number, got 'ten'",
        f"{two}:1: file is empty",
    ]


def test_single_error_keeps_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, BASE + "gaol: x\n")
    with pytest.raises(InputError) as info:
        load_spec_file(path)
    assert (info.value.file, info.value.line) == (str(path), 8)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert error_text(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: file not found"
    assert error_text(tmp_path) == f"{tmp_path}: is a directory, not a file"


def test_oversized_and_overly_deep_files(tmp_path: Path) -> None:
    huge = write(tmp_path, b"# " + b"x" * (5 * 1024 * 1024), "huge.yaml")
    assert error_text(huge) == f"{huge}: file is larger than 5 MB"
    deep = write(tmp_path, "[" * 1000 + "]" * 1000, "deep.yaml")
    assert error_text(deep) == f"{deep}: nesting is deeper than 64 levels"

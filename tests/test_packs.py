"""Rule packs: loading, the extends chain, the merge, and file:line errors for every kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.rules import pack as pack_module
from auditor.rules.pack import load_rules, shipped_dir, shipped_names

GOOD_RULE = """\
  - id: team.steps
    title: Too many steps for our taste
    severity: warning
    applies_to: [cancellation]
    check: steps
    options: {max_steps: 3}
    message: "{steps} steps (limit {max_steps})"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_shipped_packs_load_and_extend_core():
    assert {"core", "us-ftc", "us-ca", "us-mn", "us-ny", "de", "eu", "uk"} <= set(shipped_names())
    for name in shipped_names():
        rules = load_rules([name])
        assert "cancel.too-many-steps" in rules.rules
        assert rules.packs[0].name == "core"


def test_shipped_packs_pass_every_check_a_users_pack_gets():
    """A run reads the shipped packs without checking them (pack.load_pack_file): here each is checked as a
    user's pack is, schema, rules, messages and regular expressions, alone and merged along its chain."""
    for name in shipped_names():
        vocabulary: dict = {}
        for shipped in load_rules([name]).packs:
            pack = pack_module._checked(shipped.doc, shipped.path)  # raises InputError on any problem
            pack_module._union(vocabulary, pack.data.get("vocabulary") or {})
            assert pack_module._combined_problems(pack, vocabulary) == [], (name, pack.name)


def test_a_shipped_pack_is_read_unchecked_and_a_copy_of_it_checked(tmp_path):
    core = load_rules().packs[0]
    assert core.shipped and core.name == "core"
    broken = write(tmp_path, "core.yaml", (shipped_dir() / "core.yaml").read_text(encoding="utf-8") + "\nbogus: 1\n")
    with pytest.raises(InputError):
        load_rules([str(broken)])


def test_jurisdiction_packs_add_law_and_tighten():
    de = load_rules(["de"])
    assert de.rules["cancel.too-many-steps"].options["max_steps"] == 2
    assert any("312k" in r.get("section", "") for r in de.rules["cancel.login-wall"].references)
    assert de.rules["cancel.login-wall"].severity == "error"
    ftc = load_rules(["us-ftc"])
    statuses = [r.get("status") for r in ftc.rules["cancel.no-online-path"].references]
    assert any(s.startswith("vacated 2025-07-08") and "2026-03-13" in s for s in statuses)
    assert "us-ca.click-to-cancel-on-offers" in load_rules(["us-ca"]).rules


def test_team_pack_extends_overrides_and_disables(tmp_path):
    team = write(
        tmp_path,
        "team.yaml",
        f"""\
pack: team
version: 0.1.0
extends: [us-ca]
rules:
{GOOD_RULE}
overrides:
  - id: cancel.too-many-steps
    options: {{max_steps: 10}}
    severity: error
  - id: cancel.forced-survey
    enabled: false
vocabulary:
  intents:
    exit:
      nl: [opzeggen]
""",
    )
    rules = load_rules([str(team)])
    assert [p.name for p in rules.packs] == ["core", "us-ca", "team"]
    steps = rules.rules["cancel.too-many-steps"]
    assert steps.options["max_steps"] == 10 and steps.severity == "error" and steps.pack == "core"
    assert "cancel.forced-survey" not in {r.id for r in rules.enabled}
    assert rules.rules["team.steps"].source.line == 5
    assert rules.vocabulary.intent("Abonnement opzeggen") == "exit"
    assert rules.vocabulary.intent("Cancel membership") == "exit"  # core's phrases are still there


def test_diamond_is_merged_once(tmp_path):
    both = write(tmp_path, "both.yaml", "pack: both\nversion: '1'\nextends: [us-ca, de]\n")
    rules = load_rules([str(both)])
    assert [p.name for p in rules.packs] == ["core", "us-ca", "de", "both"]


def test_every_shipped_reference_is_dated():
    """A status ("not yet in force", "vacated") is only as good as the day it was checked."""
    for name in shipped_names():
        for rule in load_rules([name]).rules.values():
            for ref in rule.references:
                assert ref.get("law") and ref.get("status") and ref.get("as_of"), (name, rule.id, ref)


def test_an_override_that_leaves_options_alone_keeps_required_ones(tmp_path):
    """`phrases` (required_label) and `terms` (terms_at_enrolment) have no default; turning such a rule off or on
    must not ask for them again."""
    team = write(
        tmp_path,
        "team.yaml",
        "pack: team\nversion: '1'\nextends: [de]\noverrides:\n  - id: de.order-button-label\n    enabled: false\n"
        "  - id: purchase.terms-at-enrolment\n    enabled: true\n",
    )
    rules = load_rules([str(team)])
    assert not rules.rules["de.order-button-label"].enabled
    assert rules.rules["purchase.terms-at-enrolment"].options["terms"]["cancel_how"] == "how to cancel"


def test_several_rules_options_merge_in_order():
    rules = load_rules(["de", "us-ca"])
    assert {"de.cancel-button-label", "us-ca.click-to-cancel-on-offers"} <= set(rules.rules)


BROKEN = {
    "yaml syntax": ("pack: x\nversion: '1'\nrules: [\n", 3, "invalid YAML"),
    "unknown key": ("pack: x\nversion: '1'\nrule: []\n", 3, "unknown key 'rule'"),
    "missing key": (
        "pack: x\nversion: '1'\nrules:\n  - id: x.y\n    title: t\n    severity: info\n"
        "    applies_to: [cancellation]\n    check: steps\n",
        4,
        "message",
    ),
    "bad severity": ("pack: x\nversion: '1'\nrules:\n" + GOOD_RULE.replace("warning", "fatal"), 6, "fatal"),
    "wrong type": (
        "pack: x\nversion: '1'\nrules:\n" + GOOD_RULE.replace("[cancellation]", "cancellation"),
        7,
        "applies_to",
    ),
    "unknown check": (
        "pack: x\nversion: '1'\nrules:\n" + GOOD_RULE.replace("check: steps", "check: stepz"),
        8,
        "unknown check 'stepz' (did you mean 'steps'?)",
    ),
    "unknown option": (
        "pack: x\nversion: '1'\nrules:\n" + GOOD_RULE.replace("max_steps: 3", "max_step: 3"),
        9,
        "no option 'max_step' (did you mean 'max_steps'?)",
    ),
    "option type": (
        "pack: x\nversion: '1'\nrules:\n" + GOOD_RULE.replace("max_steps: 3", "max_steps: many"),
        9,
        "'many' is not of type 'integer'",
    ),
    "bad template": (
        "pack: x\nversion: '1'\nrules:\n" + GOOD_RULE.replace('"{steps} steps', '"{steps steps'),
        10,
        "not a valid message template",
    ),
    "unknown figure": (  # a typo would print raw in every report: `{pagez}`
        "pack: x\nversion: '1'\nrules:\n" + GOOD_RULE.replace('"{steps} steps', '"{steps} steps, {pagez} pages'),
        10,
        "rules[0].message: check 'steps' measures no figure {pagez} (did you mean {pages}?)",
    ),
    "unknown figure in an override": (
        "pack: x\nversion: '1'\nextends: [core]\noverrides:\n  - id: cancel.too-many-steps\n"
        "    message: '{detours} detours, {offerz}'\n",
        6,
        "overrides[0].message: check 'steps' measures no figure {offerz} (it has: detours, max_pages",
    ),
    "bad regex": (
        "pack: x\nversion: '1'\nvocabulary:\n  phrases:\n    shame:\n      en: ['re:(unclosed']\n",
        6,
        "bad regular expression",
    ),
    "undated reference": (
        "pack: x\nversion: '1'\nextends: [core]\noverrides:\n  - id: cancel.too-many-steps\n    references:\n"
        "      - law: Some Act\n        status: in force\n",
        7,
        "as_of: required key 'as_of' is missing",
    ),
    "bad as_of": (
        "pack: x\nversion: '1'\nextends: [core]\noverrides:\n  - id: cancel.too-many-steps\n    references:\n"
        "      - law: Some Act\n        status: in force\n        as_of: last spring\n",
        9,
        "'last spring' is not the date (YYYY-MM-DD)",
    ),
    "missing extends": ("pack: x\nversion: '1'\nextends: [core, ./nowhere.yaml]\n", 3, "no pack './nowhere.yaml'"),
    "duplicate id": ("pack: x\nversion: '1'\nrules:\n" + GOOD_RULE + GOOD_RULE, 11, "duplicate rule id 'team.steps'"),
    "redefined id": (
        "pack: x\nversion: '1'\nextends: [core]\nrules:\n" + GOOD_RULE.replace("team.steps", "cancel.too-many-steps"),
        5,
        "change it under `overrides:`",
    ),
    "unknown override": (
        "pack: x\nversion: '1'\nextends: [core]\noverrides:\n  - id: cancel.too-many-stepz\n    enabled: false\n",
        5,
        "did you mean 'cancel.too-many-steps'?",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_pack_is_file_line(tmp_path, case):
    text, line, fragment = BROKEN[case]
    path = write(tmp_path, "pack.yaml", text)
    with pytest.raises(InputError) as info:
        load_rules([str(path)])
    message = str(info.value)
    assert message.startswith(f"{path}:{line}:") or f"\n{path}:{line}:" in message, message
    assert fragment in message


def test_extends_cycle(tmp_path):
    write(tmp_path, "a.yaml", "pack: a\nversion: '1'\nextends: [b.yaml]\n")
    write(tmp_path, "b.yaml", "pack: b\nversion: '1'\n\nextends: [a.yaml]\n")
    with pytest.raises(InputError, match=r"b\.yaml:4: extends: a cycle of packs: a.yaml -> b.yaml -> a.yaml"):
        load_rules([str(tmp_path / "a.yaml")])


def test_unknown_rules_argument():
    with pytest.raises(InputError, match="no such pack"):
        load_rules(["no-such-pack"])


def test_severities_have_one_home():
    """The JSON Schemas list the severities as data; they must say what auditor.severity says."""
    import json

    from auditor.report.sarif import LEVELS
    from auditor.severity import SEVERITIES, SEVERITY_ORDER

    schemas = Path(__file__).resolve().parent.parent / "auditor" / "schemas"
    pack = json.loads((schemas / "rule-pack.schema.json").read_text(encoding="utf-8"))
    report = json.loads((schemas / "report.schema.json").read_text(encoding="utf-8"))
    assert tuple(pack["$defs"]["severity"]["enum"]) == SEVERITIES
    assert "\"enum\": [\"error\", \"warning\", \"info\"]" in json.dumps(report)
    assert set(LEVELS) == set(SEVERITIES)
    assert sorted(SEVERITIES, key=SEVERITY_ORDER.__getitem__) == list(SEVERITIES)


def test_every_figure_a_check_measures_is_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """The declared figures are what `rules validate` checks messages against: on every shipped fixture,
    each violation's figures are among its check's declared ones (a new figure must be declared)."""
    from auditor.rules import engine
    from auditor.rules.checks import REGISTRY
    from auditor.rules.testing import test_pack

    measured: dict[str, set[str]] = {}
    run_check = engine.run_check

    def watched(rule, ctx):  # type: ignore[no-untyped-def]
        result = run_check(rule, ctx)
        for violation in result.violations:
            measured.setdefault(rule.check, set()).update(violation.figures)
        return result

    monkeypatch.setattr(engine, "run_check", watched)
    for name in shipped_names():
        test_pack(name)
    assert len(measured) >= 20  # most checks fire on some fixture
    for check, names in measured.items():  # (a figure that repeats an option is declared as the option)
        assert names <= REGISTRY[check].message_names, (check, names - REGISTRY[check].message_names)

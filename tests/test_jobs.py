"""`--jobs auto`: one flow per core, as free memory allows, never more than the flows; and the option itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from auditor.jobs import MB_PER_JOB, RESERVE_MB, auto_jobs, free_mb


def test_auto_is_cores_capped_by_memory_and_flows() -> None:
    assert auto_jobs(10, n_cores=4, memory_mb=64_000) == 4
    assert auto_jobs(3, n_cores=8, memory_mb=64_000) == 3  # no idle contexts
    assert auto_jobs(10, n_cores=8, memory_mb=RESERVE_MB + 2 * MB_PER_JOB) == 2  # memory for two contexts
    assert auto_jobs(10, n_cores=8, memory_mb=100) == 1  # always at least one
    assert auto_jobs(0, n_cores=8, memory_mb=64_000) == 1


def test_free_memory_is_read_from_meminfo(tmp_path: Path) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24000000 kB\nMemAvailable:    2048000 kB\n", encoding="ascii")
    assert free_mb(meminfo) == 2000
    assert free_mb(tmp_path / "missing") is None


def test_the_option_takes_auto_or_a_number_and_refuses_the_rest(tmp_path: Path) -> None:
    def crawl(jobs: str) -> subprocess.CompletedProcess[str]:
        args = [sys.executable, "-m", "auditor", "crawl", str(tmp_path / "none.yaml"), "--jobs", jobs]
        return subprocess.run(args, capture_output=True, text=True, timeout=60)

    for good in ("auto", "AUTO", "3"):
        done = crawl(good)
        assert done.returncode == 2 and "file not found" in done.stderr, done.stderr  # the option was accepted
    for bad in ("0", "65", "many"):
        done = crawl(bad)
        assert done.returncode == 2 and "neither a number from 1 to 64 nor 'auto'" in done.stderr, done.stderr

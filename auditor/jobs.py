"""How many flows to explore at once when the user says `--jobs auto` (the default).

One flow is one browser context with its own renderer: it keeps about one core busy while it waits for pages
and scripts, and holds a few hundred MB. So `auto` is the number of cores this process may use, capped by the
memory free for contexts (MB_PER_JOB each, after RESERVE_MB for the browser and Python) and by the number of
flows; at least 1. Measured on the 2-core CI machine (bench/explore.py, 2026-12-02, three pairs of runs):
the demo audit takes 1.05-1.23x less time with 2 jobs than with 1 (79.9/76.0, 90.4/73.3, 75.6/65.6 s; 1.39x
before its waits and screenshots got cheaper: the flows are CPU-bound in Chromium, and one flow alone already
keeps both cores partly busy), and a context of the demo peaks near 250 MB PSS.
"""

from __future__ import annotations

import os
from pathlib import Path

MB_PER_JOB = 400  # one context's peak, with room: the demo's contexts peak near 250 MB PSS
RESERVE_MB = 600  # the browser process, the Playwright driver and Python
MAX_JOBS = 64


def cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers set), else the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def free_mb(meminfo: Path = Path("/proc/meminfo")) -> int | None:
    """Memory available for new processes (MemAvailable), in MB; None where the system does not say."""
    try:
        for line in meminfo.read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def auto_jobs(flows: int, *, n_cores: int | None = None, memory_mb: int | None = None) -> int:
    """Flows at once for `--jobs auto`: cores, capped by free memory and by the number of flows."""
    jobs = n_cores if n_cores is not None else cores()
    memory = memory_mb if memory_mb is not None else free_mb()
    if memory is not None:
        jobs = min(jobs, max(1, (memory - RESERVE_MB) // MB_PER_JOB))
    return max(1, min(jobs, flows, MAX_JOBS))

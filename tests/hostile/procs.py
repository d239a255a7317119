"""Watching the Chromium processes a test starts, from /proc (Linux): none may outlive the run, and their memory
stays bounded while it lasts.

An orphan is re-parented away from the test process when its parent dies, so counting descendants after the
run alone would never see one: the watch samples the process tree while the run goes on, remembers every
Chromium it saw (pid and start time, so a reused pid is not mistaken for it) and checks afterwards that each is
gone. Zombies count as gone: they hold no memory and their parent reaps them.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
CHROMIUM_NAMES = ("chrom", "headless_shell")


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state letter, start time in clock ticks), or None when the process is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), fields[0], int(fields[19])


def _is_chromium(pid: int) -> bool:
    try:
        argv0 = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0", 1)[0].decode(errors="replace")
    except OSError:
        return False
    return any(name in os.path.basename(argv0).lower() for name in CHROMIUM_NAMES)


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[0], []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def chromium_under(root: int) -> set[tuple[int, int]]:
    """Live (not zombie) Chromium processes in root's tree, as (pid, start time)."""
    out = set()
    for pid in descendants(root):
        stat = _stat(pid)
        if stat is not None and stat[1] != "Z" and _is_chromium(pid):
            out.add((pid, stat[2]))
    return out


def alive(proc: tuple[int, int]) -> bool:
    stat = _stat(proc[0])
    return stat is not None and stat[2] == proc[1] and stat[1] != "Z"


def pss_kb(pid: int) -> int:
    """Proportional set size: shared pages split between the processes sharing them, so a sum means something."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass
class ChromiumWatch:
    """`with ChromiumWatch() as watch: ...run...`; then `watch.before`, `watch.after`, `watch.leftovers`,
    `watch.seen` and `watch.peak_pss_mb` (the most memory all of the tree's Chromium processes held at once)."""

    root: int = field(default_factory=os.getpid)
    interval: float = 0.25
    grace: float = 10.0  # after the run, how long a closing browser's helpers may take to exit
    before: set[tuple[int, int]] = field(default_factory=set)
    after: set[tuple[int, int]] = field(default_factory=set)
    seen: set[tuple[int, int]] = field(default_factory=set)
    leftovers: set[tuple[int, int]] = field(default_factory=set)
    peak_pss_kb: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> ChromiumWatch:
        self.before = chromium_under(self.root)
        self._thread = threading.Thread(target=self._sample, name="chromium-watch", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        deadline = time.monotonic() + self.grace
        while True:
            self.leftovers = {p for p in self.seen - self.before if alive(p)}
            self.after = chromium_under(self.root)
            if (not self.leftovers and len(self.after) == len(self.before)) or time.monotonic() > deadline:
                return
            time.sleep(0.2)

    def _sample(self) -> None:
        while not self._stop.is_set():
            now = chromium_under(self.root)
            self.seen |= now
            self.peak_pss_kb = max(self.peak_pss_kb, sum(pss_kb(pid) for pid, _ in now))
            self._stop.wait(self.interval)

    @property
    def peak_pss_mb(self) -> float:
        return self.peak_pss_kb / 1024

"""Memory of a process tree (the auditor and its Chromium), read from /proc: used by the benches and by the
resource-bound tests, which must measure the same way."""

from __future__ import annotations

import os
import threading


def descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    """`root` and every process below it."""
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [c for c, p in parents.items() if p == pid and c not in tree]
        tree.update(children)
        frontier.extend(children)
    return tree


def tree_memory_kb(root: int) -> tuple[int, int]:
    """(RSS, PSS) of a process and all its descendants. RSS counts pages shared between Chromium's processes
    once per process; PSS splits them, so it is the tree's real footprint."""
    rss = pss = 0
    for pid in descendants(root):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue
    return rss, pss


class PeakMemory:
    """Samples the process tree's memory every 50 ms in a thread; peaks in MB after the `with` block."""

    def __init__(self) -> None:
        self.rss_kb = self.pss_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss = tree_memory_kb(os.getpid())
            self.rss_kb, self.pss_kb = max(self.rss_kb, rss), max(self.pss_kb, pss)
            self._stop.wait(0.05)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def __str__(self) -> str:
        return f"PSS {self.pss_kb / 1024:.0f} MB (RSS summed {self.rss_kb / 1024:.0f} MB)"




def chromium_processes(root: int | None = None) -> set[int]:
    """Chromium processes below `root` (default: this process): after a run there must be none left."""
    found = set()
    for pid in descendants(root or os.getpid()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if b"chrom" in f.read().split(b"\0")[0]:
                    found.add(pid)
        except OSError:
            continue
    return found

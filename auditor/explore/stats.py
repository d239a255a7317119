"""Counters of one flow's exploration (actions, replays, restores by kind, failures, seconds per phase): they
go into the flow's `exploration` record, so a slow or partial audit says where its time and effort went."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stats:
    actions: int = 0
    replayed: int = 0
    contexts: int = 0  # browser contexts opened: the first, then one per fresh start that could not reuse it
    restores: int = 0
    restored_by: dict[str, int] = field(default_factory=dict)  # how each restore got there: history, url, ...
    inferred: int = 0
    unrestorable: int = 0
    abandoned: int = 0  # frontier items given up because their screen could not be restored
    virtual_ms: int = 0  # time run forward on the page clock instead of waited (timers.py)
    failed_actions: list[dict[str, Any]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, phase: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.monotonic() - started

    def restored(self, kind: str) -> None:
        self.restored_by[kind] = self.restored_by.get(kind, 0) + 1

    def failed(self, state: str | None, key: str, error: str) -> None:
        self.failed_actions.append({"state": state, "key": key, "error": error})

"""Progress on stderr while flows are explored: a live table on a terminal, one plain line per flow otherwise.

stdout is kept for machine output (`--json`) and the final tables, so progress never mixes with them. On a
terminal the table is redrawn in place (rich) with each flow's states explored, current depth, actions and,
once it ends, its goal verdict and findings; in a CI log (no TTY) a redrawing table would be noise, so each
finished flow prints one line instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from auditor.plural import plural

Progress = Callable[[dict[str, Any]], None]


@dataclass
class _Row:
    status: str = "waiting"
    states: int = 0
    depth: int = 0
    actions: int = 0
    goal: str = ""
    findings: str = ""
    started: float | None = None
    seconds: float | None = None


@dataclass
class FlowProgress:
    """The state of every flow in a run, updated from the explorer's progress events."""

    flows: Sequence[str]
    rows: dict[str, _Row] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rows = {name: _Row() for name in self.flows}

    def update(self, info: dict[str, Any]) -> None:
        row = self.rows.setdefault(info["flow"], _Row())
        if row.started is None:
            row.started = time.monotonic()
        if not info.get("done"):
            row.status = "exploring"
            row.states, row.depth, row.actions = info["states"], max(row.depth, info["depth"]), info["actions"]
            return
        metrics, exploration = info["metrics"], info["exploration"]
        row.status = "done" if exploration.get("status") == "complete" else "INCOMPLETE"
        row.states, row.actions = metrics["states"], metrics["actions"]
        row.goal = (
            f"reached in {plural(metrics['steps_to_goal'], 'step')}" if metrics["goal_reached"] else "not reached"
        )
        row.findings = str(info.get("findings", ""))
        row.seconds = exploration.get("seconds")

    def line(self, name: str, error: str | None) -> str:
        """The one-line summary of a finished flow (for logs)."""
        row = self.rows[name]
        verdict = f"goal {row.goal}" if row.status == "done" else f"INCOMPLETE: {error}"
        counts = f"{plural(row.states, 'state')}, {plural(int(row.findings or 0), 'finding')}"
        return f"  {name}: {verdict} ({counts}, {row.seconds}s)"

    def __rich__(self) -> Table:  # rich redraws this on every refresh, so running times tick
        return self.table()

    def table(self) -> Table:
        table = Table(box=None, pad_edge=False, header_style="bold")
        for column in ("flow", "status", "states", "depth", "actions", "goal", "findings", "time"):
            table.add_column(column, justify="right" if column in ("states", "depth", "actions", "time") else "left")
        now = time.monotonic()
        for name, row in self.rows.items():
            elapsed = row.seconds if row.seconds is not None else (now - row.started if row.started else None)
            table.add_row(
                name,
                row.status,
                str(row.states or ""),
                str(row.depth or ""),
                str(row.actions or ""),
                row.goal,
                row.findings,
                f"{elapsed:.0f}s" if elapsed is not None else "",
            )
        return table


@contextmanager
def progress_display(
    flows: Sequence[str], quiet: bool, console: Console | None = None, *, verbose: bool = False
) -> Iterator[Progress | None]:
    """A progress callback for `run`: live on a terminal, a line per finished flow in logs (`verbose`: also a
    line per new state), none if quiet. Log lines are never wrapped: a CI log or a file has no width."""
    if quiet:
        yield None
        return
    console = console or Console(stderr=True)
    state = FlowProgress(flows)
    if not console.is_terminal:

        def log(info: dict[str, Any]) -> None:
            before = state.rows[info["flow"]].states if info["flow"] in state.rows else 0
            state.update(info)
            if info.get("done"):
                line = state.line(info["flow"], info["exploration"].get("error"))
                console.print(line, highlight=False, soft_wrap=True, markup=False)
            elif verbose and info["states"] != before:
                row = state.rows[info["flow"]]
                counts = f"{plural(row.states, 'state')}, depth {row.depth}, {plural(row.actions, 'action')}"
                line = f"  {info['flow']}: {counts}"
                console.print(line, highlight=False, soft_wrap=True, markup=False)

        yield log
        return
    with Live(state, console=console, refresh_per_second=4, transient=False):
        yield state.update

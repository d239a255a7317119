"""The known shortest path of each bundled demo flow, read from paths.yaml (the one place it is written):
the e2e tests expect the audit to find it, the benchmark clicks it as a script would."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PATHS_FILE = Path(__file__).parent / "paths.yaml"


@dataclass(frozen=True)
class Click:
    """One user action: a click on a control with one of these labels (a script clicks the first)."""

    labels: tuple[str, ...]
    inputs: tuple[tuple[str, str], ...] = ()  # (field label, value) typed on this screen before the click

    @property
    def label(self) -> str:
        return self.labels[0]


def known_paths(path: Path = PATHS_FILE) -> dict[str, tuple[Click, ...] | None]:
    """Flow name -> its clicks in order (None: the flow has no path). Typing goes with the click after it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: None if steps is None else _clicks(name, steps) for name, steps in data.items()}


def _clicks(name: str, steps: list[dict[str, Any]]) -> tuple[Click, ...]:
    clicks: list[Click] = []
    typed: list[tuple[str, str]] = []
    for step in steps:
        ((action, arg),) = step.items()
        if action == "fill":
            typed += [(str(field), str(value)) for field, value in arg.items()]
        elif action == "click":
            labels = tuple(arg) if isinstance(arg, list) else (arg,)
            clicks.append(Click(tuple(str(label) for label in labels), tuple(typed)))
            typed = []
        else:
            raise ValueError(f"{name}: unknown step {action!r} (click or fill)")
    if typed:
        raise ValueError(f"{name}: the path ends with typing and no click")
    return tuple(clicks)

"""Typed artifacts that probes add to a flow's exploration record, next to its graph.

A probe writes one (as plain JSON under `exploration`) and the check that judges it reads it back with
`from_dict`, so the two agree on one record instead of on a string convention.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ReauthWindow:
    """The re-auth window probe's result: after a charge that a password let through, at which minute marks
    did the same purchase charge again without a password (`open_after_minutes`), and when was the password
    asked again (`closed_at_minutes`; None: never within `max_probe_minutes`)."""

    trigger: str  # the control that first led to the password
    charge: str  # the control that charged
    max_probe_minutes: int
    probed: bool = True
    open_after_minutes: list[int] = field(default_factory=list)
    closed_at_minutes: int | None = None
    reason: str | None = None  # why the probe stopped short (None: it finished)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: v for k, v in data.items() if k not in ("reason", "error") or v is not None}

    @classmethod
    def from_dict(cls, data: Any) -> ReauthWindow | None:
        """The artifact of a saved graph (None when the probe did not run, or the record is not one)."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                trigger=str(data.get("trigger", "")),
                charge=str(data.get("charge", "")),
                max_probe_minutes=int(data.get("max_probe_minutes", 0)),
                probed=bool(data.get("probed", True)),
                open_after_minutes=[int(m) for m in data.get("open_after_minutes") or []],
                closed_at_minutes=None if data.get("closed_at_minutes") is None else int(data["closed_at_minutes"]),
                reason=data.get("reason"),
                error=data.get("error"),
            )
        except (TypeError, ValueError):
            return None

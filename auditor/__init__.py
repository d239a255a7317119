"""retention-auditor: walk money flows in a real browser and check them for manipulative design."""

from __future__ import annotations

__version__ = "0.1.0"

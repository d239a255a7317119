"""report.json: the report model itself, as JSON."""

from __future__ import annotations

import json
from typing import Any

from auditor.report.context import RenderContext


def render(report: dict[str, Any], ctx: RenderContext | None = None) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"

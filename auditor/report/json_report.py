"""report.json: the model as JSON, written atomically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from auditor.files import write_atomic


def write_json(report: dict[str, Any], path: Path) -> None:
    write_atomic(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")

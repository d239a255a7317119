"""Rule changes for some flows only (`overrides:` in auditor.yaml), the way Lighthouse CI asserts per URL.

A team's packs say what every flow is held to; one flow may need a looser threshold (a legacy checkout that
is known to take eight steps) or a stricter severity (the flow the regulator wrote about). A FlowOverride
names its flows by name glob and/or spec-file glob and changes rules by id: `severity` and `enabled` replace,
`options` merge key by key, as a pack's own `overrides:` do. Several matching overrides apply in the order
written (RuleSet.for_flow). They are checked against the merged packs when the config is loaded (config.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any


@dataclass(frozen=True)
class FlowOverride:
    """Rule changes for the flows whose name matches a glob in `flows`, or whose spec file (relative to
    `base`, the config file's folder) matches a glob in `specs`; `*` also crosses folders."""

    flows: tuple[str, ...]
    specs: tuple[str, ...]
    base: str
    changes: Mapping[str, Mapping[str, Any]]  # rule id -> {severity, enabled, options}
    where: str  # `file:line` of the override, for the report and messages

    def matches(self, flow: str, spec_file: str | None) -> bool:
        if any(fnmatchcase(flow, glob) for glob in self.flows):
            return True
        if not spec_file or not self.specs:
            return False
        relative = os.path.relpath(os.path.abspath(spec_file), self.base).replace(os.sep, "/")
        return any(fnmatchcase(relative, glob) for glob in self.specs)

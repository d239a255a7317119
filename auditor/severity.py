"""Finding severities, most severe first: the one home of the names and their order.

Rule packs, report.json, the report renderers and `--fail-on` all use these three words; the JSON Schemas
(rule-pack, report) list them too, as data, and tests/test_packs.py checks they agree with this tuple.
"""

from __future__ import annotations

SEVERITIES = ("error", "warning", "info")
# a severity's rank: 0 is the most severe
SEVERITY_ORDER = {name: rank for rank, name in enumerate(SEVERITIES)}

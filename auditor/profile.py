"""The browser profile the auditor launches Chromium with: a fresh one per launch, whose one preference turns
Chromium's preloading off.

Why a profile: a page's speculation rules (`<script type="speculationrules">` or a `Speculation-Rules` response
header) make Chromium prefetch or prerender a URL from its prefetch service, and those requests pass neither
the context's route nor the network edge's Fetch interception (measured on Chromium 156: README, "No money
moves"). A GET charge named in a rule would reach the server. Chromium's "Preload pages" setting
(`net.network_prediction_options` = 2, "never") stops the prefetch service before it sends anything, for the
browser's every context, which inherit it from this profile. No command-line switch or DevTools call stopped
them (the ones tried are listed in the README), and Playwright refuses `--user-data-dir` in `launch`, so the
profile is written before Chromium starts and launched with `launch_persistent_context`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

NO_PRELOADING = {"net": {"network_prediction_options": 2}}  # Chromium's NETWORK_PREDICTION_NEVER


def quiet_profile() -> Path:
    """A new user-data directory whose default profile has preloading off; the caller removes it
    (`remove_profile`) once the browser is gone."""
    root = Path(tempfile.mkdtemp(prefix="auditor-chromium-"))
    (root / "Default").mkdir()
    (root / "Default" / "Preferences").write_text(json.dumps(NO_PRELOADING), encoding="utf-8")
    return root


def remove_profile(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)

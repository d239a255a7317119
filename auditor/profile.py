"""The browser profile the auditor launches Chromium with: a fresh one per launch, whose one preference turns
Chromium's preloading off.

Why a profile: a page's speculation rules (`<script type="speculationrules">` or a `Speculation-Rules` response
header) make Chromium prefetch or prerender a URL from its prefetch service, and those requests pass neither
the context's route nor the network edge's Fetch interception (measured on Chromium 156:
docs/charge-guard.md). A GET charge named in a rule would reach the server. Chromium's "Preload pages" setting
(`net.network_prediction_options` = 2, "never") stops the prefetch service before it sends anything, for the
browser's every context, which inherit it from this profile. No command-line switch or DevTools call stopped
them (the ones tried are listed in docs/charge-guard.md), and Playwright refuses `--user-data-dir` in `launch`,
so the profile is written before Chromium starts and launched with `launch_persistent_context`.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import shutil
import tempfile
from pathlib import Path

NO_PRELOADING = {"net": {"network_prediction_options": 2}}  # Chromium's NETWORK_PREDICTION_NEVER
_REMOVALS: set[asyncio.Task[None]] = set()  # running removals, kept so that none is collected half-way


def quiet_profile() -> Path:
    """A new user-data directory whose default profile has preloading off. It is removed once its browser is
    gone (`remove_when_gone`), and at the latest when the process exits."""
    root = Path(tempfile.mkdtemp(prefix="auditor-chromium-"))
    atexit.register(shutil.rmtree, root, True)
    (root / "Default").mkdir()
    (root / "Default" / "Preferences").write_text(json.dumps(NO_PRELOADING), encoding="utf-8")
    return root


def remove_when_gone(root: Path) -> None:
    """Remove a profile whose browser disconnected. Playwright reports the disconnection while Chromium may
    still be writing its last files there (measured: a removal at that moment fails on a file that vanishes
    under it), so the removal is retried for a few seconds, in the background."""
    task = asyncio.ensure_future(_remove(root))
    _REMOVALS.add(task)
    task.add_done_callback(_REMOVALS.discard)


async def _remove(root: Path, tries: int = 50) -> None:
    for _ in range(tries):
        shutil.rmtree(root, ignore_errors=True)
        if not root.exists():
            return
        await asyncio.sleep(0.1)

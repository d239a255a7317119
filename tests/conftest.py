"""Shared fixtures: the demo server, one audit of every demo flow (real Chromium), the behaviours site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.demo import demo_specs
from auditor.demo.server import DemoServer
from auditor.report.formats import FORMATS, ReportWriter
from auditor.run import RunResult, run
from auditor.spec import load_specs
from tests.site_routes import ROUTES as SITES_ROUTES

TESTS = Path(__file__).parent
SITES = TESTS / "sites"


@pytest.fixture(scope="session")
def demo_server():
    with DemoServer() as server:
        old = os.environ.get("DEMO_URL")
        os.environ["DEMO_URL"] = server.url
        yield server
        if old is None:
            os.environ.pop("DEMO_URL", None)
        else:
            os.environ["DEMO_URL"] = old


@pytest.fixture(scope="session")
def demo_run(demo_server, tmp_path_factory) -> tuple[RunResult, Path]:
    """Every bundled demo flow, audited once for the whole session (jobs=2 and every format, as `auditor demo`)."""
    out = tmp_path_factory.mktemp("demo-report")
    demo_server.clear_hits()
    result = run(load_specs(demo_specs()), out, jobs=2, writer=ReportWriter(out, list(FORMATS)))
    return result, out


@pytest.fixture(scope="session")
def sites_server():
    """The test-only sites under tests/sites/, each showing one behaviour, on their own server."""
    with DemoServer(sites_dir=SITES, routes=SITES_ROUTES) as server:
        os.environ["SITES_URL"] = server.url
        yield server

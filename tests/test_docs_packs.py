"""The docs' rule catalogue and law table (docs/hooks/packs.py) are generated from the shipped packs: every rule
of every pack is in them, with its severity in each pack, and a source that is not a primary one is flagged."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from auditor.rules.pack import load_rules, shipped_names

HOOK = Path(__file__).resolve().parent.parent / "docs" / "hooks" / "packs.py"
spec = importlib.util.spec_from_file_location("docs_packs_hook", HOOK)
assert spec and spec.loader
packs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(packs)


@pytest.fixture(scope="module")
def sets():
    return packs.rule_sets()


def test_the_catalogue_has_every_rule_of_every_shipped_pack(sets):
    text = packs.catalogue(sets)
    every = {rule_id for name in shipped_names() for rule_id in load_rules([name]).rules}
    assert every and all(f"### `{rule_id}`" in text for rule_id in every)


def test_the_matrix_says_each_packs_own_severity(sets):
    rows = {line.split(" | ")[0]: line for line in packs.matrix(sets).splitlines()}
    login_wall = next(line for key, line in rows.items() if "cancel.login-wall" in key)
    cells = [c.strip() for c in login_wall.strip("|").split("|")[1:]]
    names = list(sets)
    assert cells[names.index("core")] == "warning" and cells[names.index("de")] == "error §"


@pytest.mark.parametrize(
    ("url", "primary"),
    [
        ("https://www.gesetze-im-internet.de/bgb/__312k.html", True),
        ("https://eur-lex.europa.eu/eli/dir/2011/83/oj", True),
        ("https://www.ftc.gov/reports/bringing-dark-patterns-light", True),
        ("https://www.legislation.gov.uk/ukpga/2024/13/part/4/chapter/2", True),
        ("https://ecf.ca8.uscourts.gov/opndir/25/07/243137P.pdf", True),
        ("https://www.law.cornell.edu/uscode/text/15/8403", False),
        ("https://www.crowell.com/en/insights/client-alerts/eighth-circuit-cancels-click-to-cancel", False),
        ("https://notgov.example/x", False),
        ("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000047942420", True),
        ("https://laws.e-gov.go.jp/law/351AC0000000057", True),
        ("https://www.boe.es/buscar/act.php?id=BOE-A-2007-20555", True),
        ("https://www.legisquebec.gouv.qc.ca/fr/document/lc/P-40.1", True),
        ("https://www.city.ise.mie.jp/x", False),
        ("https://www.dalloz-actualite.fr/x", False),
    ],
)
def test_primary_sources_are_told_from_secondary_ones(url, primary):
    assert packs.is_primary(url) is primary


def test_the_law_table_flags_a_secondary_source(sets):
    text = packs.law(sets)
    assert "| `us-ftc` | Restore Online Shoppers' Confidence Act (ROSCA)" in text
    assert "(**secondary**)" in packs.source_cell("https://www.thewrap.com/x") and "(primary)" in text


def test_an_unknown_marker_is_refused():
    with pytest.raises(ValueError, match="unknown packs marker"):
        packs.expand("<!-- packs:nope -->\n", dict)

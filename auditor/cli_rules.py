"""`auditor rules list|validate|test`: inspecting and proving rule packs, with no browser."""

from __future__ import annotations

import click

from auditor.plural import plural
from auditor.report.terminal import table


@click.group()
def rules() -> None:
    """List, validate and test rule packs."""


@rules.command("list")
@click.option("--rules", "packs", multiple=True, metavar="PACK", help="Packs to merge (default: core).")
@click.option("--all", "every", is_flag=True, help="Every shipped pack, one after another.")
@click.option(
    "--references", "cited", is_flag=True, help="One row per law or guideline a rule cites, with its status and date."
)
def list_rules(packs: tuple[str, ...], every: bool, cited: bool) -> int:
    """The rules a pack (or merge of packs) applies: id, severity, pack, title; with --references, what each
    cites (law, section, status, as_of, url), since a status is only as good as the day it was checked."""
    from auditor.rules.pack import load_rules, shipped_names

    sets = [load_rules([name]) for name in shipped_names()] if every else [load_rules(packs)]
    for ruleset in sets:
        names = " + ".join(p["pack"] for p in ruleset.describe())
        rows: list[tuple[str, ...]] = [
            ("id", "law", "section", "status", "as_of", "url") if cited else ("id", "severity", "pack", "title")
        ]
        for r in ruleset.rules.values():
            if not cited:
                rows.append((r.id, r.severity if r.enabled else "off", r.pack, r.title))
                continue
            keys = ("law", "section", "status", "as_of", "url")
            rows += [(r.id, *(str(ref.get(k) or "-") for k in keys)) for ref in r.references]
            rows += [] if r.references else [(r.id, "-", "-", "-", "-", "-")]
        click.echo(f"# {names}\n{table(rows)}\n")
    return 0


@rules.command()
@click.argument("packs", nargs=-1, required=True)
def validate(packs: tuple[str, ...]) -> int:
    """Validate each pack with its extends chain; errors are file:line (exit 2)."""
    from auditor.rules.pack import load_rules

    for ref in packs:
        ruleset = load_rules([ref])
        pack = ruleset.packs[-1]
        chain = " -> ".join(p["pack"] for p in ruleset.describe())
        click.echo(
            f"ok: {pack.name} {pack.version} ({pack.path}): {plural(len(ruleset.enabled), 'rule')} enabled; {chain}"
        )
    return 0


@rules.command()
@click.argument("packs", nargs=-1)
def test(packs: tuple[str, ...]) -> int:
    """Run each pack's fixtures (default: every shipped pack); print missed and unexpected findings."""
    from auditor.rules.pack import shipped_names
    from auditor.rules.testing import test_pack

    failed = 0
    for ref in packs or shipped_names():
        report = test_pack(ref)
        click.echo(f"# {report.pack} ({report.file}): {plural(report.fixtures, 'fixture')}")
        for rule in report.rules.values():
            problems = rule.problems
            if problems:
                failed += 1
                click.echo(f"  FAIL {rule.rule}: {'; '.join(problems)}")
            else:
                click.echo(f"  ok   {rule.rule}: fires on {len(rule.fired_in)}, quiet on {len(rule.quiet_in)}")
    click.echo(f"\n{'all rules proved' if not failed else plural(failed, 'rule') + ' failed'}")
    return 1 if failed else 0

"""The `auditor` command: parse options, call the library, print, and return the exit code.

Exit codes (DESIGN.md): 0 nothing at/above --fail-on; 1 findings at/above --fail-on; 2 bad usage or an
invalid spec/pack; 3 the audit is incomplete (a site unreachable, a crawl error) and nothing else failed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from auditor import __version__
from auditor.cli_rules import rules as rules_group
from auditor.errors import AuditorError, InputError
from auditor.report.terminal import exit_code, findings_table, flows_table
from auditor.spec import load_specs


def _progress(quiet: bool) -> Callable[[dict[str, Any]], None] | None:
    """Progress lines on stderr (one per finished flow); nothing with --quiet."""
    if quiet:
        return None

    def show(info: dict[str, Any]) -> None:
        if info.get("done"):
            graph = info["graph"]
            m, x = graph.metrics(), graph.exploration
            verdict = f"goal reached in {m['steps_to_goal']} steps" if m["goal_reached"] else "goal NOT reached"
            if x.get("status") != "complete":
                verdict = f"INCOMPLETE: {x.get('error')}"
            click.echo(f"  {info['flow']}: {verdict} ({m['states']} states, {x.get('seconds')}s)", err=True)

    return show


def _finish(report: dict[str, Any], out: Path, fail_on: str, as_json: bool) -> int:
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(flows_table(report))
        click.echo("")
        click.echo(findings_table(report))
        click.echo(f"\nreport: {out / 'report.json'}")
        for flow in report["flows"]:
            if flow["status"] != "complete":
                click.echo(f"incomplete: {flow['name']}: {flow.get('error')}", err=True)
    return exit_code(report, fail_on)


def _formats(value: str) -> str:
    unknown = [f for f in value.split(",") if f.strip() and f.strip() != "json"]
    if unknown:
        raise click.BadParameter(f"format(s) not available yet: {', '.join(unknown)}", param_hint="--format")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Audit cancellation, sign-up and purchase flows in a real browser for manipulative design."""


out_option = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder for report.json, graphs and screenshots.",
)
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Flows explored at once (one browser, one context per flow).",
)
quiet_option = click.option("--quiet", is_flag=True, help="No progress on stderr.")
rules_option = click.option(
    "--rules",
    multiple=True,
    metavar="PACK",
    help="Rule pack: a shipped name (core, us-ftc, us-ca, de, eu, uk) or a file. "
    "Repeatable; merged in order. Default: core.",
)
format_option = click.option(
    "--format",
    "formats",
    default="json",
    show_default=True,
    callback=lambda c, p, v: _formats(v),
    help="Comma-separated report formats; only json is available in this version.",
)
fail_on_option = click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="error",
    show_default=True,
    help="Lowest finding severity that makes the exit code 1.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print report.json to stdout instead of tables.")


@cli.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_option
@rules_option
@format_option
@fail_on_option
@jobs_option
@json_option
@quiet_option
def audit(
    specs: tuple[Path, ...],
    out: Path,
    rules: tuple[str, ...],
    formats: str,
    fail_on: str,
    jobs: int,
    as_json: bool,
    quiet: bool,
) -> int:
    """Explore each flow of SPEC files, check them against the rule packs, write OUT/report.json."""
    from auditor.rules.pack import load_rules
    from auditor.run import run

    ruleset = load_rules(rules)  # packs are validated before anything runs
    flows = load_specs(specs)
    if not quiet:
        click.echo(
            f"auditing {len(flows)} flow(s) with {', '.join(p['pack'] for p in ruleset.describe())} ...", err=True
        )
    result = run(flows, out, rules=ruleset, jobs=jobs, progress=_progress(quiet))
    return _finish(result.report, out, fail_on, as_json)


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path))
@out_option
@jobs_option
@quiet_option
def crawl(spec: Path, out: Path, jobs: int, quiet: bool) -> int:
    """Explore the flows of SPEC only: OUT/flows/<flow>/graph.json and screenshots, no report."""
    from auditor.run import run

    flows = load_specs([spec])
    result = run(flows, out, jobs=jobs, progress=_progress(quiet), write_report=False)
    for flow in result.report["flows"]:
        click.echo(f"{flow['name']}: {out / flow['graph']}" if flow["graph"] else f"{flow['name']}: no graph")
    return 0 if result.complete else 3


@cli.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_option
@rules_option
@format_option
@fail_on_option
@json_option
def check(
    graphs: tuple[Path, ...], out: Path, rules: tuple[str, ...], formats: str, fail_on: str, as_json: bool
) -> int:
    """Re-check saved graph.json files against rule packs, with no browser; writes OUT/report.json."""
    from auditor.graph import FlowGraph
    from auditor.report.json_report import write_json
    from auditor.report.model import report_from_graphs
    from auditor.rules.pack import load_rules

    ruleset = load_rules(rules)
    loaded: dict[str, FlowGraph] = {}
    files: dict[str, str] = {}
    for path in graphs:
        try:
            graph = FlowGraph.load(path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"not a graph.json: {exc}", file=str(path)) from exc
        name = graph.flow.get("name") or path.stem
        loaded[name] = graph
        files[name] = os.path.relpath(path, out)
    now = time.time()
    report = report_from_graphs(
        loaded, files, ruleset, browser={"name": "none (re-checked saved graphs)"}, started=now, finished=now
    )
    write_json(report, out / "report.json")
    return _finish(report, out, fail_on, as_json)


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/demo"),
    show_default=True,
    help="Folder for the demo report.",
)
@rules_option
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="Flows explored at once.")
@quiet_option
def demo(out: Path, rules: tuple[str, ...], jobs: int, quiet: bool) -> int:
    """Serve the bundled demo sites on 127.0.0.1, audit all their flows, print the findings.
    Exits 0 when the audit completed: the findings are what the demo is for."""
    from auditor.demo import demo_specs
    from auditor.demo.server import DemoServer
    from auditor.rules.pack import load_rules
    from auditor.run import run

    ruleset = load_rules(rules)
    with DemoServer() as server:
        os.environ["DEMO_URL"] = server.url
        flows = load_specs(demo_specs())
        if not quiet:
            click.echo(f"demo sites on {server.url}; auditing {len(flows)} flows ...", err=True)
        result = run(flows, out, rules=ruleset, jobs=jobs, progress=_progress(quiet))
    return _finish(result.report, out, "never", False)


cli.add_command(rules_group)


def main() -> None:
    try:
        code = cli.main(prog_name="auditor", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except AuditorError as exc:
        click.echo(f"auditor: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)

"""The `auditor` command: parse options, call the library, print, and return the exit code.

Exit codes (DESIGN.md): 0 nothing at/above --fail-on; 1 findings at/above --fail-on (with --baseline: new or
regressed ones, or a goal lost since); 2 bad usage or an invalid spec/pack; 3 the audit is incomplete (a site
unreachable, a crawl error, a lost session, a replaced tab: explore/explorer.cut_short; a goal or charge never
reached, every rule incomplete: report/seen_through.py) and nothing else failed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from auditor import __version__
from auditor.baseline import load_report, triage
from auditor.cli_rules import rules as rules_group
from auditor.cli_session import audited_flows, init, login, one_flow_options, with_run_options
from auditor.errors import AuditorError, InputError
from auditor.files import prepare_out
from auditor.jobs import auto_jobs
from auditor.progress import progress_display
from auditor.report.context import RenderContext
from auditor.report.formats import FORMATS, ReportWriter, parse_formats, write_reports
from auditor.report.terminal import exit_code, findings_table, flows_table, triage_summary, warnings
from auditor.severity import SEVERITIES
from auditor.shard import merge_reports, parse_shard, select_shard
from auditor.spec import load_specs

if TYPE_CHECKING:
    from auditor.rules.pack import RuleSet
    from auditor.spec import FlowSpec


def _finish(report: dict[str, Any], written: dict[str, Path], fail_on: str, as_json: bool) -> int:
    """Print the outcome (tables, or the report as JSON with --json) and return the exit code."""
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(flows_table(report))
        click.echo("")
        click.echo(findings_table(report))
        summary = triage_summary(report)
        click.echo(f"{summary}\n" if summary else "")
        for name, path in written.items():
            click.echo(f"{name:>6}: {path}")
    for line in warnings(report):
        click.echo(line, err=True)
    return exit_code(report, fail_on)


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    try:
        return parse_shard(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


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


class Jobs(click.ParamType):
    """`--jobs`: a number of flows at once (1-64) or `auto` (jobs.auto_jobs: cores, free memory)."""

    name = "N|auto"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int | str:
        text = str(value).strip().lower()
        if text == "auto":
            return "auto"
        if text.isdigit() and 1 <= int(text) <= 64:
            return int(text)
        self.fail(f"{value!r} is neither a number from 1 to 64 nor 'auto'", param, ctx)


def resolve_jobs(jobs: int | str, flows: int) -> int:
    return auto_jobs(flows) if jobs == "auto" else int(jobs)


jobs_option = click.option(
    "--jobs",
    type=Jobs(),
    default="auto",
    show_default=True,
    help="Flows explored at once (one browser, one context per flow); auto: one per core, as memory allows.",
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
    callback=_formats,
    help="Comma-separated report formats: json, html, sarif, junit, md, or all. report.json is always written.",
)
baseline_option = click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An earlier report.json: findings are marked new/unchanged/regressed, fixed ones listed, and --fail-on "
    "counts new and regressed findings (and goals lost since) only.",
)
suppressions_option = click.option(
    "--suppressions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file of accepted findings (fingerprint, or rule + flow), each with a reason and optional expiry.",
)
fail_on_option = click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "never"]),
    default="error",
    show_default=True,
    help="Lowest finding severity that makes the exit code 1 (with --baseline: new or regressed findings only).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print report.json to stdout instead of tables.")


@cli.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@one_flow_options
@out_option
@rules_option
@format_option
@fail_on_option
@baseline_option
@suppressions_option
@jobs_option
@click.option(
    "--shard",
    metavar="I/N",
    callback=_shard,
    help="Audit only shard I of N (CI matrices); flows joined by compare_with stay together. "
    "Join the reports with `auditor merge`.",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where flows are explored: this process, or async Ray actors (pip install 'retention-auditor[ray]').",
)
@click.option("--ray-address", metavar="ADDR", help="An existing Ray cluster (default: start a local one).")
@json_option
@quiet_option
def audit(
    specs: tuple[Path, ...],
    url: str | None,
    kind: str | None,
    goal_text: tuple[str, ...],
    goal_url: str | None,
    flow_name: str | None,
    locale: str | None,
    device: str | None,
    storage_state: str | None,
    proxy: str | None,
    max_rps: float,
    no_default_charges: bool,
    trace: str,
    out: Path,
    rules: tuple[str, ...],
    formats: list[str],
    fail_on: str,
    baseline: Path | None,
    suppressions: Path | None,
    jobs: int | str,
    shard: tuple[int, int] | None,
    executor: str,
    ray_address: str | None,
    as_json: bool,
    quiet: bool,
) -> int:
    """Explore each flow of SPEC files (or the one flow --url gives), check them against the rule packs,
    write OUT/report.json and the other formats asked for."""
    from auditor.rules.pack import load_rules

    ruleset = load_rules(rules)  # packs, specs and triage files are all checked before anything runs
    flows = audited_flows(specs, url, kind, goal_text, goal_url, flow_name, locale, device, storage_state)
    flows = with_run_options(flows, proxy, trace, max_rps, default_charges=not no_default_charges)
    if shard:
        flows = select_shard(flows, *shard)
        if not quiet:
            click.echo(f"shard {shard[0]}/{shard[1]}: {', '.join(f.name for f in flows) or 'no flows'}", err=True)
    writer = ReportWriter(out, formats, triage(baseline, suppressions))
    if not quiet:
        packs = ", ".join(p["pack"] for p in ruleset.describe())
        click.echo(f"auditing {len(flows)} flow(s) with {packs} ...", err=True)
    return _explore(flows, out, ruleset, writer, jobs, quiet, fail_on, as_json, executor, ray_address)


def _explore(
    flows: list[FlowSpec],
    out: Path,
    ruleset: RuleSet,
    writer: ReportWriter,
    jobs: int | str,
    quiet: bool,
    fail_on: str,
    as_json: bool,
    executor: str = "local",
    ray_address: str | None = None,
) -> int:
    """Run the audit with a progress display, then print and return the exit code."""
    from auditor.run import run

    prepare_out(out)  # a bad --out is exit 2 now, not a traceback after the crawl
    with progress_display([f.name for f in flows], quiet or as_json) as progress:
        result = run(
            flows,
            out,
            rules=ruleset,
            jobs=resolve_jobs(jobs, len(flows)),
            progress=progress,
            writer=writer,
            executor=executor,
            ray_address=ray_address,
        )
    written = {name: out / FORMATS[name][0] for name in writer.formats}
    return _finish(result.report, written, fail_on, as_json)


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path))
@out_option
@jobs_option
@quiet_option
def crawl(spec: Path, out: Path, jobs: int | str, quiet: bool) -> int:
    """Explore the flows of SPEC only: OUT/flows/<flow>/graph.json and screenshots, no report."""
    from auditor.run import run

    flows = load_specs([spec])
    prepare_out(out)
    with progress_display([f.name for f in flows], quiet) as progress:
        result = run(flows, out, jobs=resolve_jobs(jobs, len(flows)), progress=progress)
    for flow in result.report["flows"]:
        click.echo(f"{flow['name']}: {out / flow['graph']}" if flow["graph"] else f"{flow['name']}: no graph")
    return 0 if result.complete else 3


@cli.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_option
@rules_option
@format_option
@fail_on_option
@baseline_option
@suppressions_option
@json_option
def check(
    graphs: tuple[Path, ...],
    out: Path,
    rules: tuple[str, ...],
    formats: list[str],
    fail_on: str,
    baseline: Path | None,
    suppressions: Path | None,
    as_json: bool,
) -> int:
    """Re-check saved graph.json files against rule packs, with no browser; writes OUT/report.json."""
    from auditor.assess import report_from_graphs
    from auditor.graph import FlowGraph, GraphError
    from auditor.rules.pack import load_rules

    ruleset = load_rules(rules)
    triaged = triage(baseline, suppressions)
    loaded: dict[str, FlowGraph] = {}
    files: dict[str, str] = {}
    for path in graphs:
        try:
            graph = FlowGraph.load(path)
        except GraphError as exc:
            raise InputError(f"not a graph.json: {exc}", file=str(path), line=exc.line) from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"not a graph.json: {exc}", file=str(path)) from exc
        name = graph.flow.get("name") or path.stem
        loaded[name] = graph
        files[name] = os.path.relpath(path, out)
    writer = ReportWriter(prepare_out(out), formats, triaged)  # every input was checked before --out is made
    now = time.time()
    report = report_from_graphs(
        loaded, files, ruleset, browser={"name": "none (re-checked saved graphs)"}, started=now, finished=now
    )
    report = writer.prepare(report)
    return _finish(report, writer.final(report), fail_on, as_json)


@cli.command()
@click.argument("report_file", metavar="REPORT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the rendered files.  [default: the report's folder]",
)
@click.option(
    "--format",
    "formats",
    default="all",
    show_default=True,
    callback=_formats,
    help="Comma-separated formats to render: json, html, sarif, junit, md, or all.",
)
@fail_on_option
@baseline_option
@suppressions_option
@json_option
def report(
    report_file: Path,
    out: Path | None,
    formats: list[str],
    fail_on: str,
    baseline: Path | None,
    suppressions: Path | None,
    as_json: bool,
) -> int:
    """Re-render a report.json in other formats (and re-triage it against a baseline or suppressions), with
    no browser. Screenshots stay in the report's folder; the HTML report links to them from --out."""
    rendered = triage(baseline, suppressions).apply(load_report(report_file))
    ctx = RenderContext(report_dir=report_file.parent, out_dir=prepare_out(out or report_file.parent))
    return _finish(rendered, write_reports(rendered, formats, ctx), fail_on, as_json)


@cli.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@out_option
@format_option
@fail_on_option
@json_option
def merge(reports: tuple[Path, ...], out: Path, formats: list[str], fail_on: str, as_json: bool) -> int:
    """Join the reports of `--shard` runs into one (same packs, no flow twice); evidence stays where it is and
    is linked from OUT. The exit code is the whole run's."""
    merged = merge_reports([(path, load_report(path)) for path in reports], out)
    ctx = RenderContext(report_dir=out, out_dir=prepare_out(out))
    return _finish(merged, write_reports(merged, formats, ctx), fail_on, as_json)


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/demo"),
    show_default=True,
    help="Folder for the demo report.",
)
@rules_option
@jobs_option
@quiet_option
def demo(out: Path, rules: tuple[str, ...], jobs: int | str, quiet: bool) -> int:
    """Serve the bundled demo sites on 127.0.0.1, audit all their flows, write every report format, print
    the findings. Exits 0 when the audit completed: the findings are what the demo is for."""
    from auditor.demo import demo_specs
    from auditor.demo.server import DemoServer
    from auditor.rules.pack import load_rules

    ruleset = load_rules(rules)
    with DemoServer() as server:
        os.environ["DEMO_URL"] = server.url
        flows = load_specs(demo_specs())
        if not quiet:
            click.echo(f"demo sites on {server.url}; auditing {len(flows)} flows ...", err=True)
        code = _explore(flows, out, ruleset, ReportWriter(out, list(FORMATS)), jobs, quiet, "never", False)
    click.echo(f"\nopen the HTML report: {(out / 'report.html').resolve().as_uri()}")
    return code


cli.add_command(rules_group)
cli.add_command(login)
cli.add_command(init)


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

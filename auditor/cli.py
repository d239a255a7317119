"""The `auditor` command: parse options, call the library, print, and return the exit code.

Exit codes (DESIGN.md): 0 nothing at/above --fail-on; 1 findings at/above --fail-on (with --baseline: new or
regressed ones, or a goal lost since); 2 bad usage or an invalid spec/pack; 3 the audit is incomplete (a site
unreachable, a crawl error, a lost session, a replaced tab: explore/explorer.cut_short; a goal or charge never
reached, every rule incomplete: report/seen_through.py) and nothing else failed.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from auditor import __version__
from auditor.baseline import triage
from auditor.cli_options import (
    STDOUT,
    Output,
    artifact_url_option,
    baseline_option,
    config_option,
    fail_on_option,
    format_option,
    jobs_option,
    json_option,
    no_stdout,
    out_option,
    quiet_option,
    report_folder,
    resolve_jobs,
    rules_option,
    suppressions_option,
    verbose_option,
    with_config,
)
from auditor.cli_reports import finish, merge, printed_format, report
from auditor.cli_rules import rules as rules_group
from auditor.cli_session import audited_flows, init, login, one_flow_options, with_run_options
from auditor.errors import AuditorError, InputError
from auditor.files import prepare_out
from auditor.plural import plural
from auditor.progress import progress_display
from auditor.report.formats import FORMATS, ReportWriter
from auditor.shard import parse_shard, select_shard
from auditor.spec import load_specs

if TYPE_CHECKING:
    from auditor.config import AuditConfig
    from auditor.rules.pack import RuleSet
    from auditor.spec import FlowSpec


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[int, int] | None:
    try:
        return parse_shard(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Audit cancellation, sign-up and purchase flows in a real browser for manipulative design.

    Settings come from the command line, then AUDITOR_* environment variables, then auditor.yaml (found here
    or in a parent folder up to the repository root), then the defaults."""


def _ruleset(rules: tuple[str, ...], config: AuditConfig | None) -> RuleSet:
    """The packs, with the config's per-flow overrides checked against them."""
    from auditor.rules.pack import load_rules

    ruleset = load_rules(rules)
    return replace(ruleset, flow_overrides=config.flow_overrides(ruleset)) if config else ruleset


def _spec_files(specs: tuple[Path, ...], config: AuditConfig | None) -> tuple[Path, ...]:
    """The SPEC arguments, or (none given) the spec files auditor.yaml names."""
    if specs or config is None or "specs" not in config.data:
        return specs
    return tuple(config.specs())


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
@artifact_url_option
@config_option
@json_option
@quiet_option
@verbose_option
@with_config
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
    inputs: dict[str, str],
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
    artifact_url: str | None,
    as_json: bool,
    config: AuditConfig | None,
    output: Output,
) -> int:
    """Explore each flow of SPEC files (or the one flow --url gives, or the specs auditor.yaml names), check
    them against the rule packs, write OUT/report.json and the other formats asked for."""
    printed = printed_format(out, formats, as_json)
    ruleset = _ruleset(rules, config)  # packs, specs and triage files are all checked before anything runs
    specs = () if url else _spec_files(specs, config)
    flows = audited_flows(specs, url, kind, goal_text, goal_url, flow_name, locale, device, storage_state, inputs)
    flows = with_run_options(flows, proxy, trace, max_rps, default_charges=not no_default_charges)
    if shard:
        flows = select_shard(flows, *shard)
        output.note(f"shard {shard[0]}/{shard[1]}: {', '.join(f.name for f in flows) or 'no flows'}")
    gate = triage(baseline, suppressions)
    with report_folder(out) as folder:
        root = config.folder if config else None  # SARIF paths relative to auditor.yaml's folder, run from anywhere
        writer = ReportWriter(folder, formats, gate, fail_on=fail_on, artifact_url=artifact_url, root=root)
        packs = ", ".join(p["pack"] for p in ruleset.describe())
        output.note(f"auditing {plural(len(flows), 'flow')} with {packs} ...")
        return _explore(flows, folder, ruleset, writer, jobs, output, fail_on, executor, ray_address, printed)


def _explore(
    flows: list[FlowSpec],
    out: Path,
    ruleset: RuleSet,
    writer: ReportWriter,
    jobs: int | str,
    output: Output,
    fail_on: str,
    executor: str = "local",
    ray_address: str | None = None,
    printed: str | None = None,
) -> int:
    """Run the audit with a progress display, then print and return the exit code."""
    from auditor.run import run

    prepare_out(out)  # a bad --out is exit 2 now, not a traceback after the crawl
    quiet = output.quiet or output.as_json or printed is not None
    with progress_display([f.name for f in flows], quiet, verbose=output.verbose) as progress:
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
    return finish(result.report, written, fail_on, output, printed)


@cli.command()
@click.argument("specs", nargs=-1, type=click.Path(path_type=Path))
@out_option
@jobs_option
@config_option
@quiet_option
@verbose_option
@with_config
def crawl(specs: tuple[Path, ...], out: Path, jobs: int | str, config: AuditConfig | None, output: Output) -> int:
    """Explore the flows of SPEC files (or those auditor.yaml names) only: OUT/flows/<flow>/graph.json and
    screenshots, no report (re-check them with `auditor check`)."""
    from auditor.run import run

    no_stdout(out, "crawl")
    specs = _spec_files(specs, config)
    if not specs:
        raise click.UsageError("give SPEC files, or write an auditor.yaml naming them (`specs:`)")
    flows = load_specs(specs)
    if config is not None:
        keys = [key for key in ("max_rps", "trace") if key in config.data]
        flows = [replace(flow, **{key: config.value(key) for key in keys}) for flow in flows]
    prepare_out(out)
    with progress_display([f.name for f in flows], output.quiet, verbose=output.verbose) as progress:
        result = run(flows, out, jobs=resolve_jobs(jobs, len(flows)), progress=progress)
    for flow in result.report["flows"]:
        click.echo(f"{flow['name']}: {out / flow['graph']}" if flow["graph"] else f"{flow['name']}: no graph")
    return 0 if result.complete else 3


@cli.command()
@click.argument("graphs", nargs=-1, type=click.Path(path_type=Path))
@out_option
@rules_option
@format_option
@fail_on_option
@baseline_option
@suppressions_option
@artifact_url_option
@config_option
@json_option
@quiet_option
@verbose_option
@with_config
def check(
    graphs: tuple[Path, ...],
    out: Path,
    rules: tuple[str, ...],
    formats: list[str],
    fail_on: str,
    baseline: Path | None,
    suppressions: Path | None,
    artifact_url: str | None,
    as_json: bool,
    config: AuditConfig | None,
    output: Output,
) -> int:
    """Re-check saved graph.json files (default: OUT/flows/*/graph.json of an earlier crawl) against rule
    packs, with no browser; writes OUT/report.json."""
    from auditor.assess import report_from_graphs
    from auditor.graph import FlowGraph, GraphError

    printed = printed_format(out, formats, as_json)
    if not graphs:
        if out == STDOUT:
            raise click.UsageError("give GRAPH files: with --out - there is no earlier crawl's folder to read")
        graphs = tuple(sorted(out.glob("flows/*/graph.json")))
        if not graphs:
            raise click.UsageError(f"give GRAPH files, or crawl first: no {out}/flows/*/graph.json")
    ruleset = _ruleset(rules, config)
    triaged = triage(baseline, suppressions)
    loaded: dict[str, FlowGraph] = {}
    files: dict[str, Path] = {}
    for path in graphs:
        try:
            graph = FlowGraph.load(path)
        except GraphError as exc:
            raise InputError(f"not a graph.json: {exc}", file=str(path), line=exc.line) from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"not a graph.json: {exc}", file=str(path)) from exc
        name = graph.flow.get("name") or path.stem
        loaded[name] = graph
        files[name] = path
    with report_folder(out) as folder:  # every input was checked before --out is made
        root = config.folder if config else None
        writer = ReportWriter(
            prepare_out(folder), formats, triaged, fail_on=fail_on, artifact_url=artifact_url, root=root
        )
        now = time.time()
        relative = {name: os.path.relpath(path, folder) for name, path in files.items()}
        report = report_from_graphs(
            loaded, relative, ruleset, browser={"name": "none (re-checked saved graphs)"}, started=now, finished=now
        )
        report = writer.prepare(report)
        return finish(report, writer.final(report), fail_on, output, printed)


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
@verbose_option
def demo(out: Path, rules: tuple[str, ...], jobs: int | str, quiet: bool, verbose: bool) -> int:
    """Serve the bundled demo sites on 127.0.0.1, audit all their flows, write every report format, print
    the findings. Exits 0 when the audit completed: the findings are what the demo is for."""
    from auditor.demo import demo_specs
    from auditor.demo.server import DemoServer
    from auditor.rules.pack import load_rules

    no_stdout(out, "demo")
    ruleset = load_rules(rules)
    output = Output(quiet, verbose)
    with DemoServer() as server:
        os.environ["DEMO_URL"] = server.url
        flows = load_specs(demo_specs())
        output.note(f"demo sites on {server.url}; auditing {plural(len(flows), 'flow')} ...")
        writer = ReportWriter(out, list(FORMATS))  # rendered as a default CI run would (fail-on error)
        code = _explore(flows, out, ruleset, writer, jobs, output, "never")
    click.echo(f"\nopen the HTML report: {(out / 'report.html').resolve().as_uri()}")
    return code


cli.add_command(report)
cli.add_command(merge)
cli.add_command(rules_group)
cli.add_command(login)
cli.add_command(init)


def main() -> None:
    """Run the command and turn every way it can end into an exit code and a message, never a traceback."""
    try:  # not cli.main(): it turns a closed pipe into exit 1 before we could see it
        with cli.make_context("auditor", sys.argv[1:]) as ctx:
            code = cli.invoke(ctx)
    except click.exceptions.Exit as exc:  # --help, --version
        code = exc.exit_code
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
    except BrokenPipeError:
        closed_pipe()
    sys.exit(code if isinstance(code, int) else 0)


def closed_pipe() -> None:
    """The reader of stdout went away (`auditor rules list --all | head`): what it wanted it has, so exit 0
    quietly, as `cat` and `ls` do; stdout is pointed at /dev/null so Python's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    sys.exit(0)

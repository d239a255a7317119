"""`auditor report` (re-render a report.json) and `auditor merge` (join shards), with no browser; and how every
command that ends in a report prints it: the one format `--out -` asked for, report.json with --json, or the
tables."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from auditor.baseline import load_report, triage
from auditor.cli_options import (
    Output,
    artifact_url_option,
    baseline_option,
    fail_on_option,
    format_option,
    formats_callback,
    json_option,
    no_stdout,
    out_option,
    quiet_option,
    report_folder,
    stdout_format,
    suppressions_option,
)
from auditor.files import prepare_out
from auditor.report.context import RenderContext
from auditor.report.formats import write_reports
from auditor.report.terminal import exit_code, findings_table, flows_table, triage_summary, warnings
from auditor.shard import merge_reports


def finish(
    report: dict[str, Any], written: dict[str, Path], fail_on: str, output: Output, printed: str | None = None
) -> int:
    """Print the outcome and return the exit code: the one format `--out -` asked for, report.json with
    --json, else the tables (messages cut to fit only on a terminal) and the files written."""
    if printed is not None:
        click.echo(written[printed].read_text("utf-8"), nl=False)
    elif output.as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        width = 100 if sys.stdout.isatty() else None
        click.echo(flows_table(report))
        click.echo("")
        click.echo(findings_table(report, width))
        summary = triage_summary(report)
        click.echo(f"{summary}\n" if summary else "")
        for name, path in written.items():
            click.echo(f"{name:>6}: {path}")
    for line in warnings(report):
        output.warn(line)
    return exit_code(report, fail_on)


def printed_format(out: Path, formats: list[str], as_json: bool) -> str | None:
    """The format `--out -` prints (cli_options.stdout_format); --json prints report.json already."""
    printed = stdout_format(out, formats)
    if printed is not None and as_json:
        raise click.UsageError("--json prints report.json; with --out - name one --format instead")
    return printed


@click.command()
@click.argument("report_file", metavar="REPORT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the rendered files; `-`: print the one --format asked for.  [default: the report's folder]",
)
@click.option(
    "--format",
    "formats",
    default="all",
    show_default=True,
    callback=formats_callback,
    help="Comma-separated formats to render: json, html, sarif, junit, md, or all.",
)
@fail_on_option
@baseline_option
@suppressions_option
@artifact_url_option
@json_option
@quiet_option
def report(
    report_file: Path,
    out: Path | None,
    formats: list[str],
    fail_on: str,
    baseline: Path | None,
    suppressions: Path | None,
    artifact_url: str | None,
    as_json: bool,
    quiet: bool,
) -> int:
    """Re-render a report.json in other formats (and re-triage it against a baseline or suppressions), with
    no browser. Screenshots stay in the report's folder; the HTML report links to them from --out."""
    printed = printed_format(out or report_file.parent, formats, as_json)
    rendered = triage(baseline, suppressions).apply(load_report(report_file))
    with report_folder(out or report_file.parent) as folder:
        ctx = RenderContext(report_file.parent, prepare_out(folder), fail_on=fail_on, artifact_url=artifact_url)
        written = write_reports(rendered, formats, ctx)
        return finish(rendered, written, fail_on, Output(quiet, False, as_json), printed)


@click.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@out_option
@format_option
@fail_on_option
@artifact_url_option
@json_option
@quiet_option
def merge(
    reports: tuple[Path, ...],
    out: Path,
    formats: list[str],
    fail_on: str,
    artifact_url: str | None,
    as_json: bool,
    quiet: bool,
) -> int:
    """Join the reports of `--shard` runs into one (same packs, no flow twice); evidence stays where it is and
    is linked from OUT. The exit code is the whole run's."""
    no_stdout(out, "merge")  # the merged report links its evidence from OUT, so OUT must stay
    merged = merge_reports([(path, load_report(path)) for path in reports], out)
    ctx = RenderContext(report_dir=out, out_dir=prepare_out(out), fail_on=fail_on, artifact_url=artifact_url)
    return finish(merged, write_reports(merged, formats, ctx), fail_on, Output(quiet, False, as_json))

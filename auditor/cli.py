"""The `auditor` command: parse options, call the library, print, and return the exit code.

Exit codes (DESIGN.md): 0 nothing at/above --fail-on; 1 findings at/above --fail-on; 2 bad usage or an
invalid spec/pack; 3 the audit is incomplete (a site unreachable, a crawl error) and nothing else failed.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from auditor import __version__
from auditor.errors import AuditorError
from auditor.spec import load_specs

SEVERITIES = ("error", "warning", "info")


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


def exit_code(report: dict[str, Any], fail_on: str) -> int:
    """1 when a finding is at/above fail-on; else 3 when any flow is incomplete; else 0."""
    if fail_on != "never":
        threshold = SEVERITIES.index(fail_on)
        if any(SEVERITIES.index(f["severity"]) <= threshold for f in report["findings"]):
            return 1
    return 3 if report["status"] != "complete" else 0


def summary_table(report: dict[str, Any]) -> str:
    rows = [("flow", "kind", "status", "goal", "steps", "pages", "detours", "states")]
    for f in report["flows"]:
        m = f.get("metrics") or {}
        rows.append(
            (
                f["name"],
                f["kind"],
                f["status"],
                "reached" if f["goal_reached"] else "not reached",
                _dash(m.get("steps_to_goal")),
                _dash(m.get("pages_to_goal")),
                _dash(m.get("detours")),
                _dash(m.get("states")),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def _dash(value: Any) -> str:
    return "-" if value is None else str(value)


def _finish(result: Any, out: Path, fail_on: str, as_json: bool) -> int:
    report = result.report
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(summary_table(report))
        click.echo(f"\nreport: {out / 'report.json'}")
        for flow in report["flows"]:
            if flow["status"] != "complete":
                click.echo(f"incomplete: {flow['name']}: {flow.get('error')}", err=True)
    return exit_code(report, fail_on)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
def cli() -> None:
    """Audit cancellation, sign-up and purchase flows in a real browser for manipulative design."""


common_options = [
    click.option(
        "--out",
        "out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("reports"),
        show_default=True,
        help="Folder for report.json, graphs and screenshots.",
    ),
    click.option(
        "--jobs",
        type=click.IntRange(1, 64),
        default=1,
        show_default=True,
        help="Flows explored at once (one browser, one context per flow).",
    ),
    click.option("--quiet", is_flag=True, help="No progress on stderr."),
]


def with_common(func: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(common_options):
        func = option(func)
    return func


@cli.command()
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@with_common
@click.option(
    "--format",
    "formats",
    default="json",
    show_default=True,
    help="Comma-separated report formats; only json is available in this version.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="error",
    show_default=True,
    help="Lowest finding severity that makes the exit code 1.",
)
@click.option("--json", "as_json", is_flag=True, help="Print report.json to stdout instead of the table.")
def audit(specs: tuple[Path, ...], out: Path, jobs: int, quiet: bool, formats: str, fail_on: str, as_json: bool) -> int:
    """Explore each flow of SPEC files and write OUT/report.json."""
    from auditor.run import run

    unknown = [f for f in formats.split(",") if f.strip() and f.strip() != "json"]
    if unknown:
        raise click.BadParameter(f"format(s) not available yet: {', '.join(unknown)}", param_hint="--format")
    flows = load_specs(specs)
    if not quiet:
        click.echo(f"auditing {len(flows)} flow(s) ...", err=True)
    result = run(flows, out, jobs=jobs, progress=_progress(quiet))
    return _finish(result, out, fail_on, as_json)


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path))
@with_common
def crawl(spec: Path, out: Path, jobs: int, quiet: bool) -> int:
    """Explore the flows of SPEC only: OUT/flows/<flow>/graph.json and screenshots, no report."""
    from auditor.run import run

    flows = load_specs([spec])
    result = run(flows, out, jobs=jobs, progress=_progress(quiet), write_report=False)
    for flow in result.report["flows"]:
        click.echo(f"{flow['name']}: {out / flow['graph']}" if flow["graph"] else f"{flow['name']}: no graph")
    return 0 if result.complete else 3


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports/demo"),
    show_default=True,
    help="Folder for the demo report.",
)
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="Flows explored at once.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
def demo(out: Path, jobs: int, quiet: bool) -> int:
    """Serve the bundled demo sites on 127.0.0.1 and audit all their flows."""
    from auditor.demo import demo_specs
    from auditor.demo.server import DemoServer
    from auditor.run import run

    with DemoServer() as server:
        os.environ["DEMO_URL"] = server.url
        flows = load_specs(demo_specs())
        if not quiet:
            click.echo(f"demo sites on {server.url}; auditing {len(flows)} flows ...", err=True)
        result = run(flows, out, jobs=jobs, progress=_progress(quiet))
    return _finish(result, out, "error", False)


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

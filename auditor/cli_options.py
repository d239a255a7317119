"""The options `auditor audit`, `crawl`, `check`, `report` and `merge` share, and where their values come from.

Precedence, highest first: the command line, then the environment (`AUDITOR_*`, named on each option), then
auditor.yaml (config.py), then the defaults shown in `--help`. Click tells which of these gave each value
(`get_parameter_source`), so `with_config` fills in from the config only what neither the command line nor
the environment set.

How much reaches stderr: `-q/--quiet` drops progress and notes (warnings stay, unless `--json` carries them
in the report: `--json --quiet` prints nothing on stderr but errors); `-v/--verbose` adds where each setting
came from and a line per explored state in logs. `--out -` prints the one format asked for to stdout.
"""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from auditor.config import CONFIG_NAME, AuditConfig, describe_settings, discover
from auditor.jobs import auto_jobs
from auditor.report.formats import parse_formats
from auditor.severity import SEVERITIES

STDOUT = Path("-")
# config key -> the parameter it fills (when the command has that parameter)
CONFIG_PARAMS = {
    "packs": "rules",
    "fail_on": "fail_on",
    "baseline": "baseline",
    "suppressions": "suppressions",
    "jobs": "jobs",
    "max_rps": "max_rps",
    "trace": "trace",
    "out": "out",
    "format": "formats",
    "artifact_url": "artifact_url",
}


def _web_address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"https?://[^\s<>]+", value):
        raise click.BadParameter("must be an http(s) address with no spaces or angle brackets", ctx=ctx, param=param)
    return value


def formats_callback(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


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


out_option = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    envvar="AUDITOR_OUT",
    show_envvar=True,
    help="Folder for report.json, graphs and screenshots; `-`: print the one --format asked for to stdout "
    "(the evidence is not kept).",
)
jobs_option = click.option(
    "--jobs",
    type=Jobs(),
    default="auto",
    show_default=True,
    envvar="AUDITOR_JOBS",
    show_envvar=True,
    help="Flows explored at once (one browser, one context per flow); auto: one per core, as memory allows.",
)
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="No progress or notes on stderr (with --json: no warnings either)."
)
verbose_option = click.option(
    "-v", "--verbose", is_flag=True, help="Say where each setting came from, and log every explored state."
)
rules_option = click.option(
    "--rules",
    multiple=True,
    metavar="PACK",
    envvar="AUDITOR_RULES",
    show_envvar=True,
    help="Rule pack: a shipped name (`auditor rules list` shows them) or a file. "
    "Repeatable; merged in order. Default: core. (AUDITOR_RULES: names separated by spaces.)",
)
format_option = click.option(
    "--format",
    "formats",
    default="json",
    show_default=True,
    envvar="AUDITOR_FORMAT",
    show_envvar=True,
    callback=formats_callback,
    help="Comma-separated report formats: json, html, sarif, junit, md, or all. report.json is always written.",
)
baseline_option = click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="AUDITOR_BASELINE",
    show_envvar=True,
    help="An earlier report.json: findings are marked new/unchanged/regressed, fixed ones listed, and --fail-on "
    "counts new and regressed findings (and goals lost since) only.",
)
suppressions_option = click.option(
    "--suppressions",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="AUDITOR_SUPPRESSIONS",
    show_envvar=True,
    help="YAML file of accepted findings (fingerprint, or rule + flow), each with a reason and optional expiry.",
)
fail_on_option = click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "never"]),
    default="error",
    show_default=True,
    envvar="AUDITOR_FAIL_ON",
    show_envvar=True,
    help="Lowest finding severity that makes the exit code 1 (with --baseline: new or regressed findings only).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print report.json to stdout instead of tables.")
artifact_url_option = click.option(
    "--artifact-url",
    metavar="URL",
    envvar="AUDITOR_ARTIFACT_URL",
    show_envvar=True,
    callback=_web_address,
    help="Where the report folder is published (a CI artifact): report.md links screenshots there. "
    "Without it report.md names them as text, so it stands alone (a step summary) with no broken link.",
)
config_option = click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="AUDITOR_CONFIG",
    show_envvar=True,
    help="The auditor.yaml to use.  [default: auditor.yaml here or in a parent, up to the repository root]",
)


@dataclass(frozen=True)
class Output:
    """What goes to stderr besides errors, by -q/-v and --json."""

    quiet: bool = False
    verbose: bool = False
    as_json: bool = False

    def note(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbose and not self.quiet:
            click.echo(message, err=True)

    def warn(self, message: str) -> None:
        if not (self.quiet and self.as_json):
            click.echo(message, err=True)


def with_config(command: Callable[..., Any]) -> Callable[..., Any]:
    """Fill the command's options that nothing set (see the module docstring) from the config, and hand the
    command `config` (or None) and `output` (an Output) in place of --config, -q and -v."""

    @functools.wraps(command)
    def wrapper(**params: Any) -> Any:
        ctx = click.get_current_context()
        config = discover(params.pop("config", None))
        output = Output(params.pop("quiet", False), params.pop("verbose", False), params.get("as_json", False))
        if config is not None:
            used = fill_from_config(ctx, config, params)
            output.detail(describe_settings(config, used))
        else:
            output.detail(f"no {CONFIG_NAME} in {Path.cwd()} or a parent up to the repository root")
        return command(config=config, output=output, **params)

    return wrapper


def fill_from_config(ctx: click.Context, config: AuditConfig, params: dict[str, Any]) -> list[str]:
    """Set each parameter left at its default to the config's value; returns the config keys used."""
    used = []
    for key, name in CONFIG_PARAMS.items():
        if name not in params or key not in config.data:
            continue
        if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None):
            continue
        value = config.value(key)
        params[name] = parse_formats(value) if name == "formats" else value
        used.append(key)
    return used


def stdout_format(out: Path, formats: Sequence[str]) -> str | None:
    """With `--out -`, the one format to print (the one asked for besides json, else json); None otherwise.
    `--out -` with two formats, or a command that writes no report, is a usage error."""
    if out != STDOUT:
        return None
    extra = [name for name in formats if name != "json"]
    if len(extra) > 1:
        raise click.UsageError(
            f"--out - prints one format to stdout, but --format asks for {', '.join(formats)}: "
            "name one (e.g. --format sarif --out -) or give --out a folder"
        )
    return extra[0] if extra else "json"


def no_stdout(out: Path, command: str) -> None:
    """Commands with no report to print refuse `--out -` rather than make a folder named `-`."""
    if out == STDOUT:
        raise click.UsageError(f"`auditor {command}` writes files, not a report to print: give --out a folder")


@contextmanager
def report_folder(out: Path) -> Iterator[Path]:
    """The folder a run writes into: `out`, or with `--out -` a temporary one, removed once the format asked for
    is printed (a run's graphs and screenshots are written as it goes, so they need a folder)."""
    if out != STDOUT:
        yield out
        return
    folder = Path(tempfile.mkdtemp(prefix="auditor-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)

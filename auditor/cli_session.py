"""`auditor login` (sign in once, save the session), `auditor init` (a commented spec to start from), and
the options of `auditor audit` that make one flow without a spec file (`--url`) or apply to every flow of a
run (`--proxy`, `--trace`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from auditor.pace import MAX_RPS
from auditor.plural import plural
from auditor.spec import FlowSpec, load_specs

_ONE_FLOW_OPTIONS = [
    click.option(
        "--url", metavar="URL", help="One flow without a spec file: its start URL (with --kind, --goal-text)."
    ),
    click.option(
        "--kind",
        type=click.Choice(["cancellation", "signup", "purchase", "in_app_purchase"]),
        help="With --url: the flow's kind.",
    ),
    click.option("--goal-text", multiple=True, metavar="TEXT", help="With --url: text that shows the goal is reached."),
    click.option("--goal-url", metavar="GLOB", help="With --url: a URL glob that shows the goal is reached."),
    click.option("--name", "flow_name", metavar="NAME", help="With --url: the flow's name (default: HOST-KIND)."),
    click.option("--locale", metavar="TAG", help="With --url: the browser's language, e.g. de-DE."),
    click.option("--device", metavar="NAME", help="With --url: a Playwright device, e.g. 'iPhone 13'."),
    click.option("--storage-state", metavar="FILE", help="With --url: a saved session (auditor login)."),
    click.option(
        "--input",
        "inputs",
        multiple=True,
        metavar="NAME=VALUE",
        callback=lambda ctx, param, value: parse_inputs(value),
        help="With --url: a form value by its field's label, name, id or placeholder, as a spec's `inputs`. "
        "Repeatable. Kept secret: masked in every output. Write 'Password=${SITE_PASSWORD}' (quoted) to keep "
        "the value out of the command line.",
    ),
    click.option(
        "--proxy",
        metavar="URL",
        help="Send every flow's traffic through this proxy (http://host:3128, socks5://host:1080); overrides specs.",
    ),
    click.option(
        "--max-rps",
        type=click.FloatRange(min=0),
        default=MAX_RPS,
        show_default=True,
        envvar="AUDITOR_MAX_RPS",
        show_envvar=True,
        help="Requests a second each flow may send to a host, after a one-second burst (0: no cap); a 429 or 503 "
        "with Retry-After pauses that host (at most 60 s).",
    ),
    click.option(
        "--no-default-charges",
        is_flag=True,
        help="Purchase flows: hold only the requests the spec's `charges` name, not the shipped default patterns "
        "(payment providers, and the site's own non-GET requests that name order, checkout, pay...). Unsafe.",
    ),
    click.option(
        "--trace",
        type=click.Choice(["off", "on", "retain-on-finding"]),
        default="off",
        show_default=True,
        envvar="AUDITOR_TRACE",
        show_envvar=True,
        help="A Playwright trace per flow (OUT/flows/<flow>/trace.zip; playwright show-trace), kept always or only "
        "for flows with findings.",
    ),
]


def parse_inputs(values: tuple[str, ...]) -> dict[str, str]:
    """`--input NAME=VALUE` pairs; a mistake names the option and the name, never the value (a password)."""
    inputs: dict[str, str] = {}
    for i, item in enumerate(values, 1):
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"the {_nth(i)} --input is not NAME=VALUE (its value is not shown)")
        if name.strip() in inputs:
            raise click.BadParameter(f"--input {name.strip()!r} is given twice")
        inputs[name.strip()] = value
    return inputs


def _nth(i: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(i, f"{i}th")


def one_flow_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--url`, `--kind`, `--goal-text`, ..., `--proxy`, `--max-rps` and `--trace` on a command (auditor audit)."""
    for option in reversed(_ONE_FLOW_OPTIONS):
        command = option(command)
    return command


def audited_flows(
    specs: tuple[Path, ...],
    url: str | None,
    kind: str | None,
    goal_text: tuple[str, ...],
    goal_url: str | None,
    name: str | None,
    locale: str | None,
    device: str | None,
    storage_state: str | None,
    inputs: dict[str, str] | None = None,
) -> list[FlowSpec]:
    """The flows of the SPEC files, or the one flow `--url` and its options give (checked like a spec)."""
    from auditor.oneoff import spec_from_options

    if url is None:
        if inputs:
            raise click.UsageError("--input fills a --url run's forms; a spec file has `inputs:` for that")
        if not specs:
            raise click.UsageError(
                "give SPEC files, or --url URL --kind KIND --goal-text TEXT for one flow, or write an auditor.yaml "
                "naming the specs (`auditor init URL --write flows/x.yaml` writes both)"
            )
        return load_specs(specs)
    if specs or kind is None:
        raise click.UsageError("--url takes no SPEC files and needs --kind (and --goal-text or --goal-url)")
    goal = {k: v for k, v in {"text": list(goal_text), "url": goal_url}.items() if v} or None
    options = {"name": name, "kind": kind, "start": url, "locale": locale, "device": device}
    return [spec_from_options({**options, "goal": goal, "storage_state": storage_state, "inputs": inputs or None})]


def with_run_options(
    flows: list[FlowSpec], proxy: str | None, trace: str, max_rps: float, *, default_charges: bool = True
) -> list[FlowSpec]:
    """The flows with `--proxy` (over each spec's own), `--trace`, `--max-rps` and `--no-default-charges`."""
    from auditor.oneoff import spec_from_options

    changes: dict[str, Any] = {"trace": trace, "max_rps": max_rps, "default_charges": default_charges}
    if proxy is not None:  # checked as a spec's `proxy:` is
        changes["proxy"] = spec_from_options({"kind": "purchase", "start": "http://x.invalid/", "proxy": proxy}).proxy
    return [replace(flow, **changes) for flow in flows]


@click.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "--save",
    "target",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the session (Playwright storage state: cookies and local storage), mode 0600.",
)
@click.option(
    "--flow", "flow_name", metavar="NAME", help="The flow whose setup signs in (default: the first with setup)."
)
def login(spec: Path, target: Path, flow_name: str | None) -> int:
    """Run the setup steps of a flow in SPEC once (log in) and save the browser session to FILE, for flows
    that name it in `storage_state`. Nothing typed is ever printed."""
    from auditor.login import pick_flow, save_session

    flow = pick_flow(load_specs([spec], need_state=False), flow_name)
    steps = plural(len({s.number for s in flow.setup}), "step")
    click.echo(f"signing in with the setup of {flow.name} ({steps}) ...", err=True)
    saved = asyncio.run(save_session(flow, target))
    kept = f"{plural(saved['cookies'], 'cookie')}, {plural(saved['origins'], 'origin')}"
    click.echo(f"saved the session of {flow.name} to {target} ({kept})")
    if saved["typed"]:
        click.echo(
            f"warning: the site stored {saved['typed']} of the values the setup typed (a password?) in its cookies "
            f"or local storage, so {target} holds them too: keep it as secret as the password",
            err=True,
        )
    return 0


@click.command()
@click.argument("url")
@click.option(
    "--kind",
    type=click.Choice(["cancellation", "signup", "purchase", "in_app_purchase"]),
    default="cancellation",
    show_default=True,
    help="The flow's kind.",
)
@click.option(
    "--write",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the spec to FILE (never over an existing file) instead of printing it.",
)
def init(url: str, kind: str, target: Path | None) -> int:
    """Print (or --write) a commented flow spec for URL to start from: fill in the goal and audit it. With
    --write, also an auditor.yaml beside it naming it, unless one is found there or above."""
    from auditor.errors import InputError
    from auditor.files import write_new
    from auditor.oneoff import default_name, init_text, spec_from_options

    spec_from_options({"kind": kind, "start": url, "goal": {"text": "x"}})  # a bad URL: exit 2, as in a spec
    text = init_text(url, kind, str(target or "flow.yaml"))
    if target is None:
        click.echo(text, nl=False)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        write_new(target, text)  # never over an existing file, nor through a link planted there
    except FileExistsError:
        raise InputError("already exists; init never overwrites a spec", file=str(target)) from None
    click.echo(f"wrote {target}; fill in its goal, then: auditor audit {target} --format html", err=True)
    _write_config(target, default_name(url, kind))
    return 0


def _write_config(spec: Path, flow: str) -> None:
    """An auditor.yaml beside the new spec, naming it, so a bare `auditor audit` there runs it; one found
    already (there or in a parent up to the repository root) is left alone, since it is the team's."""
    from auditor.config import CONFIG_NAME, config_text, find_config
    from auditor.files import write_new

    found = find_config(spec.parent)
    if found is not None:
        click.echo(f"{found} already exists: add {spec} to its `specs` if no glob there names it", err=True)
        return
    config = spec.parent / CONFIG_NAME
    write_new(config, config_text(spec.name, flow))
    click.echo(f"wrote {config} naming it: `auditor audit` alone, run in {spec.parent}, audits it", err=True)

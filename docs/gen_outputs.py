"""Regenerates every command output the docs show (docs/outputs/*.txt), by running the real `auditor` on the
bundled demo sites and the test sites, so that no figure in the docs is pasted by hand or goes stale unseen.

    .venv/bin/python docs/gen_outputs.py            # every output (about 5 minutes on 2 cores: the demo)
    .venv/bin/python docs/gen_outputs.py intl init  # only these

Each output file holds the command line as typed (`$ auditor ...`), what it printed (stdout and stderr, as a
terminal interleaves them) and its exit code. The run happens in a scratch folder holding the
specs under the names the docs use; the servers' random ports are written as 8800 (demo sites) and 8801 (test
sites), and the scratch folder's path as the current folder, so that a regenerated page differs only where the
auditor's output did. The docs include these files with `--8<--` (pymdownx.snippets). README.md, which GitHub
shows without that extension, gets a copy instead: a block between `<!-- gen:NAME -->` and `<!-- /gen -->` is
rewritten with outputs/NAME.txt."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ROOT / "docs" / "outputs"
README = ROOT / "README.md"
GEN_BLOCK = re.compile(r"(<!-- gen:([\w-]+) -->\n).*?(<!-- /gen -->)", re.S)
sys.path.insert(0, str(ROOT))

from auditor.demo.server import DemoServer  # noqa: E402
from tests.site_routes import MEMBERS_PASSWORD  # noqa: E402
from tests.site_routes import ROUTES as SITES_ROUTES  # noqa: E402

DEMO_PORT_SHOWN = "http://127.0.0.1:8800"
SITES_PORT_SHOWN = "http://127.0.0.1:8801"


@dataclass(frozen=True)
class Example:
    """One command the docs show: its name (the output file's), the shell lines as typed (run in order, each
    shown with its output), and the files it needs in the scratch folder (name: source under the repository)."""

    name: str
    lines: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()
    finding: tuple[str, str] = ("", "")  # (report.json under the scratch folder, rule): also NAME-finding.json
    exports: tuple[tuple[str, str, str], ...] = ()  # (variable, value, as shown): one `$ export` line first


EXAMPLES = (
    Example("demo", ("auditor demo",)),
    Example(
        "iliad",
        ("auditor audit flows/iliad.yaml --rules us-ftc --out readme-out",),
        (("flows", "flows"),),
        ("readme-out/report.json", "cancel.exit-less-prominent"),
    ),
    Example(
        "intl",
        ("auditor audit intl.yaml --out intl --format json,html --rules de",),
        (("intl.yaml", "tests/sites/intl/flow.yaml"),),
    ),
    Example(
        "walled",
        ("auditor audit walled.yaml --out walled --quiet",),
        (("walled.yaml", "tests/sites/walled/flow.yaml"),),
    ),
    Example(
        "oneoff",
        (
            "auditor audit --url ${SITES_URL}/tiny/index.html --kind cancellation"
            ' --goal-text "Your plan has been cancelled" --out oneoff',
        ),
    ),
    Example(
        "members",
        (
            "auditor login members.yaml --save members.json",
            "auditor audit members.yaml --out out --format json,html",
        ),
        (("members.yaml", "tests/sites/members/flow.yaml"),),
        exports=(
            ("SITES_URL", "${SITES_URL}", SITES_PORT_SHOWN),
            ("MEMBERS_EMAIL", "sam@example.test", "sam@example.test"),
            ("MEMBERS_PASSWORD", MEMBERS_PASSWORD, "..."),
            ("MEMBERS_STATE", "members.json", "members.json"),
        ),
    ),
    Example("init", ("auditor init https://shop.example.com/account --write shop.yaml", "head -7 shop.yaml")),
    Example(
        "traces",
        (
            "auditor audit tiny.yaml --out traced --format json,html --trace on --quiet",
            "ls traced/flows/tiny-cancel/",
        ),
        (("tiny.yaml", "tests/sites/tiny/flow.yaml"),),
    ),
    Example("references", ("auditor rules list --rules de --references",)),
    Example(
        "config",
        (
            "auditor audit -v",
            'auditor audit --quiet --format junit --out - | grep -o \'<skipped message="[^"]*"\'',
        ),
        (("auditor.yaml", "docs/examples/auditor.yaml"), ("flows", "flows")),
    ),
    Example("wording", ("python -m bench.wording",), (("bench", "bench"),)),
)


def run_line(line: str, cwd: Path, env: dict[str, str]) -> tuple[str, int]:
    """One shell line, as a user would type it, with `auditor` the installed one; stdout and stderr interleaved
    as a terminal shows them."""
    result = subprocess.run(
        ["bash", "-c", line],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1800,
        check=False,
    )
    return result.stdout, result.returncode


OTHER_SERVER = re.compile(r"http://127\.0\.0\.1:\d+")


def tidy(text: str, replacements: dict[str, str]) -> str:
    """The scratch folder and our servers' ports as the docs show them; a port left over is the one `auditor
    demo` picked for its own demo server."""
    for old, new in replacements.items():
        text = text.replace(old, new)
    return OTHER_SERVER.sub(
        lambda m: m.group(0) if m.group(0) in (DEMO_PORT_SHOWN, SITES_PORT_SHOWN) else DEMO_PORT_SHOWN, text
    )


FINDING_KEYS = ("rule", "severity", "flow", "message", "fingerprint", "references", "evidence")
EVIDENCE_KEYS = ("url", "state", "screenshot", "selector", "label", "path")


def finding_excerpt(report: Path, rule: str) -> str:
    """The first finding of `rule` in a report.json, with the keys a reader needs first."""
    data = json.loads(report.read_text())
    found = next(f for f in data["findings"] if f["rule"] == rule)
    shown = {k: found[k] for k in FINDING_KEYS if k in found}
    shown["evidence"] = {k: found["evidence"][k] for k in EVIDENCE_KEYS if k in found.get("evidence", {})}
    return json.dumps(shown, indent=2, ensure_ascii=False) + "\n"


def generate(example: Example, env: dict[str, str], replacements: Callable[[Path], dict[str, str]]) -> str:
    with tempfile.TemporaryDirectory(prefix="docs-") as tmp:
        scratch = Path(tmp)
        for name, source in example.files:
            (scratch / name).symlink_to(ROOT / source)
        shown: list[str] = []
        if example.exports:
            env = dict(env, **{name: Template(value).substitute(env) for name, value, _ in example.exports})
            shown.append("$ export " + " ".join(f"{name}={as_shown}" for name, _, as_shown in example.exports) + "\n")
        for line in example.lines:
            output, code = run_line(line, scratch, env)
            typed = line.replace("${SITES_URL}", SITES_PORT_SHOWN)
            shown.append(f"$ {typed}\n{output}")
            if code:
                shown.append(f"(exit code {code})\n")
        report, rule = example.finding
        if report:
            excerpt = tidy(finding_excerpt(scratch / report, rule), replacements(scratch))
            (OUTPUTS / f"{example.name}-finding.json").write_text(excerpt)
        return tidy("".join(shown), replacements(scratch))


def main(names: list[str]) -> int:
    chosen = [e for e in EXAMPLES if not names or e.name in names]
    unknown = set(names) - {e.name for e in EXAMPLES}
    if unknown:
        print(f"gen_outputs.py: no example named {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    auditor = Path(sys.executable).parent / "auditor"
    OUTPUTS.mkdir(parents=True, exist_ok=True)
    with DemoServer() as demo, DemoServer(sites_dir=ROOT / "tests" / "sites", routes=SITES_ROUTES) as sites:
        env = dict(os.environ, DEMO_URL=demo.url, SITES_URL=sites.url, COLUMNS="200")
        env["PATH"] = f"{auditor.parent}{os.pathsep}{env['PATH']}"

        def replacements(scratch: Path) -> dict[str, str]:
            return {
                f"file://{scratch}/": "file://$PWD/",
                f"{scratch}/": "",
                demo.url: DEMO_PORT_SHOWN,
                sites.url: SITES_PORT_SHOWN,
                demo.url.replace("127.0.0.1", "localhost"): DEMO_PORT_SHOWN.replace("127.0.0.1", "localhost"),
            }

        for example in chosen:
            print(f"gen_outputs.py: {example.name}: {' && '.join(map(shlex.quote, example.lines))}", file=sys.stderr)
            (OUTPUTS / f"{example.name}.txt").write_text(generate(example, env, replacements))
    fill_readme()
    return 0


def fill_readme() -> None:
    """Copy each output README.md asks for into its gen block, as a fenced block."""

    def block(match: re.Match[str]) -> str:
        output = (OUTPUTS / f"{match.group(2)}.txt").read_text()
        return f"{match.group(1)}```\n{output.rstrip()}\n```\n{match.group(3)}"

    README.write_text(GEN_BLOCK.sub(block, README.read_text()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

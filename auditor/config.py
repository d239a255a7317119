"""auditor.yaml: a repository's audit settings, found the way git finds its folder, so `auditor audit` needs no
arguments in CI or on a laptop.

Discovery: `--config FILE` (or AUDITOR_CONFIG) names the file; otherwise `auditor.yaml` in the working directory
or the nearest parent, stopping at the repository root (the first folder holding a `.git` entry). Outside a
repository only the working directory is looked in, so a stray file in a parent of a temp folder never applies.

Every path in the file (specs, pack files, baseline, suppressions, out) is relative to the file's folder, so a
run from a subfolder audits the same thing. The file is read like a spec (yamlsource.py) and checked against
schemas/config.schema.json; every mistake is `file:line: what is wrong`, exit 2, before anything runs.
"""

from __future__ import annotations

import difflib
import glob
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import InputError
from auditor.rules.pack import RuleSet, options_problems, shipped_names
from auditor.rules.scoped import FlowOverride
from auditor.schema_check import describe, schema_problems
from auditor.yamlsource import Problem, YamlDoc, label, load_yaml, raise_problems

CONFIG_NAME = "auditor.yaml"
SCHEMA = "config.schema.json"
PATH_KEYS = ("baseline", "suppressions", "out")


def find_config(start: Path) -> Path | None:
    """`auditor.yaml` in `start` or a parent up to the repository root (see the module docstring)."""
    start = start.resolve()
    folders = [start, *start.parents]
    root = next((i for i, folder in enumerate(folders) if (folder / ".git").exists()), None)
    for folder in folders[: 1 if root is None else root + 1]:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class AuditConfig:
    """A checked auditor.yaml: its values as written, and the paths they mean."""

    doc: YamlDoc

    @property
    def file(self) -> Path:
        return Path(self.doc.file)

    @property
    def folder(self) -> Path:
        return self.file.parent

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data

    def value(self, key: str) -> Any:
        """A setting as the command-line option takes it: paths made absolute, packs resolved."""
        raw = self.data[key]
        if key in PATH_KEYS:
            return self.folder / raw
        if key == "packs":
            return tuple(self.pack(ref) for ref in raw)
        if key == "format":
            return ",".join(raw)
        return raw

    def pack(self, ref: str) -> str:
        """A shipped pack's name as it is; a pack file relative to this file's folder."""
        return ref if ref in shipped_names() else str(self.folder / ref)

    def specs(self) -> list[Path]:
        """The spec files the `specs` globs match (each glob must match one at least), in a stable order."""
        found: list[Path] = []
        problems = []
        for i, pattern in enumerate(self.data.get("specs") or []):
            matched = sorted(glob.glob(pattern, root_dir=self.folder, recursive=True))
            files = [self.folder / m for m in matched if (self.folder / m).is_file()]
            if not files:
                problems.append(self.doc.problem(("specs", i), f"specs[{i}]: {pattern!r} matches no file"))
            found += [f for f in files if f not in found]
        raise_problems(problems)
        return found

    def flow_overrides(self, ruleset: RuleSet) -> tuple[FlowOverride, ...]:
        """`overrides`, checked against the merged packs: known rule ids, options the rule's check takes."""
        problems: list[Problem] = []
        out = []
        for i, raw in enumerate(self.data.get("overrides") or []):
            at = ("overrides", i)
            if "flows" not in raw and "specs" not in raw:
                problems.append(self.doc.problem(at, f"overrides[{i}]: name the flows (`flows:` or `specs:` globs)"))
            for rule_id, change in raw["rules"].items():
                problems += self._change_problems(ruleset, (*at, "rules", rule_id), rule_id, change)
            where = f"{self.doc.file}:{self.doc.line(at)}"
            base = str(self.folder.resolve())
            out.append(
                FlowOverride(tuple(raw.get("flows", ())), tuple(raw.get("specs", ())), base, raw["rules"], where)
            )
        raise_problems(sorted(problems, key=lambda p: p.line))
        return tuple(out)

    def _change_problems(
        self, ruleset: RuleSet, at: tuple[str | int, ...], rule_id: str, change: dict[str, Any]
    ) -> list[Problem]:
        rule = ruleset.rules.get(rule_id)
        if rule is None:
            close = difflib.get_close_matches(rule_id, list(ruleset.rules), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return [self.doc.problem(at, f"{label(at)}: no rule {rule_id!r} in the packs this run uses{hint}")]
        if change.get("enabled") and not rule.enabled:
            message = f"{label(at)}: the rule is off in the packs; turn it on in a pack and off here for some flows"
            return [self.doc.problem((*at, "enabled"), message)]
        if "options" not in change:
            return []
        return options_problems(self.doc, (*at, "options"), rule.check, {**rule.options, **change["options"]})


def load_config(path: Path) -> AuditConfig:
    """Read and check one config file (InputError, `file:line: what`, on any mistake)."""
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise InputError(
            f"a config file must be a mapping of settings, not {describe(doc.data)}", file=doc.file, line=1
        )
    raise_problems(schema_problems(doc, SCHEMA))
    return AuditConfig(doc)


def discover(named: Path | None, cwd: Path | None = None) -> AuditConfig | None:
    """The config a command uses: the file named (it must exist), else the one found from `cwd`, else none."""
    if named is not None:
        return load_config(named)
    found = find_config(cwd or Path.cwd())
    return load_config(found) if found else None


def describe_settings(config: AuditConfig, keys: Sequence[str]) -> str:
    """The settings a run took from the config, for `--verbose`."""
    used = [f"{key}: {json.dumps(config.data[key])}" for key in keys if key in config.data]
    return f"config {config.file}: " + (
        "; ".join(used) if used else "no setting taken (the command line or the environment set them)"
    )


CONFIG_TEMPLATE = """\
# auditor.yaml, written by `auditor init`: what `auditor audit` (with no arguments) audits, and how. A run in
# this folder finds it, and in a git repository so does a run in any folder below. Paths are relative to it.
# The command line overrides it, and so do AUDITOR_* environment variables (e.g. AUDITOR_FAIL_ON=warning).
specs:                          # spec files to audit (globs: flows/*.yaml)
  - {spec}
packs: [core]                   # rule packs: shipped names (`auditor rules list` shows them) or pack files
fail_on: error                  # error | warning | info | never: the lowest severity that fails the run (exit 1)
# baseline: baseline/report.json  # an earlier report.json: then only new and regressed findings fail the run
# suppressions: suppressions.yaml # accepted findings, each with a reason (and an expiry date)
jobs: auto                      # flows explored at once: a number or auto
# max_rps: 20                   # requests a second each flow may send to a host
# trace: retain-on-finding      # off | on | retain-on-finding: a Playwright trace per flow
out: reports                    # the report folder
format: [json, html, md, junit, sarif]
# artifact_url: https://ci.example/artifacts/reports/  # where CI publishes `out`: report.md links screenshots there
# overrides:                    # rule changes for some flows only (by flow name or spec file glob)
#   - flows: ["{name}"]
#     rules:
#       cancel.too-many-steps: {{options: {{max_steps: 8}}, severity: info}}
"""


def config_text(spec: str, name: str) -> str:
    """The commented auditor.yaml `auditor init --write` puts beside the spec: it names that spec file."""
    return CONFIG_TEMPLATE.format(spec=json.dumps(spec), name=name)

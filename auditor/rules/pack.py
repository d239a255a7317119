"""Loading rule packs: one file, its `extends` chain, validation, and the merge into one RuleSet.

A pack names others in `extends` (a shipped pack's name, or a path relative to the pack's file). The
merge is deterministic:
  1. The packs are ordered depth-first, each pack's `extends` in the order listed and before the pack
     itself; a pack reached twice (a diamond) counts once, where it was first reached.
  2. In that order, each pack adds its vocabulary (phrases are unioned, per category and language) and
     its `rules` (an id already defined by another pack is an error: change it with `overrides`).
  3. Then its `overrides` apply, by id, to the rules merged so far: `severity`, `applies_to`, `message`,
     `enabled` replace; `options` are merged key by key; `references` are appended.
Several `--rules` packs merge as if one pack extended them all, in the order given.
Every mistake is a `file:line: what is wrong` (InputError, exit 2), found before anything runs.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from auditor.classify import Vocabulary
from auditor.errors import InputError
from auditor.rules.checks import REGISTRY
from auditor.rules.regex_safety import problem as regex_problem
from auditor.rules.scoped import FlowOverride
from auditor.schema_check import schema_problems
from auditor.spec import SourceRef
from auditor.yamlsource import Problem, YamlDoc, clip, label, load_yaml, raise_problems

SCHEMA = "rule-pack.schema.json"
DEFAULT_PACK = "core"
MAX_EXTENDS_DEPTH = 32


def shipped_dir() -> Path:
    return Path(str(resources.files("auditor.rules").joinpath("packs")))


def shipped_names() -> list[str]:
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    severity: str
    applies_to: tuple[str, ...]
    check: str
    message: str
    options: Mapping[str, Any] = field(default_factory=dict)
    references: tuple[Mapping[str, Any], ...] = ()
    tags: tuple[str, ...] = ()
    help: str = ""
    help_url: str = ""
    enabled: bool = True
    pack: str = ""
    source: SourceRef = SourceRef("", 0)


@dataclass(frozen=True)
class PackFile:
    """One pack as written in its file."""

    name: str
    version: str
    path: Path
    doc: YamlDoc
    shipped: bool = False  # one of the auditor's own packs, checked by its tests (see load_pack_file)

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data


@dataclass(frozen=True)
class RuleSet:
    """The merged result of one or more packs: what an audit applies."""

    packs: tuple[PackFile, ...]
    rules: Mapping[str, Rule]
    vocabulary: Vocabulary
    vocabulary_data: Mapping[str, Any]
    flow_overrides: tuple[FlowOverride, ...] = ()  # auditor.yaml's per-flow changes (rules/scoped.py)

    @property
    def enabled(self) -> list[Rule]:
        return [r for r in self.rules.values() if r.enabled]

    def for_flow(self, flow: str, spec_file: str | None) -> RuleSet:
        """The rules one flow is held to: every matching per-flow override applied in order (`severity` and
        `enabled` replace, `options` merge key by key)."""
        rules = dict(self.rules)
        for override in self.flow_overrides:
            if override.matches(flow, spec_file):
                for rule_id, change in override.changes.items():
                    updates = {key: change[key] for key in ("severity", "enabled") if key in change}
                    if "options" in change:
                        updates["options"] = {**rules[rule_id].options, **change["options"]}
                    rules[rule_id] = replace(rules[rule_id], **updates)
        return replace(self, rules=rules, flow_overrides=()) if self.flow_overrides else self

    def describe(self) -> list[dict[str, str]]:
        return [{"pack": p.name, "version": p.version, "file": str(p.path)} for p in self.packs]


# ---------------------------------------------------------------- one file
def _options_validator(check: str) -> Draft202012Validator:
    spec = REGISTRY[check]
    required = [name for name, schema in spec.options.items() if "default" not in schema]
    return Draft202012Validator(
        {"type": "object", "properties": dict(spec.options), "additionalProperties": False, "required": required}
    )


def options_problems(doc: YamlDoc, path: tuple[str | int, ...], check: str, options: Any) -> list[Problem]:
    problems = []
    for error in _options_validator(check).iter_errors(options or {}):
        where = path + tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            known = list(REGISTRY[check].options)
            for name in sorted(set(error.instance) - set(known)):
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"options: {', '.join(known) or 'none'}"
                problems.append(
                    doc.problem((*path, name), f"{label(path)}: check {check!r} has no option {name!r} ({hint})")
                )
            continue
        else:  # jsonschema repeats the value, which may be huge
            message = f"{label(where)}: {error.message if len(error.message) <= 200 else error.message[:196] + ' ...'}"
        problems.append(doc.problem(where, message))
    return problems


def _template_problem(
    doc: YamlDoc, path: tuple[str | int, ...], template: str, check: str | None = None
) -> Problem | None:
    """A message template's problem: not a template, a field that is no plain name, or (with `check`, when
    the check is known) a name that is neither a figure the check measures nor one of its options."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return doc.problem(path, f"{label(path)}: not a valid message template ({exc}); write {{figure}}")
    for name, spec, conversion in fields:
        # The engine fills templates with str.format: `{0}`, `{}`, `{x.attr}`, `{x[0]}`, `{x:.2f}` or `{x!z}`
        # would pass here and raise (or reach into objects) when a finding is written, so only names pass.
        if not name.isidentifier() or spec or conversion not in (None, "r", "s", "a"):
            field = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            message = f"{label(path)}: {field[:60]!r} is not a figure; write {{figure}} (a name, no format)"
            return doc.problem(path, message)
    known = REGISTRY[check].message_names if check in REGISTRY else None
    for name, _, _ in fields:
        if known is not None and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"did you mean {{{close[0]}}}?" if close else f"it has: {', '.join(sorted(known)) or 'none'}"
            message = f"{label(path)}: check {check!r} measures no figure {{{name}}} ({hint})"
            return doc.problem(path, message)
    return None


def _vocabulary_problems(doc: YamlDoc) -> list[Problem]:
    """Regular expressions in the vocabulary (entries written as `re:...`) must compile and be safe to match
    (regex_safety.problem: RE2 accepts them, no empty match, no nested repetition)."""
    problems = []
    vocab = doc.data.get("vocabulary") or {}
    groups: list[tuple[tuple[str | int, ...], Any]] = [(("vocabulary", "refuse"), vocab.get("refuse"))]
    for section in ("intents", "phrases"):
        for name, langs in (vocab.get(section) or {}).items():
            groups.append((("vocabulary", section, name), langs))
    for path, langs in groups:
        for lang, phrases in (langs or {}).items():
            for i, phrase in enumerate(phrases or []):
                if isinstance(phrase, str) and phrase.startswith("re:"):
                    problem = regex_problem(phrase[3:])
                    if problem:
                        where = (*path, lang, i)
                        problems.append(doc.problem(where, f"{label(where)}: {problem}"))
    return problems


def _combined_problems(pack: PackFile, vocabulary: Mapping[str, Any]) -> list[Problem]:
    """Each category's phrases, from every pack merged so far, become one regex; it must compile too (two
    phrases may not name the same group), or the first label classified would raise instead."""
    vocab = Vocabulary.from_mapping(vocabulary)
    own = pack.data.get("vocabulary") or {}
    tries: list[tuple[tuple[str, ...], Any]] = []
    if own.get("refuse"):
        tries.append((("vocabulary", "refuse"), lambda: vocab.refuses("")))
    if own.get("intents"):
        tries.append((("vocabulary", "intents"), lambda: vocab.intent("")))
    for name in own.get("phrases") or {}:
        tries.append((("vocabulary", "phrases", name), lambda name=name: vocab.find(name, "")))
    problems = []
    for path, attempt in tries:
        try:
            attempt()
        except (re.error, OverflowError, RecursionError) as exc:
            message = f"{label(path)}: its phrases do not join into one regular expression ({exc})"
            problems.append(pack.doc.problem(path, message))
    return problems


def load_pack_file(path: str | Path) -> PackFile:
    """Read and validate one pack file on its own (its references to other packs are checked in the merge).
    A pack shipped with the auditor is read, not checked: the test suite checks each one as it checks a
    user's (tests/test_packs.py), and its regular expressions, compiled to be checked, cost every run half a
    second."""
    doc = load_yaml(path)
    if Path(path).resolve().parent == shipped_dir().resolve() and isinstance(doc.data, dict):
        return PackFile(doc.data["pack"], str(doc.data["version"]), Path(path), doc, shipped=True)
    return _checked(doc, Path(path))


def _checked(doc: YamlDoc, path: Path) -> PackFile:
    if not isinstance(doc.data, dict):
        raise_problems([doc.problem((), "a rule pack is a mapping with `pack`, `version` and `rules`")])
    problems = schema_problems(doc, SCHEMA)
    if problems:
        raise_problems(problems)
    data = doc.data
    seen: dict[str, int] = {}
    for i, rule in enumerate(data.get("rules") or []):
        rid = rule["id"]
        if rid in seen:
            problems.append(doc.problem(("rules", i, "id"), f"duplicate rule id {rid!r} (first at line {seen[rid]})"))
        seen.setdefault(rid, doc.line(("rules", i, "id")))
        if rule["check"] not in REGISTRY:
            close = difflib.get_close_matches(rule["check"], REGISTRY, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (checks: {', '.join(sorted(REGISTRY))})"
            problems.append(
                doc.problem(("rules", i, "check"), f"rules[{i}].check: unknown check {rule['check']!r}{hint}")
            )
        else:
            problems += options_problems(doc, ("rules", i, "options"), rule["check"], rule.get("options"))
        template = _template_problem(doc, ("rules", i, "message"), rule["message"], rule["check"])
        problems += [template] if template else []
    for i, override in enumerate(data.get("overrides") or []):
        if "message" in override:
            template = _template_problem(doc, ("overrides", i, "message"), override["message"])
            problems += [template] if template else []
    problems += _vocabulary_problems(doc)
    raise_problems(sorted(problems, key=lambda p: p.line))
    return PackFile(data["pack"], str(data["version"]), Path(path), doc)


def _rule(pack: PackFile, i: int) -> Rule:
    raw = pack.data["rules"][i]
    return Rule(
        id=raw["id"],
        title=raw["title"],
        severity=raw["severity"],
        applies_to=tuple(raw["applies_to"]),
        check=raw["check"],
        message=raw["message"],
        options=dict(raw.get("options") or {}),
        references=tuple(raw.get("references") or ()),
        tags=tuple(raw.get("tags") or ()),
        help=raw.get("help", ""),
        help_url=raw.get("help_url", ""),
        enabled=raw.get("enabled", True),
        pack=pack.name,
        source=SourceRef(str(pack.path), pack.doc.line(("rules", i))),
    )


# ---------------------------------------------------------------- the chain
def resolve(ref: str, base: Path) -> Path | None:
    """A shipped pack's name, or a path (relative to `base`, the folder of the pack that names it)."""
    if ref in shipped_names():
        return shipped_dir() / f"{ref}.yaml"
    candidate = Path(ref) if Path(ref).is_absolute() else base / ref
    try:
        return candidate if candidate.is_file() else None
    except OSError:  # e.g. a name longer than the file system allows (is_file only hides "not found")
        return None


def _ordered(roots: Sequence[Path]) -> list[PackFile]:
    """Depth-first, extends before the pack itself, each file once; cycles and missing targets are errors."""
    order: list[PackFile] = []
    done: set[Path] = set()

    def visit(path: Path, stack: list[Path], named_at: Problem | None) -> None:
        path = path.resolve()
        if path in stack:
            cycle = " -> ".join(p.name for p in [*stack[stack.index(path) :], path])
            where = named_at or Problem(str(path), 1, "")
            raise InputError(f"extends: a cycle of packs: {cycle}", file=where.file, line=where.line)
        if path in done:
            return
        if len(stack) >= MAX_EXTENDS_DEPTH:  # a generated chain of a thousand packs would hit Python's recursion limit
            where = named_at or Problem(str(path), 1, "")
            message = f"extends: packs extend each other more than {MAX_EXTENDS_DEPTH} levels deep"
            raise InputError(message, file=where.file, line=where.line)
        pack = load_pack_file(path)
        for i, ref in enumerate(pack.data.get("extends") or []):
            target = resolve(ref, path.parent)
            here = pack.doc.problem(("extends", i), "")
            if target is None:
                shipped = ", ".join(shipped_names())
                message = f"extends[{i}]: no pack {clip(ref)} (not a shipped pack: {shipped}; not a file)"
                raise InputError(message, file=here.file, line=here.line)
            visit(target, [*stack, path], here)
        done.add(path)
        order.append(pack)

    for root in roots:
        visit(root, [], None)
    return order


def _union(into: dict[str, Any], more: Mapping[str, Any]) -> None:
    """Union phrase lists: {category: {lang: [phrases]}} (nested for intents/phrases), order kept."""
    for key, value in more.items():
        if isinstance(value, Mapping):
            _union(into.setdefault(key, {}), value)
        else:
            into[key] = list(dict.fromkeys([*into.get(key, []), *value]))


def _apply_override(rule: Rule, raw: Mapping[str, Any], pack: PackFile, i: int) -> tuple[Rule, list[Problem]]:
    changes: dict[str, Any] = {}
    for key in ("severity", "message", "enabled"):
        if key in raw:
            changes[key] = raw[key]
    if "applies_to" in raw:
        changes["applies_to"] = tuple(raw["applies_to"])
    if "options" in raw:
        changes["options"] = {**rule.options, **raw["options"]}
    if "references" in raw:
        changes["references"] = (*rule.references, *raw["references"])
    # the merged options (an override that leaves them alone must not lose a required one such as `phrases`)
    merged = changes.get("options", rule.options)
    problems = options_problems(pack.doc, ("overrides", i, "options"), rule.check, merged)
    if "message" in raw:  # its names, now that the rule (so its check) is known
        template = _template_problem(pack.doc, ("overrides", i, "message"), raw["message"], rule.check)
        problems += [template] if template else []
    return replace(rule, **changes), problems


def merge(packs: Sequence[PackFile]) -> RuleSet:
    rules: dict[str, Rule] = {}
    vocabulary: dict[str, Any] = {}
    problems: list[Problem] = []
    for pack in packs:
        _union(vocabulary, pack.data.get("vocabulary") or {})
        problems += [] if pack.shipped else _combined_problems(pack, vocabulary)
        for i, raw in enumerate(pack.data.get("rules") or []):
            if raw["id"] in rules:
                first = rules[raw["id"]]
                problems.append(
                    pack.doc.problem(
                        ("rules", i, "id"),
                        (
                            f"rule {raw['id']!r} is already defined by pack {first.pack!r} "
                            f"({first.source.file}:{first.source.line}); change it under `overrides:`"
                        ),
                    )
                )
                continue
            rules[raw["id"]] = _rule(pack, i)
        for i, raw in enumerate(pack.data.get("overrides") or []):
            if raw["id"] not in rules:
                close = difflib.get_close_matches(raw["id"], rules, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problems.append(
                    pack.doc.problem(
                        ("overrides", i, "id"),
                        (f"overrides[{i}]: no rule {raw['id']!r} in this pack or the packs it extends{hint}"),
                    )
                )
                continue
            rules[raw["id"]], found = _apply_override(rules[raw["id"]], raw, pack, i)
            problems += found
    raise_problems(problems)
    return RuleSet(tuple(packs), rules, Vocabulary.from_mapping(vocabulary), vocabulary)


def load_rules(refs: Sequence[str] = (), base: Path | None = None) -> RuleSet:
    """The RuleSet for `--rules` values (shipped names or paths); none given: the `core` pack."""
    base = base or Path.cwd()
    roots = []
    for ref in refs or [DEFAULT_PACK]:
        path = resolve(ref, base)
        if path is None:
            raise InputError(f"--rules {ref}: no such pack (shipped: {', '.join(shipped_names())}) and no such file")
        roots.append(path)
    return merge(_ordered(roots))

"""Hostile input: whatever another team (or a broken editor, or an attacker) puts in a flow spec, a rule
pack, a suppressions file or a saved report, loading it either succeeds or raises InputError whose text is
`FILE:LINE: what` / `FILE: what`; never a traceback, a hang or a gigabyte of memory.

What a loader accepts must also be usable: a spec's globs match, a pack's vocabulary compiles and runs in
bounded time, its message templates render, a report can be triaged, and nothing holds text that cannot
be written as UTF-8. Hypothesis runs derandomized with small budgets (this file runs in well under a
minute on two cores); the CLI test at the end checks exit code 2 and no traceback end to end.
"""

from __future__ import annotations

import copy
import dataclasses
import fnmatch
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from auditor.baseline import Suppression, Triage, load_report, load_suppressions
from auditor.errors import InputError
from auditor.report.model import build_report
from auditor.rules.engine import render
from auditor.rules.pack import RuleSet, load_rules
from auditor.shard import merge_reports
from auditor.spec import FlowSpec, Secret, load_specs

ROOT = Path(__file__).resolve().parents[2]


def fuzz(examples: int) -> Callable[[Any], Any]:
    """The settings every property here runs with: bounded, repeatable, no per-example deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


# ---- what a loader may do with a file: return something usable, or raise a located InputError -------


def located(exc: InputError, file: Path | str) -> None:
    """`FILE:LINE: what` or `FILE: what`; several mistakes come one per line, each located the same way."""
    for line in str(exc).splitlines():
        assert re.match(rf"^{re.escape(str(file))}(:\d+)?: \S", line), str(exc)


def encodable(value: Any) -> None:
    """Everything loaded can be written to report.json and a terminal (no lone surrogates)."""

    def default(obj: Any) -> Any:
        return obj.reveal() if isinstance(obj, Secret) else str(obj)

    json.dumps(value, default=default, ensure_ascii=False).encode("utf-8")


def use_specs(specs: list[FlowSpec]) -> None:
    for spec in specs:
        encodable(dataclasses.asdict(spec))
        globs = [spec.goal.url, spec.goal.request.url if spec.goal.request else None, *(c.url for c in spec.charges)]
        for glob in filter(None, globs):
            fnmatch.fnmatchcase("https://shop.test/account/cancelled?x=1", glob)
        for domain in spec.explore.allow_domains:
            fnmatch.fnmatchcase("shop.test", domain)


# Texts a phrase regex is tried on, longer and longer: an exponential pattern shows up as a slow step long
# before it would run for hours, and the test fails instead of hanging. Timings here are CPU time, so a
# busy machine does not make them flaky.
PROBES = [ch * n + tail for n in (4, 8, 12, 16, 20, 24) for ch, tail in (("a", "!"), ("1", "x"), (" ", "."))]


def use_rules(rules: RuleSet) -> None:
    vocab = rules.vocabulary
    for text in PROBES:
        started = time.process_time()
        vocab.intent(text)
        vocab.refuses(text)
        for category in vocab.phrases:
            vocab.find(category, text)
            vocab.spans(category, text)
        assert time.process_time() - started < 0.25, f"vocabulary regexes slow on {text!r}"
    figures = {"steps": 3, "label": "Cancel", "price": 9.5, "pages": None, "reasons": ["a", "b"]}
    for rule in rules.rules.values():
        render(rule.message, figures)
        encodable([rule.title, rule.message, rule.help, list(rule.options), list(rule.references)])


def use_suppressions(entries: list[Suppression]) -> None:
    finding = {"fingerprint": "0123abcd", "rule": "cancel.too-many-steps", "flow": "shop cancel"}
    for entry in entries:
        entry.matches(finding)
        entry.describe(date(2026, 1, 1))


def use_report(report: dict[str, Any]) -> None:
    Triage(baseline=copy.deepcopy(report), baseline_file="old.json").apply(copy.deepcopy(report))
    silence = [Suppression(reason="known", rule="r", flow="*", expires=date(2000, 1, 1)), Suppression("k", "ab")]
    Triage(suppressions=silence).apply(copy.deepcopy(report))
    merge_reports([(Path("/shards/1/report.json"), copy.deepcopy(report))], Path("/shards"))


def load_spec(path: Path) -> None:
    use_specs(load_specs([path]))


def load_pack(path: Path) -> None:
    use_rules(load_rules((str(path),)))


def load_supp(path: Path) -> None:
    use_suppressions(load_suppressions(path))


def load_json_report(path: Path) -> None:
    use_report(load_report(path))


LOADERS: dict[str, Callable[[Path], None]] = {"spec": load_spec, "pack": load_pack, "suppressions": load_supp}


def attempt(load: Callable[[Path], None], path: Path, blame: Path | str | None = None) -> InputError | None:
    """Run a loader; any exception but a located InputError fails the test (with its traceback)."""
    try:
        load(path)
    except InputError as exc:
        located(exc, blame or path)
        if currently_in_test_context():  # shown by --hypothesis-show-statistics: how deep the inputs got
            reason = re.sub(r"'[^']*'|\d+", "_", str(exc).splitlines()[0].removeprefix(str(blame or path)))
            event("refused" + reason[:70])
        return exc
    if currently_in_test_context():
        event("accepted")
    return None


def write(work: Path, name: str, content: str | bytes) -> Path:
    path = work / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# ---- strategies -----------------------------------------------------------------------------------------

YAML_BITS = [
    "{", "}", "[", "]", "&a ", "*a", "!", "!!", "%", "---", "...", "|", ">", "-", ": ", ":", "#", "'", '"', ",",
    "?", "@", "`", "\\", "\t", "\n", "\r\n", " ", "  ", "<<: *a", "!!python/object:os.system", "!!binary",
    "${X}", "re:(", "\ufeff", "\x00", "\x85", "\u2028", "\\UFFFFFFFF", '"\\ud800"', "0x", "1:2:3", ".nan", "~",
    "name: x\n", "kind: signup\n", "start: https://a.test/\n", "pack: p\n", "version: '1'\n", "suppressions:\n",
]
hostile_text = st.lists(st.one_of(st.characters(), st.sampled_from(YAML_BITS)), max_size=60).map("".join)

BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]
SAMPLE_SPEC = "name: shop cancel\nkind: cancellation\nstart: https://shop.test/\ngoal: {text: Cancelled}\n"
hostile_bytes = st.one_of(
    st.binary(max_size=200),
    st.tuples(st.sampled_from(BOMS), st.binary(max_size=60)).map(b"".join),
    st.sampled_from(["utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252"]).map(
        lambda codec: SAMPLE_SPEC.replace("Cancelled", "Gekündigt").encode(codec)
    ),
    st.tuples(st.just(SAMPLE_SPEC.encode()), st.binary(min_size=1, max_size=8)).map(b"".join),
)

HUGE_TEXT = "x" * 50_000  # 500 times what any field allows; bigger only slows the pure-Python scanner
huge_ints = st.sampled_from([2**63, -(2**63), 2**64 + 1, 10**50, -(10**300), 10**1200, int("9" * 999)])
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    huge_ints,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from([HUGE_TEXT, "", " ", "${X}", "$${X}", "re:(", "*", "[", "\\", "%s{0}", "\u202e", "\x7f"]),
)
json_values = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


glob = st.one_of(
    st.sampled_from(["*/cancelled", "[", "**[", "\\", "[!]", "[z-a]", "*" * 500, "*a" * 2000, "?[[[", "${X}"]),
    st.text(alphabet="*?[]!-\\a/", min_size=1, max_size=40),
)
plain = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=15)


def documents(wild: bool) -> dict[str, st.SearchStrategy[Any]]:
    """Spec, pack and suppressions documents built from the formats' real keys. Tame: every value is of the
    right kind (so the checks after the schema run: ${VAR}, URLs, regexes, templates, dates). Wild: any
    value may also be a wrong one, or any JSON-like value at all."""

    def v(good: st.SearchStrategy[Any], *bad: Any) -> st.SearchStrategy[Any]:
        if not wild:
            return good
        return st.one_of(good, good, st.sampled_from(bad) if bad else good, json_values)

    def k(good: st.SearchStrategy[str], *bad: str) -> st.SearchStrategy[str]:  # a mapping key: text only
        return st.one_of(good, good, st.sampled_from(bad), st.text(max_size=8)) if wild else good

    def some(required: dict[str, Any], optional: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(required, optional=optional)

    words = v(plain, "", "\x07bell", HUGE_TEXT)
    url = v(st.sampled_from(["https://shop.test/", "http://a.test:8080/x?y#z"]), "/relative", "ftp://x", "http://a:99999/")
    request = some({"url": v(glob, "")}, {"method": v(st.sampled_from(["POST", "*", "get"]), "")})
    step = st.one_of(
        some({"goto": url}, {}),
        some({"click": words}, {}),
        some({"fill": v(st.dictionaries(plain, v(plain | st.integers()), min_size=1, max_size=3), {})}, {}),
        some({"press": v(some({"target": words, "key": words}, {}), {"target": "x"})}, {}),
        some({"wait_for": words}, {}),
        *([some({"goto": url, "click": words}, {})] if wild else []),
    )
    seconds = v(st.floats(min_value=0.001, max_value=86_400) | st.integers(1, 86_400), 0, -1, 10**6, 10**400)
    explore = some(
        {},
        {
            "max_states": v(st.integers(1, 10_000), 0, 20_000),
            "max_depth": v(st.integers(1, 200), 0, 300),
            "max_actions": v(st.integers(1, 100_000), 0),
            "avoid": v(st.lists(v(plain | st.just("css=[[[")), max_size=3)),
            "allow_domains": v(
                st.lists(st.sampled_from(["shop.test", "*.shop.test", "a-b.c.test"])),
                ["*"], ["a" * 300], ["[", "**["], ["shop.test:8080"], ["\\"],
            ),
            "exhaustive": v(st.booleans()),
            "timeouts": v(some({}, dict.fromkeys(("navigation", "action", "settle", "flow"), seconds))),
        },
    )
    kinds = st.sampled_from(["cancellation", "signup", "purchase", "in_app_purchase"])
    flow = some(
        {
            "name": words,
            "kind": v(kinds, "cancel", ""),
            "start": url,
            "goal": v(some({"text": v(plain | st.lists(plain, min_size=1), [])}, {"url": v(glob), "request": request})),
        },
        {
            "profile": v(st.sampled_from(["adult", "child"]), "teen"),
            "charges": v(st.lists(request, max_size=3)),
            "inputs": v(st.dictionaries(plain, v(plain | st.integers() | st.floats(allow_nan=False)), max_size=3)),
            "setup": v(st.lists(step, max_size=4)),
            "explore": v(explore),
            "viewport": v(some({}, {"width": v(st.integers(200, 10_000), 0), "height": v(st.integers(200, 10_000))})),
            "device": words,
            **({"compare_with": words} if wild else {}),
        },
    )
    phrase = v(
        plain | st.sampled_from(["re:cancel\\b", "re:save \\d+ ?%", "re:(?i:quit)"]),
        "re:(", "re:[a-", "re:(?P<x>", "re:(?i)x", "re:", "re:(a+)+$",
    )
    languages = k(st.sampled_from(["en", "de", "pt-BR"]), "EN", "")
    phrases = st.dictionaries(languages, st.lists(phrase, max_size=3), max_size=2)
    rule_id = v(st.sampled_from(["team.steps", "team.detours", "cancel.too-many-steps"]), "x", "Team.X")
    rule = some(
        {
            "id": rule_id,
            "title": words,
            "severity": v(st.sampled_from(["error", "warning", "info"]), "fatal"),
            "applies_to": v(st.lists(kinds, min_size=1, max_size=2), [], "cancellation"),
            "check": v(st.sampled_from(["steps", "detours"]), "stepz"),
            "message": v(st.sampled_from(["{steps} steps", "{detours} detours", "plain"]), "{0}", "{steps:.2f}", "{"),
        },
        {
            "options": v(st.fixed_dictionaries({}, optional={"max_steps": v(st.integers(0, 99), -1, "3")})),
            "references": v(st.lists(some({"law": words}, {"url": v(st.just("https://law.test/"), "x")}), max_size=2)),
            "tags": v(st.lists(plain, max_size=2)),
            "help": words,
            "enabled": v(st.booleans()),
        },
    )
    pack = some(
        {"pack": v(st.just("team"), "Team!", "a" * 70), "version": v(st.sampled_from(["1", "0.1.0"]), 1, "")},
        {
            "description": words,
            "extends": v(st.just([]), ["./nowhere.yaml"], ["/dev/zero"], ["."], ["a" * 300]),
            "vocabulary": v(
                some(
                    {},
                    {
                        "intents": st.dictionaries(k(st.sampled_from(["exit", "keep"]), "nope"), phrases, max_size=2),
                        "refuse": phrases,
                        "phrases": st.dictionaries(k(st.sampled_from(["shame", "auth"]), "Bad"), phrases, max_size=2),
                    },
                )
            ),
            "rules": v(st.lists(rule, max_size=2)),
            "overrides": v(st.lists(some({"id": rule_id, "severity": v(st.just("error"))}, {}), max_size=2)),
            "tests": v(st.lists(some({"graph": words}, {"fires": v(st.lists(rule_id, max_size=2))}), max_size=2)),
        },
    )
    entry = st.one_of(
        some({"fingerprint": v(st.just("0123abcd"), "XYZ", "a" * 80)}, {}),
        some({"rule": words, "flow": v(glob)}, {}),
    ).flatmap(
        lambda who: some(
            {**{key: st.just(value) for key, value in who.items()}, "reason": v(st.just("accepted"), "no")},
            {"expires": v(st.sampled_from(["2026-01-01", "1999-12-31"]), "2026-02-30", "9999-99-99", "tomorrow")},
        )
    )
    suppressions = some({"suppressions": v(st.lists(entry, max_size=3))}, {})
    specs = st.one_of(flow, some({"flows": v(st.lists(flow, min_size=1, max_size=3), [])}, {}))
    return {"spec": specs, "pack": pack, "suppressions": suppressions}


TAME, WILD = documents(wild=False), documents(wild=True)


def dump(document: Any) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


# ---- 1. random text, 2. random bytes -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(LOADERS))
@fuzz(120)
@given(text=hostile_text)
def test_random_text(work: Path, kind: str, text: str) -> None:
    attempt(LOADERS[kind], write(work, f"text.{kind}.yaml", text))


@pytest.mark.parametrize("kind", sorted(LOADERS))
@fuzz(60)
@given(data=hostile_bytes)
def test_random_bytes(work: Path, kind: str, data: bytes) -> None:
    attempt(LOADERS[kind], write(work, f"bytes.{kind}.yaml", data))


# ---- 3. plausible documents: tame (right types, so the later checks run) and wild (wrong types) ----------


@pytest.mark.parametrize("kind", sorted(LOADERS))
@fuzz(40)
@given(data=st.data())
def test_plausible_documents(work: Path, kind: str, data: st.DataObject) -> None:
    document = data.draw(TAME[kind])
    attempt(LOADERS[kind], write(work, f"tame.{kind}.yaml", dump(document)))


@pytest.mark.parametrize("kind", sorted(LOADERS))
@fuzz(70)
@given(data=st.data())
def test_wrong_typed_documents(work: Path, kind: str, data: st.DataObject) -> None:
    document = data.draw(WILD[kind])
    attempt(LOADERS[kind], write(work, f"wild.{kind}.yaml", dump(document)))


# ---- 4. unknown keys at every level -----------------------------------------------------------------------

VALID_SPEC = {
    "name": "shop cancel",
    "kind": "cancellation",
    "start": "https://shop.test/account",
    "goal": {"text": "Cancelled", "url": "*/done", "request": {"method": "POST", "url": "*/api/cancel"}},
    "charges": [{"method": "POST", "url": "*/pay"}],
    "setup": [{"press": {"target": "Password", "key": "Enter"}}],
    "explore": {"max_states": 5, "timeouts": {"navigation": 5}},
    "viewport": {"width": 400, "height": 800},
}
VALID_PACK = {
    "pack": "team",
    "version": "1",
    "vocabulary": {"intents": {"exit": {"en": ["quit"]}}, "phrases": {"shame": {"en": ["re:no thanks"]}}},
    "rules": [
        {
            "id": "team.steps",
            "title": "Steps",
            "severity": "warning",
            "applies_to": ["cancellation"],
            "check": "steps",
            "options": {"max_steps": 3},
            "message": "{steps} steps",
            "references": [{"law": "X"}],
        }
    ],
    "overrides": [{"id": "team.steps", "severity": "error"}],
    "tests": [{"graph": "g.json", "fires": ["team.steps"]}],
}
VALID_SUPPRESSIONS = {"suppressions": [{"reason": "known", "rule": "cancel.x", "flow": "shop*"}]}
# Mappings whose keys are the user's own (field labels, languages, categories), not the format's.
OPEN = {
    ("inputs",),
    ("vocabulary", "intents"),
    ("vocabulary", "phrases"),
    ("vocabulary", "intents", "exit"),
    ("vocabulary", "phrases", "shame"),
}


def mappings(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if isinstance(node, dict) and path not in OPEN else []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in items:
        found += mappings(child, (*path, key))
    return found


@pytest.mark.parametrize(
    ("kind", "valid"), [("spec", VALID_SPEC), ("pack", VALID_PACK), ("suppressions", VALID_SUPPRESSIONS)]
)
@fuzz(40)
@given(data=st.data(), key=st.text(min_size=1, max_size=30))
def test_unknown_keys_are_refused(work: Path, kind: str, valid: dict[str, Any], data: Any, key: str) -> None:
    document = copy.deepcopy(valid)
    where = data.draw(st.sampled_from(mappings(document)))
    target = document
    for part in where:
        target = target[part]
    if key in target or (where and where[-1] == "options"):  # a check's options: see test_packs "unknown option"
        return
    target[key] = 1
    path = write(work, f"unknown.{kind}.yaml", dump(document))
    error = attempt(LOADERS[kind], path)
    assert error is not None, f"unknown key {key!r} at {where} was accepted"


# ---- 5. deep, huge, bombs, tags, merge keys, duplicates ------------------------------------------------------

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
NASTY = {
    "deep flow lists": "[" * 10_000 + "]" * 10_000,
    "deep flow maps": "{a: " * 10_000 + "1" + "}" * 10_000,
    "deep block maps": "".join(" " * i + "a:\n" for i in range(3_000)) + " " * 3_000 + "b\n",
    "deep block lists": "- " * 5_000 + "x\n",
    "unclosed deep": "[" * 10_000,
    "billion laughs": BOMB,
    "self-referencing anchor": "a: &a [*a]\n",
    "self-referencing map": "a: &a {b: *a}\n",
    "huge file": "# " + "x" * (5 * 1024 * 1024) + "\n",
    "million short lines": "- a\n" * 1_000_000,
    "python object tag": "!!python/object:os.system {}\n",
    "python apply tag": "a: !!python/object/apply:os.system ['true']\n",
    "local tag": "a: !env HOME\n",
    "merge key": "x: &x {name: a}\ny:\n  <<: *x\n",
    "duplicate keys": "name: a\nname: b\n",
    "complex key": "? [a, b]\n: c\n",
    "bad escape": 'a: "\\UFFFFFFFF"\n',
    "surrogate escape": 'name: "\\ud83d\\ude00"\n',
    "sexagesimal number": "a: " + ":".join(["1"] * 100_000) + "\n",
    "long hex number": "a: 0x" + "f" * 4000 + "\n",
    "nan": "a: .nan\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "undefined alias": "a: *nope\n",
    "tabs": "a:\n\tb: 1\n",
}


@pytest.mark.parametrize("kind", sorted(LOADERS))
@pytest.mark.parametrize("case", sorted(NASTY))
def test_nasty_documents(work: Path, kind: str, case: str) -> None:
    path = write(work, f"nasty.{kind}.yaml", NASTY[case])
    started = time.process_time()
    error = attempt(LOADERS[kind], path)
    assert error is not None, case
    assert time.process_time() - started < 15, f"{case} took too long"


NESTED = {
    "spec": dump(VALID_SPEC) + "device: TRICK\n",
    "pack": dump(VALID_PACK) + "description: TRICK\n",
    "suppressions": "suppressions:\n  - fingerprint: 0123abcd\n    reason: TRICK\n",
}


@pytest.mark.parametrize("kind", sorted(LOADERS))
@pytest.mark.parametrize(
    "trick", ["!!python/object:os.system {}", "&a [*a]", '"\\ud800"', ".inf", "0x" + "f" * 2000, "!!set {a}"]
)
def test_nasty_values_inside_a_valid_document(work: Path, kind: str, trick: str) -> None:
    """The same tricks one level down, where the builder (not the parser) meets them."""
    assert attempt(LOADERS[kind], write(work, f"trick.{kind}.yaml", NESTED[kind].replace("TRICK", trick))) is not None


# ---- 6. bad globs and regexes --------------------------------------------------------------------------------


@fuzz(100)
@given(pattern=glob, where=st.sampled_from(["goal", "charges", "request", "allow_domains", "avoid"]))
def test_globs_in_specs(work: Path, pattern: str, where: str) -> None:
    document = copy.deepcopy(VALID_SPEC)
    if where == "goal":
        document["goal"]["url"] = pattern
    elif where == "charges":
        document["charges"][0]["url"] = pattern
    elif where == "request":
        document["goal"]["request"]["url"] = pattern
    else:
        document["explore"][where] = [pattern]
    attempt(load_spec, write(work, "glob.spec.yaml", dump(document)))


REGEX_BITS = ["a", "b", "a+", "a*", "(", ")", "(?:", "|", "+", "*", "?", "{2,}", "{1,3}", "\\d", "\\w", "\\s", ".",
              "$", "^", "[a-", "]", "(?P<x>", "(?P=x)", "(?i)", "(?i:", "(?>", "++", "\\1", "{99999999999}", "\\b",
              "(?<=", "(?!", "\\"]
# At most 6 pieces: longer chains such as `a*a*a*a*a*a*a*a*$` are polynomial (not exponential) and accepted
# by the loader (see auditor/rules/regex_safety.py), yet slow enough on the longer probes to fail use_rules' time check.
regexes = st.lists(st.sampled_from(REGEX_BITS), min_size=1, max_size=6).map("".join)


def vocabulary_pack(*entries: str) -> str:
    quoted = ", ".join(json.dumps(entry) for entry in entries)
    return f"pack: team\nversion: '1'\nvocabulary:\n  phrases:\n    shame:\n      en: [{quoted}]\n"


@fuzz(250)
@given(patterns=st.lists(regexes, min_size=1, max_size=3), section=st.sampled_from(["phrases", "intents", "refuse"]))
def test_regexes_in_vocabulary(work: Path, patterns: list[str], section: str) -> None:
    text = vocabulary_pack(*(f"re:{p}" for p in patterns))
    if section == "intents":
        text = text.replace("phrases:\n    shame:", "intents:\n    exit:")
    elif section == "refuse":
        text = text.replace("phrases:\n    shame:\n  ", "refuse:\n")
    attempt(load_pack, write(work, "regex.pack.yaml", text))


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [
        ("(", "bad regular expression"),
        ("[a-", "bad regular expression"),
        ("(?P<x>", "bad regular expression"),
        ("a{99999999999}", "bad regular expression"),
        ("(" * 5000 + "a" + ")" * 5000, "bad regular expression"),
        ("(?i)cancel", "global flag"),
        ("", "can match empty text"),
        ("x*", "can match empty text"),
        ("(a+)+$", "nested repetition"),
        ("(\\w+\\s?)+$", "nested repetition"),
        ("(\\d{1,3})+x", "nested repetition"),
        ("(.*a){12}", "nested repetition"),
        ("(a)\\1", "RE2 accepts"),  # a back reference
        ("(?P<x>a)(?P=x)", "RE2 accepts"),
        ("(?>a+)+b", "RE2 accepts"),  # atomic groups and possessive repeats: not RE2 syntax
        ("(?:a++)+b", "RE2 accepts"),
        ("a{2000}", "RE2 accepts"),  # RE2 allows at most 1000 repeats
        ("(?<=a+)x", "bad regular expression"),  # Python's re: a lookbehind has a fixed width
        ("(?=(?>a))x", "RE2 accepts"),  # a lookaround's body is checked by RE2 too
    ],
)
def test_regexes_refused(work: Path, pattern: str, fragment: str) -> None:
    path = write(work, "refused.pack.yaml", vocabulary_pack(f"re:{pattern}"))
    error = attempt(load_pack, path)
    assert error is not None and fragment in str(error), (pattern, error)


def test_regexes_that_only_fail_together(work: Path) -> None:
    """Each compiles alone; joined into the category's one expression, the group name clashes."""
    path = write(work, "clash.pack.yaml", vocabulary_pack("re:(?P<n>quit)", "re:(?P<n>stop)"))
    error = attempt(load_pack, path)
    assert error is not None and "do not join" in str(error)


def test_safe_regex_shapes_are_accepted(work: Path) -> None:
    """Bounded repeats, scoped flags and lookarounds stay allowed (core's own price patterns use them)."""
    patterns = [
        "\\d+(?:[,.]\\d{3})*(?:[.,]\\d{2})?",
        "(?i:cancel)",
        "save \\d+ ?%",
        "(?<![\\w.,])\\d+(?:[,.]\\d{3})*(?:[.,]\\d{2})?\\s?(?:€|eur)(?!\\w)",
        "(?:/\\s?|\\b(?:per|a)\\s)(?:month|mo)\\b",
    ]
    path = write(work, "safe.pack.yaml", vocabulary_pack(*(f"re:{p}" for p in patterns)))
    assert attempt(load_pack, path) is None


@fuzz(60)
@given(template=st.lists(st.sampled_from(["{", "}", "steps", "0", ":", "!", "r", "z", ".", "[0]", " "]), max_size=8))
def test_message_templates(work: Path, template: list[str]) -> None:
    pack = copy.deepcopy(VALID_PACK)
    pack["rules"][0]["message"] = "".join(template) or "x"
    pack["overrides"][0]["message"] = "".join(reversed(template)) or "y"
    attempt(load_pack, write(work, "template.pack.yaml", dump(pack)))


# ---- 7. ${ENV} expansion -----------------------------------------------------------------------------------

SECRET_MARK = "s3cr3t-VALUE"
env_values = st.one_of(
    st.text(max_size=30).filter(lambda v: "\x00" not in v),
    st.sampled_from(["", "https://shop.test", "${INNER}", "$$", "\udcff", "x" * 200_000, "a\nb: c"]),
)
references = st.sampled_from(
    ["${FUZZ_A}", "${FUZZ_UNSET}", "${}", "${A${B}}", "$${FUZZ_A}", "$$${FUZZ_A}", "${FUZZ A}", "${FUZZ_A", "$", "${1}"]
)


@fuzz(150)
@given(
    value=env_values,
    refs=st.lists(references, min_size=1, max_size=3),
    where=st.sampled_from(["start", "goal", "charges", "inputs", "goto", "fill"]),
)
def test_env_expansion(
    work: Path, monkeypatch: pytest.MonkeyPatch, value: str, refs: list[str], where: str
) -> None:
    monkeypatch.setenv("FUZZ_A", SECRET_MARK + value)
    monkeypatch.delenv("FUZZ_UNSET", raising=False)
    text = "".join(refs)
    document = copy.deepcopy(VALID_SPEC)
    if where == "start":
        document["start"] = text
    elif where == "goal":
        document["goal"]["url"] = text
    elif where == "charges":
        document["charges"][0]["url"] = "https://x/" + text
    elif where == "inputs":
        document["inputs"] = {"Password": text}
    else:
        document["setup"] = [{"goto": text}] if where == "goto" else [{"fill": {"Password": text}}]
    error = attempt(load_spec, write(work, "env.spec.yaml", dump(document)))
    if error is not None:
        assert SECRET_MARK not in str(error), "an environment value was echoed in an error"


# ---- 8. extends -------------------------------------------------------------------------------------------------


def pack_text(name: str, *extends: str) -> str:
    return f"pack: {name}\nversion: '1'\nextends: {json.dumps(list(extends))}\n"


@pytest.mark.parametrize("target", ["self", "missing", "directory", "latin-1", "dev-zero", "long-name", "nul"])
def test_extends_targets(work: Path, target: str) -> None:
    folder = work / f"extends-{target}"
    folder.mkdir(exist_ok=True)
    other = folder / "other.yaml"
    refs = {
        "self": "root.yaml",
        "missing": "./nope.yaml",
        "directory": str(folder),
        "latin-1": "other.yaml",
        "dev-zero": "/dev/zero",
        "long-name": "x" * 5000,
        "nul": "a\x00b",
    }
    if target == "latin-1":
        other.write_bytes(pack_text("other").encode() + "description: Kündigung\n".encode("latin-1"))
    root = write(folder, "root.yaml", pack_text("root", refs[target]))
    started = time.process_time()
    error = attempt(load_pack, root, blame=other if target == "latin-1" else root)
    assert error is not None and time.process_time() - started < 5


def test_extends_chains(work: Path) -> None:
    folder = work / "chain"
    folder.mkdir(exist_ok=True)
    for i in range(100):
        write(folder, f"p{i}.yaml", pack_text(f"p{i}", *([f"p{i + 1}.yaml"] if i < 99 else [])))
    assert attempt(load_pack, folder / "p80.yaml") is None  # 20 deep is fine
    with pytest.raises(InputError) as info:
        load_rules((str(folder / "p0.yaml"),))
    assert re.match(rf"^{re.escape(str(folder))}/p\d+\.yaml:\d+: extends: .*levels deep", str(info.value))
    for i in range(10):  # a ring of ten
        write(folder, f"r{i}.yaml", pack_text(f"r{i}", f"r{(i + 1) % 10}.yaml"))
    with pytest.raises(InputError, match=r"r9\.yaml:3: extends: a cycle of packs: r0.yaml -> r1.yaml -> "):
        load_rules((str(folder / "r0.yaml"),))


# ---- 9. reports ---------------------------------------------------------------------------------------------------

GOOD_REPORT = build_report(
    [{"name": "shop cancel", "status": "complete", "goal_reached": True}],
    findings=[
        {
            "fingerprint": "0123abcd",
            "rule": "cancel.too-many-steps",
            "flow": "shop cancel",
            "severity": "error",
            "message": "7 steps",
        }
    ],
    browser={"name": "none"},
    started=0,
    finished=0,
)


def test_good_report_loads(work: Path) -> None:
    assert attempt(load_json_report, write(work, "good.json", json.dumps(GOOD_REPORT))) is None


@fuzz(150)
@given(value=json_values)
def test_report_random_json(work: Path, value: Any) -> None:
    attempt(load_json_report, write(work, "random.json", json.dumps(value)))


@fuzz(60)
@given(cut=st.integers(min_value=0, max_value=len(json.dumps(GOOD_REPORT, indent=1)) - 1))
def test_report_truncated(work: Path, cut: int) -> None:
    text = json.dumps(GOOD_REPORT, indent=1)[:cut]
    assert attempt(load_json_report, write(work, "truncated.json", text)) is not None


def wrong(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(good, good, json_values)


finding_values = st.fixed_dictionaries(
    {},
    optional={
        "fingerprint": wrong(st.text(max_size=8)),
        "rule": wrong(plain),
        "flow": wrong(plain),
        "severity": wrong(st.sampled_from(["error", "warning", "info", "fatal"])),
        "message": wrong(plain),
        "baseline": wrong(st.sampled_from(["new", "unchanged"])),
        "suppression": wrong(
            st.fixed_dictionaries(
                {}, optional={"reason": wrong(plain), "expires": st.just("2020-01-01"), "expired": wrong(st.booleans())}
            )
        ),
    },
)
flow_values = st.fixed_dictionaries(
    {}, optional={"name": wrong(plain), "status": wrong(plain), "goal_reached": wrong(st.booleans())}
)


baseline_values = st.fixed_dictionaries(
    {},
    optional={
        "file": wrong(plain | st.none()),
        "new": wrong(st.integers(0, 9)),
        "unchanged": wrong(st.integers(0, 9)),
        "fixed": wrong(st.lists(finding_values, max_size=2)),
    },
)


@fuzz(150)
@given(
    findings=wrong(st.lists(finding_values, max_size=3)),
    suppressed=st.none() | wrong(st.lists(finding_values, max_size=2)),
    flows=wrong(st.lists(flow_values, max_size=2)),
    extra=st.fixed_dictionaries(
        {},
        optional={
            "baseline": wrong(baseline_values),
            "packs": wrong(st.lists(wrong(st.fixed_dictionaries({"pack": plain, "version": plain})), max_size=2)),
            "rule_catalog": wrong(st.lists(wrong(st.fixed_dictionaries({"id": plain})), max_size=2)),
            "started_at": json_values,
        },
    ),
)
def test_report_wrong_typed_findings(work: Path, findings: Any, suppressed: Any, flows: Any, extra: Any) -> None:
    report = {**GOOD_REPORT, "findings": findings, "flows": flows, **extra}
    if suppressed is not None:
        report["suppressed"] = suppressed
    attempt(load_json_report, write(work, "typed.json", json.dumps(report)))


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000, b'{"a": ' + b"1" * 5000 + b"}", b"\xff\xfe{}", b"\xef\xbb\xbf{}", b"", b"\x00", b"NaN"],
    ids=["deep", "long-int", "utf16-bom", "utf8-bom", "empty", "nul", "nan"],
)
def test_report_nasty_bytes(work: Path, content: bytes) -> None:
    assert attempt(load_json_report, write(work, "nasty.json", content)) is not None


def test_report_from_dev_zero_is_capped() -> None:
    started = time.process_time()
    assert attempt(load_json_report, Path("/dev/zero")) is not None
    assert time.process_time() - started < 10


# ---- the CLI: exit 2, the file named, no traceback --------------------------------------------------------

CLI_NASTY = {
    "bomb.yaml": BOMB,
    "deep.yaml": "[" * 10_000,
    "latin1.yaml": "name: Kündigung\n".encode("latin-1"),
    "huge.yaml": "# " + "x" * (5 * 1024 * 1024 + 10) + "\n",
    "tag.yaml": "!!python/object/apply:os.system ['echo pwned']\n",
    "regex.yaml": vocabulary_pack("re:(a+)+$"),
}


def run_all(*commands: tuple[str, ...]) -> list[tuple[int, str]]:
    """Run `python -m auditor ARGS...` for each command at once (each takes ~1 s, mostly imports)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "auditor", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for args in commands
    ]
    return [(proc.wait(timeout=120), proc.communicate()[1]) for proc in procs]


def test_cli_exits_2_without_traceback(work: Path) -> None:
    folder = work / "cli"
    folder.mkdir(exist_ok=True)
    files = [write(folder, name, content) for name, content in CLI_NASTY.items()]
    graph = json.loads((ROOT / "auditor/rules/packs/fixtures/fair-cancel.graph.json").read_text())
    broken = {
        "truncated.graph.json": json.dumps(graph)[:5000],
        "typed.graph.json": json.dumps({**graph, "states": [{**graph["states"][0], "elements": 5}]}),
        "deep.graph.json": "[" * 100_000,
    }
    graphs = [write(folder, name, content) for name, content in broken.items()]
    out = str(folder / "out")
    commands = [("audit", *map(str, files), "--out", out, "--quiet")]
    commands += [("rules", "validate", str(path)) for path in files]
    commands += [("check", str(path), "--out", out) for path in graphs]
    results = run_all(*commands)
    (code, stderr), *rest = results
    assert code == 2 and "Traceback" not in stderr, stderr
    assert all(str(path) in stderr for path in files), stderr  # audit reports every file's mistake at once
    for path, (code, stderr) in zip(files + graphs, rest, strict=True):
        assert code == 2 and "Traceback" not in stderr and str(path) in stderr, stderr

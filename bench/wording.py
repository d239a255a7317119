"""Benchmark: how well auditor/wording.py recognises shaming declines and confirmations on our labelled sets.

The sets (tests/data/wording/declines.yaml: decline labels, half shaming; tests/data/wording/confirmations.yaml:
screen and dialog texts, about half confirmations; both in the eleven LANGUAGES) are written for the tests;
their headers say how each is labelled. Each set is split in two halves by a hash of the text: "dev", whose
failures are looked at while building the recogniser, and "check", held out: its misses are counted but
listed only with --show-check, so that looking at them is a choice made once, at the end. Prints, per set,
per half and per language: items, positives, precision, recall and false alarms (negatives it fired on), a
language with no items yet as such, then the misclassified items with what fired. tests/test_wording.py
asserts the targets of issue 26 on the same figures, on the whole set, each half and each language that has
items: shaming recall >= 0.95 with no false alarm; confirmations precision and recall >= 0.95.
Run: `.venv/bin/python -m bench.wording [--set declines|confirmations] [--show-check]`; exit 1 when a target is
missed anywhere.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from auditor.classify import Vocabulary
from auditor.wording import Found, read_confirmation, read_shaming

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "wording"
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "ja")  # the labelled sets' languages


@dataclass(frozen=True)
class LabelledSet:
    """A labelled set: where it lives, the key holding its truth, and the recogniser it measures."""

    name: str
    truth: str
    read: Callable[[str, Vocabulary], Found | None]

    def items(self) -> list[dict[str, Any]]:
        return list(yaml.safe_load((DATA / f"{self.name}.yaml").read_text(encoding="utf-8"))[self.name])


SETS = (LabelledSet("declines", "shaming", read_shaming), LabelledSet("confirmations", "confirms", read_confirmation))


def half(text: str) -> str:
    """'dev' or 'check', fixed by the text alone (a new item does not move the others)."""
    return "dev" if hashlib.sha1(text.encode("utf-8")).digest()[0] % 2 == 0 else "check"


@dataclass(frozen=True)
class Outcome:
    item: dict[str, Any]
    expected: bool
    found: Found | None

    @property
    def right(self) -> bool:
        return self.expected == (self.found is not None)


@dataclass(frozen=True)
class Score:
    items: int
    positives: int
    true_positives: int
    false_alarms: int

    @property
    def precision(self) -> float:
        fired = self.true_positives + self.false_alarms
        return self.true_positives / fired if fired else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.positives if self.positives else 1.0


def outcomes(labelled: LabelledSet, vocab: Vocabulary) -> list[Outcome]:
    """Each item read in its own language (`Vocabulary.speaking`), as the checks read a screen's copy."""
    return [
        Outcome(i, bool(i[labelled.truth]), labelled.read(str(i["text"]), vocab.speaking(str(i["lang"]))))
        for i in labelled.items()
    ]


def score(results: Iterable[Outcome]) -> Score:
    results = list(results)
    return Score(
        items=len(results),
        positives=sum(r.expected for r in results),
        true_positives=sum(r.expected and r.found is not None for r in results),
        false_alarms=sum(not r.expected and r.found is not None for r in results),
    )


def part(results: Iterable[Outcome], name: str) -> list[Outcome]:
    """The outcomes of one part: "all", a half ("dev", "check") or a language code."""
    if name == "all":
        return list(results)
    if name in ("dev", "check"):
        return [r for r in results if half(r.item["text"]) == name]
    return [r for r in results if r.item["lang"] == name]


PARTS = ("all", "dev", "check", *LANGUAGES)


def problems(labelled: LabelledSet) -> list[str]:
    """`file:line: what is wrong` for a set that does not parse, and for each item with no text, a language
    not in LANGUAGES (it would be measured nowhere) or a truth that is not true/false; none: []."""
    path = DATA / f"{labelled.name}.yaml"
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        return [f"{path}:{mark.line + 1 if mark else 1}: not YAML: {getattr(e, 'problem', None) or e}"]
    found = [
        v for k, v in getattr(root, "value", []) if isinstance(root, yaml.MappingNode) and k.value == labelled.name
    ]
    if not found or not isinstance(found[0], yaml.SequenceNode):
        return [f"{path}:1: no `{labelled.name}:` list of items"]
    out = []
    for node, item in zip(found[0].value, labelled.items(), strict=True):
        where = f"{path}:{node.start_mark.line + 1}"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            out.append(f"{where}: an item needs a `text`")
        elif item.get("lang") not in LANGUAGES:
            out.append(f"{where}: unknown lang {item.get('lang')!r} (known: {', '.join(LANGUAGES)})")
        elif not isinstance(item.get(labelled.truth), bool):
            out.append(f"{where}: `{labelled.truth}` must be true or false")
    return out


def meets(name: str, s: Score) -> bool:
    """Issue 26's targets: declines recall >= 0.95 and no false alarm; confirmations precision and recall >= 0.95."""
    if name == "declines":
        return s.recall >= 0.95 and s.false_alarms == 0
    return s.precision >= 0.95 and s.recall >= 0.95


def report(labelled: LabelledSet, vocab: Vocabulary, *, show_check: bool = False) -> bool:
    """Print a set's figures per part and its misses; whether every part with items meets the targets."""
    results = outcomes(labelled, vocab)
    ok = True
    print(f"\n{labelled.name} ({labelled.truth}: true/false)")
    print(f"{'part':6} {'items':>5} {'pos':>4} {'precision':>9} {'recall':>6} {'false alarms':>12}  target")
    for name in PARTS:
        s = score(part(results, name))
        if not s.items:
            print(f"{name:6} no items yet")
            continue
        met = meets(labelled.name, s)
        ok &= met
        row = f"{s.items:5} {s.positives:4} {s.precision:9.3f} {s.recall:6.3f} {s.false_alarms:12}"
        print(f"{name:6} {row}  {'met' if met else 'MISSED'}")
    wrong = [r for r in results if not r.right]
    shown = [r for r in wrong if show_check or half(r.item["text"]) == "dev"]
    held = f" ({len(wrong) - len(shown)} of the check half not shown: --show-check)" if len(shown) < len(wrong) else ""
    print(f"misclassified: {len(wrong)}{held}")
    for r in shown:
        what = f"fired ({r.found.signal}: {r.found.phrase!r})" if r.found else "missed"
        print(f"  [{r.item['lang']} {half(r.item['text'])}] {what}: {r.item['text']!r}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[s.name for s in SETS], help="only this set")
    parser.add_argument("--show-check", action="store_true", help="also list the held-out half's misses")
    args = parser.parse_args()
    chosen = [s for s in SETS if args.set in (None, s.name)]
    errors = [e for s in chosen for e in problems(s)]
    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(2)
    vocab = Vocabulary.default()
    ok = [report(s, vocab, show_check=args.show_check) for s in chosen]
    sys.exit(0 if all(ok) else 1)


if __name__ == "__main__":
    main()

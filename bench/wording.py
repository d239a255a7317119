"""Benchmark: how well auditor/wording.py recognises shaming declines and confirmations on our labelled sets.

The sets (tests/data/wording/declines.yaml: decline labels, half shaming, in EN/DE/FR/ES;
tests/data/wording/confirmations.yaml: screen and dialog texts, about half confirmations) are written for the
tests; their headers say how each is labelled. Each set is split in two halves by a hash of the text: "dev",
whose failures were looked at while building the recogniser, and "check", held out. Prints, per set, per
half and per language: items, positives, precision, recall and false alarms (negatives it fired on), then
every misclassified item with what fired. tests/test_wording.py asserts the targets of issue 14 on the same
figures: shaming recall >= 0.95 with no false alarm; confirmations precision and recall >= 0.95.
Run: `.venv/bin/python -m bench.wording [--set declines|confirmations]`; exit 1 when a target is missed.
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
LANGUAGES = ("en", "de", "fr", "es", "pl", "sv", "da")


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
    return [Outcome(i, bool(i[labelled.truth]), labelled.read(str(i["text"]), vocab)) for i in labelled.items()]


def score(results: Iterable[Outcome]) -> Score:
    results = list(results)
    return Score(
        items=len(results),
        positives=sum(r.expected for r in results),
        true_positives=sum(r.expected and r.found is not None for r in results),
        false_alarms=sum(not r.expected and r.found is not None for r in results),
    )


def breakdown(results: list[Outcome]) -> list[tuple[str, Score]]:
    """The whole set, each half, then each language."""
    rows = [("all", score(results))]
    rows += [(h, score(r for r in results if half(r.item["text"]) == h)) for h in ("dev", "check")]
    rows += [(lang, score(r for r in results if r.item["lang"] == lang)) for lang in LANGUAGES]
    return rows


def meets(name: str, s: Score) -> bool:
    """Issue 14's targets: declines recall >= 0.95 and no false alarm; confirmations precision and recall >= 0.95."""
    if name == "declines":
        return s.recall >= 0.95 and s.false_alarms == 0
    return s.precision >= 0.95 and s.recall >= 0.95


def report(labelled: LabelledSet, vocab: Vocabulary) -> bool:
    results = outcomes(labelled, vocab)
    rows = breakdown(results)
    print(f"\n{labelled.name} ({labelled.truth}: true/false)")
    print(f"{'part':6} {'items':>5} {'pos':>4} {'precision':>9} {'recall':>6} {'false alarms':>12}")
    for part, s in rows:
        print(f"{part:6} {s.items:5} {s.positives:4} {s.precision:9.3f} {s.recall:6.3f} {s.false_alarms:12}")
    wrong = [r for r in results if not r.right]
    print(f"misclassified: {len(wrong)}")
    for r in wrong:
        what = f"fired ({r.found.signal}: {r.found.phrase!r})" if r.found else "missed"
        print(f"  [{r.item['lang']} {half(r.item['text'])}] {what}: {r.item['text']!r}")
    return all(meets(labelled.name, s) for part, s in rows if part in ("all", "dev", "check"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[s.name for s in SETS], help="only this set")
    args = parser.parse_args()
    vocab = Vocabulary.default()
    ok = [report(s, vocab) for s in SETS if args.set in (None, s.name)]
    sys.exit(0 if all(ok) else 1)


if __name__ == "__main__":
    main()

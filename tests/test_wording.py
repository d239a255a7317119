"""auditor/wording.py on our labelled sets (tests/data/wording) and on tricky cases one by one.

Targets (issue 26): shaming recall >= 0.95 with no false alarm on neutral exits; confirmations precision and
recall >= 0.95. They must hold on the whole set, on each half: "dev" (failures looked at while building the
recogniser) and "check" (held out), so the grammar generalises rather than remembers, and on each of the
eleven languages that has items (one that has none yet is skipped, and says so). The sets' headers say how
items are labelled; `.venv/bin/python -m bench.wording` prints the same figures and the dev half's misses.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from pathlib import Path

import pytest

import bench.wording
from auditor.classify import Vocabulary
from auditor.wording import Found, read_confirmation, read_guilt, read_shaming
from bench.wording import PARTS, SETS, LabelledSet, half, meets, outcomes, part, problems, score

VOCAB = Vocabulary.default()
DECLINES, CONFIRMATIONS = SETS


@pytest.mark.parametrize("labelled", SETS, ids=lambda s: s.name)
def test_sets_are_large_balanced_and_in_known_languages(labelled: LabelledSet) -> None:
    items = labelled.items()
    assert len(items) >= (550 if labelled is DECLINES else 120)
    assert len({i["text"] for i in items}) == len(items)  # no duplicates
    assert not problems(labelled)
    counts = collections.Counter((i["lang"], bool(i[labelled.truth])) for i in items)
    for lang in ("en", "de", "fr", "es", *{i["lang"] for i in items}):  # the first four always; others once they come
        assert counts[lang, True] and counts[lang, False], lang
        assert counts[lang, True] + counts[lang, False] >= (40 if labelled is DECLINES else 30), lang
    positives = sum(bool(i[labelled.truth]) for i in items)
    assert abs(positives - len(items) / 2) <= len(items) * 0.1
    halves = collections.Counter(half(i["text"]) for i in items)
    assert min(halves.values()) >= len(items) * 0.4  # the hash splits about evenly


@pytest.mark.parametrize("name", PARTS)
@pytest.mark.parametrize("labelled", SETS, ids=lambda s: s.name)
def test_targets_hold_on_the_set_each_half_and_each_language(labelled: LabelledSet, name: str) -> None:
    results = part(outcomes(labelled, VOCAB), name)
    if not results:
        pytest.skip(f"no {name} items yet")
    s = score(results)
    wrong = [r.item["text"] for r in results if not r.right]
    assert meets(labelled.name, s), f"{labelled.name}/{name}: P={s.precision:.3f} R={s.recall:.3f} {wrong}"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "declines:\n  - {text: a, lang: en, shaming: true}\n  - {text: b, lang: xx, shaming: false}\n",
            "3: unknown lang 'xx'",
        ),
        ("declines:\n  - {text: a, lang: en, shaming: yes please}\n", "2: `shaming` must be true or false"),
        ("declines:\n  - {lang: en, shaming: true}\n", "2: an item needs a `text`"),
        ("declines:\n  - {text: a, lang: en\n", "3: not YAML"),
        ("other: []\n", "1: no `declines:` list of items"),
    ],
)
def test_a_bad_item_is_named_by_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, problem: str
) -> None:
    (tmp_path / "declines.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(bench.wording, "DATA", tmp_path)
    found = problems(DECLINES)
    assert len(found) == 1 and found[0].startswith(f"{tmp_path / 'declines.yaml'}:{problem}"), found


def test_the_bench_exits_2_on_a_bad_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "declines.yaml").write_text("declines:\n  - {text: a, lang: xx, shaming: true}\n", encoding="utf-8")
    monkeypatch.setattr(bench.wording, "DATA", tmp_path)
    monkeypatch.setattr("sys.argv", ["bench.wording", "--set", "declines"])
    with pytest.raises(SystemExit) as stopped:
        bench.wording.main()
    assert stopped.value.code == 2


# ---- shaming, one by one ----
NEUTRAL_EXITS = [
    "No thanks",
    "Cancel anyway",
    "Continue to cancel",
    "Yes, cancel my subscription",
    "I want to cancel",
    "I understand, cancel",
    "Trotzdem kündigen",
    "Nein danke",
    "Non merci",
    "Continuer la résiliation",
    "No, gracias",
    "Cancelar de todos modos",
    "Skip",
    "Maybe later",
    "Not now",
    "I don't need it anymore, cancel",
    "I'd like to cancel",
    "I'm sure",
    "I no longer need this",
    "I'd rather not say",
    "I'd rather cancel",
    "Nein danke, ich verzichte",
    "I prefer to pay monthly",
    "Ich zahle lieber per Rechnung",
    "I don't want to lose my discount",
    "Keep my savings",
    "It doesn't fit my needs, I want to cancel",
    "I'm not happy with the service",
    "I no longer want to learn Spanish",
    "I'm tired of the ads",
    "I understand, that I will lose my rewards",
    "Pagar más tarde",
    "No, I hate spam, unsubscribe me",
]


@pytest.mark.parametrize("label", NEUTRAL_EXITS)
def test_neutral_exits_do_not_shame(label: str) -> None:
    assert phrase(read_shaming)(label, VOCAB) is None


@pytest.mark.parametrize(
    ("label", "signal", "phrase"),
    [
        ("No thanks, I prefer paying full price", "structure", "I prefer paying full price"),
        ("Nein danke, ich zahle gern mehr", "phrase", "ich zahle gern mehr"),
        ("Non merci, je préfère rester mal informé", "structure", "je préfère rester mal informé"),
        ("No gracias, prefiero pagar más", "phrase", "prefiero pagar más"),
        ("YES, I AM COLD-BLOODED", "structure", "I AM COLD-BLOODED"),  # capitalised self-accusation
        ("I like a boring inbox", "structure", "I like a boring inbox"),  # sarcastic preference for the worse
        ("I’ll skip all the coolness", "structure", "I'll skip all the coolness"),  # a good skipped
        ("No, I'd hate to save", "structure", "I'd hate to save"),  # hating a good
        ("No, it's fine, I'll keep feeling exhausted", "structure", "I'll keep feeling exhausted"),  # a plight kept
        ("No, me da lo mismo mi progreso", "structure", "me da lo mismo mi progreso"),  # a shrug at a good
        ("Nah, who needs savings?", "structure", "who needs savings"),  # a rhetorical refusal
        # issue 26's families
        ("No thanks, 25% off", "structure", "25% off"),  # a good restated after a decline opener
        ("Nein danke, Gratisversand", "structure", "Gratisversand"),
        ("Discounts? Not for me", "structure", "Discounts Not for me"),  # a topic, then its comment
        ("I'll grab the savings some other day", "structure", "I'll grab the savings some other day"),  # put off
        ("Sin regalos para mí, gracias", "structure", "Sin regalos para mí"),  # gone without
        ("Wer braucht schon Gratisversand?", "structure", "Wer braucht schon Gratisversand"),  # no "I" needed
        ("Me encanta hacer cola", "structure", "Me encanta hacer cola"),  # a needless hardship, welcomed
        ("I'm happy to hear about deals last", "structure", "I'm happy to hear about deals last"),  # read by "last"
        ("I'd rather walk home in the rain", "structure", "I'd rather walk home in the rain"),
    ],
)
def test_shaming_by_phrase_and_by_structure(label: str, signal: str, phrase: str) -> None:
    found = read_shaming(label, VOCAB)
    assert found is not None and (found.signal, found.phrase) == (signal, phrase)


def phrase(read: Callable[[str, Vocabulary], Found | None]) -> Callable[[str, Vocabulary], str | None]:
    """A reader's words only (None when it found nothing)."""
    return lambda text, vocab: found.phrase if (found := read(text, vocab)) else None


def test_negation_and_loss_turn_values_around() -> None:
    assert phrase(read_shaming)("I don't want to miss out", VOCAB) is None  # a keep option: not missing out is good
    assert phrase(read_shaming)("I never miss a deal", VOCAB) is None
    assert phrase(read_shaming)("I'd rather not pay more", VOCAB) is None
    assert phrase(read_shaming)("I'd rather not save", VOCAB) == "I'd rather not save"
    assert phrase(read_shaming)("I'm fine losing my streak", VOCAB) == "I'm fine losing my streak"


@pytest.mark.parametrize(
    "label",
    [
        "I want my perks without ads",  # "without" forgoes the ads, not the perks
        "Tell me about the deals another time",  # the telling is put off, not the deals
        "I need help with my cluttered inbox",  # a remedy turns the clutter around
        "I want to walk the dog more",  # walking is a hardship only when preferred to the offer
        "No thanks, my plan already has free returns",  # a good named in a clause of its own: a reason
        "Non merci, j'ai déjà la livraison gratuite",
        "No thanks, free plan",  # after an opener, only the offer's own perk restated is refused
        "Nein danke, kostenloser Versand reicht mir",  # the clause has a speaker of its own
        "I'd like 0% interest on my instalments",  # nothing off is worse; no interest is not
    ],
)
def test_the_new_turns_reach_only_their_value(label: str) -> None:
    assert phrase(read_shaming)(label, VOCAB) is None


def test_a_team_pack_extends_the_grammar_with_words() -> None:
    assert phrase(read_shaming)("No thanks, I'll stay a grump", VOCAB) is None
    extended = Vocabulary.from_mapping(
        {"phrases": {**{k: {"en": list(v)} for k, v in VOCAB.phrases.items()}, "shame_cue": {"en": ["grump"]}}}
    )
    assert phrase(read_shaming)("No thanks, I'll stay a grump", extended) == "I'll stay a grump"


# ---- guilt ----
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("We'd hate to see you go. Are you sure?", "hate to see you go"),
        ("Wait! You'll lose all your progress and badges.", "You'll lose all your progress and badges."),
        ("12,000 members stayed this week. Will you?", "12,000 members stayed"),
        ("Plus de 3 000 abonnés ont choisi de rester ce mois-ci.", "3 000 abonnés ont choisi de rester"),
        ("Perderás todo tu historial si te vas.", "Perderás todo tu historial si te vas."),
        ("Your plan renews on May 3.", None),
        ("Résiliez votre abonnement sans frais, à tout moment.", None),  # "sans" forgoes nothing in guilt copy
        ("You'll keep access until May 3.", None),
        ("We're sorry to see you go. Your subscription has been cancelled.", None),
    ],
)
def test_guilt(text: str, found: str | None) -> None:
    assert phrase(read_guilt)(text, VOCAB) == found


# ---- confirmations, one by one ----
@pytest.mark.parametrize(
    "text",
    [
        "Subscription successfully cancelled!",
        "You are unsubscribed",
        "You have been unsubscribed",
        "Your membership ends on 3 May",
        "We've processed your cancellation",
        "Kündigung erfolgreich",
        "Votre abonnement est résilié",
        "Tu suscripción ha sido cancelada",
        "Order placed",
        "Thanks for your order",
        "Subscription cancelled Changed your mind? Rejoin",  # a heading, then a question: the heading counts
        "Ihre Kündigung ist bei uns eingegangen.",  # a receipt with nothing left to happen (BGB 312k)
        "Success! You will no longer receive emails from us.",
    ],
)
def test_confirmations(text: str) -> None:
    assert phrase(read_confirmation)(text, VOCAB) is not None


@pytest.mark.parametrize(
    "text",
    [
        "If you cancel, your plan will end on 3 May",
        "Are you sure you want to cancel?",
        "Cancel subscription",
        "Your subscription renews on 3 May",
        "We received your request and will process it within 5 days",
        "Are you sure? Your plan will end on May 3.",
        "Your subscription has not been cancelled.",
        "Has your subscription been cancelled?",
        "Thanks for your feedback.",
        "Your trial ends on May 3, then $5/month.",
        "Ihre Kündigung wird derzeit bearbeitet.",
        "¿Se ha cancelado tu suscripción?",
    ],
)
def test_not_confirmations(text: str) -> None:
    assert phrase(read_confirmation)(text, VOCAB) is None


def test_confirmation_phrase_list_is_one_signal_and_structure_the_other() -> None:
    assert read_confirmation("Your subscription has been cancelled.", VOCAB) == read_confirmation(
        "Your subscription has been cancelled.", VOCAB
    )
    found = read_confirmation("Your subscription has been cancelled.", VOCAB)
    assert found is not None and (found.signal, found.phrase) == ("phrase", "has been cancelled")
    found = read_confirmation("Membership cancelled. See you soon.", VOCAB)
    assert found is not None and (found.signal, found.phrase) == ("structure", "Membership cancelled")

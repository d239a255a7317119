"""Where languages meet in one vocabulary (issue 26): every pack language's words are matched on every text, so
a word of one language can be another's. Italian "Non" is French's decline opener and Spanish "si" (if) sits in
Italian "non si rinnoverà" (it will not renew); wording.py keeps each in its own language's sense."""

from __future__ import annotations

import pytest

from auditor.classify import Vocabulary
from auditor.wording import read_confirmation, read_shaming

VOCAB = Vocabulary.default()


@pytest.mark.parametrize(
    "label",
    [
        "Non voglio ricevere sconti",  # "I don't want discounts": the "non" is the clause's, not an opener
        "Non sono interessato alla spedizione gratuita",
        "Não quero frete grátis",
        "Non merci, je préfère payer plein tarif",  # French's opener still opens
        "No I hate saving",  # English "No" before "I" still opens
    ],
)
def test_a_negation_that_opens_a_sentence_still_negates_it(label: str) -> None:
    assert read_shaming(label, VOCAB) is not None


@pytest.mark.parametrize("label", ["Non ora", "Non lo uso più, disdici", "Non, merci", "Non voglio più imparare"])
def test_a_leading_negation_alone_is_no_shame(label: str) -> None:
    assert read_shaming(label, VOCAB) is None


def test_a_condition_word_inside_a_phrase_saying_it_is_done_is_part_of_it() -> None:
    assert read_confirmation("Fatto! Il tuo abbonamento non si rinnoverà.", VOCAB) is not None
    assert read_confirmation("Si cancelas ahora, tu suscripción se cancelará.", VOCAB) is None  # Spanish "if"
    assert read_confirmation("Se annulli ora, il tuo abbonamento verrà disdetto.", VOCAB) is None


@pytest.mark.parametrize(
    ("label", "intent"),
    [
        ("Finalizar compra", "join"),  # Portuguese and Spanish checkout: holds Spanish "finalizar" (end)
        ("Finalizar encomenda", "join"),
        ("Finalizar", "exit"),
        ("Sair", "avoid"),  # a whole label "Sair" signs out (pt-BR); "Sair do plano" is no sign-out
        ("Disdici l'abbonamento", "exit"),
        ("Zeg je abonnement op", "exit"),  # Dutch "opzeggen" split around its object
        ("Sign out and cancel", "avoid"),  # nothing overrides avoid
    ],
)
def test_a_longer_phrase_of_a_later_intent_holding_the_first_wins(label: str, intent: str) -> None:
    assert VOCAB.intent(label) == intent


def test_every_language_negates_and_a_leading_negation_is_one() -> None:
    """Each labelled language has `negation` words, and every `leading_negation` word is also a negation of its
    language: a line-union merge once filed Polish, Swedish and Danish "not" under `leading_negation` only,
    and "jag vill inte lära mig" read as wanting to learn."""
    written = VOCAB.written
    languages = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "ja")
    assert [lang for lang in languages if not written["negation"].get(lang)] == []
    for lang, words in written["leading_negation"].items():
        assert set(words) <= set(written["negation"].get(lang, ())), lang


@pytest.mark.parametrize(
    "label",
    ["Nej, jag vill inte lära mig något nytt", "Nej tak, jeg vil ikke være sundere", "Nie, nie chcę oszczędzać"],
)
def test_a_refused_good_in_polish_swedish_danish_shames(label: str) -> None:
    assert read_shaming(label, VOCAB) is not None


def test_a_negated_end_in_swedish_and_danish_confirms_nothing() -> None:
    assert read_confirmation("Din prenumeration har inte avslutats.", VOCAB) is None
    assert read_confirmation("Dit abonnement er ikke blevet opsagt.", VOCAB) is None


@pytest.mark.parametrize(
    "label", ["Jeg klarer mig uden belønninger", "I'll do without the discount", "Jag klarar mig utan rabatten"]
)
def test_a_forgo_word_inside_a_longer_loss_is_one_turn(label: str) -> None:
    """ "do without" is a loss holding forgo's "without": counted twice, the good would turn back into a good."""
    assert read_shaming(label, VOCAB) is not None


def test_copy_read_in_its_language_hears_no_third_language() -> None:
    """`Vocabulary.speaking`: Spanish "mi" is "my" and Italian "mi" a speaker ("me"); French "rate" (miss)
    turns the German "ich rate" (I guess) around. Read in its page's language (and English), each means
    its own; an unknown language reads in all."""
    assert read_shaming("Cancelar y perder mi descuento", VOCAB.speaking("es")) is None
    assert read_shaming("Nein danke, ich rate lieber ins Blaue", VOCAB) is None
    assert read_shaming("Nein danke, ich rate lieber ins Blaue", VOCAB.speaking("de-AT")) is not None
    assert read_shaming("No thanks, I love chaos", VOCAB.speaking("de")) is not None  # English stays
    assert VOCAB.speaking("vi") is VOCAB and VOCAB.speaking("") is VOCAB

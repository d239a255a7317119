"""A page's language (auditor/language.py) and words read in it first (classify.Vocabulary.intent_why)."""

from __future__ import annotations

import pytest

from auditor.classify import Vocabulary
from auditor.graph import Screen
from auditor.language import page_language

VOCAB = Vocabulary.default()


# about a hundred characters or more of each language, as a page's text says them
TEXTS = {
    "en": "Manage your subscription here. You can cancel anytime in your account settings, "
    "and your plan stays active until the end of the period.",
    "de": "Ihr Abonnement verlängert sich automatisch um einen Monat. "
    "Sie können es jederzeit in Ihrem Kundenkonto kündigen, ohne Angabe von Gründen.",
    "fr": "Votre abonnement sera résilié à la fin de la période en cours. "
    "Vous pouvez continuer à profiter de vos avantages jusque-là.",
    "es": "Tu suscripción se renovará automáticamente cada mes hasta que la canceles desde tu cuenta. "
    "Puedes hacerlo cuando quieras.",
    "it": "Il tuo abbonamento si rinnova automaticamente ogni mese. "
    "Puoi disdirlo in qualsiasi momento dalla pagina del tuo profilo.",
    "pt": "A sua assinatura é renovada automaticamente todos os meses. "
    "Pode cancelá-la a qualquer momento na página da sua conta.",
    "nl": "Je abonnement wordt elke maand automatisch verlengd. "
    "Je kunt het op elk moment opzeggen via de pagina van je account.",
    "pl": "Twoja subskrypcja odnawia się automatycznie co miesiąc. "
    "Możesz ją anulować w dowolnym momencie na stronie swojego konta.",
    "sv": "Ditt abonnemang förnyas automatiskt varje månad. "
    "Du kan när som helst säga upp det på sidan för ditt konto, utan kostnad.",
    "da": "Dit abonnement fornyes automatisk hver måned, indtil du opsiger det. "
    "Du kan opsige det når som helst på siden for din konto.",
    "ja": "読み放題プランは毎月自動更新されます。マイページからいつでも解約できます。",
}


@pytest.mark.parametrize(
    ("text", "hint", "lang"),
    [
        *[(text, "", lang) for lang, text in TEXTS.items()],
        (TEXTS["de"], "en", "de"),  # a template's lang="en" on a German page: the words win
        (TEXTS["de"], "de-AT", "de"),  # words that fit the attribute's language: it stands ("de-AT" is "de")
        (TEXTS["da"], "da", "da"),
        # too short to tell: the attribute says it, or nobody does
        ("Signed out – PulseFit Signed out Sign in", "en", "en"),
        ("OK", "ja", "ja"),
        ("Mein Konto – Abo kündigen", "", ""),
        # a language the detector does not know: the attribute is taken as it is
        ("Jäsenyytesi on päättynyt. Kiitos ajastasi.", "fi", "fi"),
    ],
)
def test_a_pages_language_from_its_words_and_its_lang_attribute(text: str, hint: str, lang: str) -> None:
    assert page_language(text, hint) == lang


def test_a_screens_language_is_kept_in_graph_json_and_old_graphs_read_as_unknown() -> None:
    screen = Screen(id="s1", fingerprint="f", url="https://shop.test/", lang="ja")
    assert Screen.from_dict(screen.to_dict()).lang == "ja"
    old = screen.to_dict()
    del old["lang"]
    assert Screen.from_dict(old).lang == ""


def test_a_label_is_read_in_its_pages_language_first() -> None:
    vocab = Vocabulary.from_mapping(
        {"intents": {"exit": {"es": ["finalizar"]}, "progress": {"pt": ["finalizar"], "en": ["next"]}}}
    )
    assert vocab.intent("Finalizar") == "exit"  # no language: the first intent in INTENT_ORDER
    assert vocab.intent_why("Finalizar", "pt") == ("progress", "Finalizar")  # the Portuguese page's meaning
    assert vocab.intent("Finalizar", "pt-BR") == "progress"
    assert vocab.intent("Finalizar", "es") == "exit"
    assert vocab.intent("Finalizar", "de") == "exit"  # no German phrase: every language
    assert vocab.intent("Next", "pt") == "progress"  # no Portuguese phrase in it: every language


@pytest.mark.parametrize(
    ("label", "intent"),
    [
        ("解約する", "exit"),
        ("プランを解約する", "exit"),
        ("解約手続きへ", "exit"),
        ("退会手続き", "exit"),
        ("解約しない", "keep"),
        ("カートに入れる", "join"),
        ("ご注文を確定する", "join"),
        ("レジに進む", "join"),
        ("ログアウト", "avoid"),
        ("マイページ", "path"),
        ("次へ", "progress"),
        ("すべて拒否", "dismiss"),
        ("20%オフで続ける", "offer"),
    ],
)
def test_japanese_phrases_are_found_with_no_spaces_around_them(label: str, intent: str) -> None:
    assert VOCAB.intent(label, "ja") == intent
    assert VOCAB.intent(label) == intent


def test_word_edges_in_scripts_written_without_spaces() -> None:
    vocab = Vocabulary.from_mapping({"intents": {"exit": {"ja": ["解約"], "th": ["ยกเลิก"]}, "dismiss": {"en": ["ok"]}}})
    assert vocab.intent("今すぐ解約する") == "exit"  # inside a run of kanji and kana
    assert vocab.intent("ยกเลิกการสมัคร") == "exit"  # Thai: no spaces either
    assert vocab.intent("okay") == "neutral"  # a Latin phrase is still a whole word

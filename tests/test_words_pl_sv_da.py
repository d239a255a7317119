"""Polish, Swedish and Danish in core.yaml's vocabulary, one by one: what a control's label means, what a
screen's text says (renewal, cadence, price, where to cancel), and guards against the words of one language
changing what another's labels mean (all languages' phrases are matched together). The labelled sets
(tests/data/wording, measured by bench.wording) hold the shaming and confirmation grammar's examples."""

from __future__ import annotations

import pytest

from auditor.classify import Vocabulary
from auditor.wording import read_confirmation, read_guilt, read_shaming

VOCAB = Vocabulary.default()

INTENTS = [
    # Polish
    ("Anuluj subskrypcję", "exit"),
    ("Zrezygnuj z subskrypcji", "exit"),
    ("Wypowiedz umowę", "exit"),
    ("Zachowaj subskrypcję", "keep"),
    ("Nie anuluj", "keep"),
    ("Wyloguj się", "avoid"),
    ("Odbierz zniżkę", "offer"),
    ("Dodaj do koszyka", "join"),
    ("Zamawiam i płacę", "join"),
    ("Kontynuuj jako gość", "join"),
    ("Odrzuć wszystkie", "dismiss"),
    ("Dalej", "progress"),
    ("Tak", "progress"),
    ("Moje konto", "path"),
    # Swedish
    ("Avsluta prenumeration", "exit"),
    ("Säg upp abonnemang", "exit"),
    ("Behåll prenumerationen", "keep"),
    ("Avbryt inte", "keep"),
    ("Logga ut", "avoid"),
    ("Lägg i varukorgen", "join"),
    ("Till kassan", "join"),
    ("Slutför köp", "join"),
    ("Avvisa alla", "dismiss"),
    ("Fortsätt", "progress"),
    ("Mina sidor", "path"),
    # Danish
    ("Opsig abonnement", "exit"),
    ("Afmeld", "exit"),
    ("Behold abonnementet", "keep"),
    ("Opsig ikke", "keep"),
    ("Log ud", "avoid"),
    ("Læg i kurv", "join"),
    ("Gå til kassen", "join"),
    ("Bliv medlem", "join"),  # not "keep": "bliv" alone is no keep word
    ("Køb med betalingspligt", "join"),
    ("Afvis alle", "dismiss"),
    ("Næste", "progress"),
    ("Mit abonnement", "path"),
    # one language's words must not move another's labels
    ("Nej tak", "neutral"),  # Danish "tak" is thanks, not Polish "yes"
    ("Send", "neutral"),
    ("Zostań członkiem", "neutral"),  # "become a member": not "zostań z nami"
]


@pytest.mark.parametrize(("label", "intent"), INTENTS)
def test_a_labels_intent(label: str, intent: str) -> None:
    assert VOCAB.intent(label) == intent


PHRASES = [
    ("renewal", "Subskrypcja odnawia się automatycznie co miesiąc", "odnawia się automatycznie"),
    ("renewal", "Abonnemanget förnyas automatiskt tills du säger upp det", "förnyas automatiskt"),
    ("renewal", "Abonnementet fornyes automatisk, indtil du opsiger det", "fornyes automatisk"),
    ("cadence", "39,99 zł/mies.", "/mies"),
    ("cadence", "39,99 zł miesięcznie", "miesięcznie"),
    ("cadence", "99 kr i månaden", "i månaden"),
    ("cadence", "79 kr. pr. måned", "pr. måned"),
    ("price", "Razem 1 299,00 zł", "1 299,00 zł"),
    ("price", "Totalt 149 SEK", "149 SEK"),
    ("price", "I alt kr. 79,95", "kr. 79,95"),
    (
        "cancel_how",
        "Możesz anulować w dowolnym momencie w ustawieniach konta",
        "anulować w dowolnym momencie w ustawieniach",
    ),
    ("cancel_how", "Du kan säga upp när som helst under Mina sidor", "säga upp när som helst under Mina sidor"),
    ("cancel_how", "Du kan opsige når som helst under Min side", "opsige når som helst under Min side"),
    ("withdraw", "Odstąp od umowy tutaj", "Odstąp od umowy tutaj"),
    ("withdraw", "Fortryd aftalen her", "Fortryd aftalen her"),
    ("survey", "Dlaczego rezygnujesz?", "Dlaczego rezygnujesz"),
    ("offer", "Innan du går: 50 % rabatt i tre månader", "Innan du går"),
    ("guest", "Fortsæt som gæst", "Fortsæt som gæst"),
    ("auth", "Ange ditt lösenord", "Ange ditt lösenord"),
]


@pytest.mark.parametrize(("category", "text", "found"), PHRASES)
def test_a_screens_words(category: str, text: str, found: str) -> None:
    assert VOCAB.find(category, text) == found


def test_a_period_is_no_renewal_nor_a_cadence_without_a_period() -> None:
    assert VOCAB.find("renewal", "Twoja subskrypcja nie zostanie odnowiona.") is None
    assert VOCAB.find("cadence", "Jeg har ikke tid i dag") is None  # "i dag" is today, not a period
    assert VOCAB.find("price", "12 000 osób zostało z nami") is None


@pytest.mark.parametrize(
    "label",
    [
        "Ja, auf Rabatt verzichten",  # German "ja" is "yes", not the Polish speaker "ja"
        "Anuluj i utrać darmowe miesiące",
        "Nie, dziękuję, chcę tylko anulować",
        "Jag behöver det inte längre",
        "Jeg forstår, at jeg mister mine point",
        "Nej, jag vill inte betala mer",  # refusing a worse deal is a reason, not a shame
        "Nie, dziękuję, mam już lepszą ofertę",
        "Jeg er ikke tilfreds med tjenesten",
        "Ja tak, jeg vil gerne have rabatten",  # wanting a good keeps the user
    ],
)
def test_a_neutral_exit_is_no_shaming(label: str) -> None:
    assert read_shaming(label, VOCAB) is None


@pytest.mark.parametrize(
    "label",
    [
        "Nie, dzięki, wolę przepłacać",
        "Nie, wolę nie wiedzieć, co tracę",
        "Nie, nie zależy mi na moim psie",  # "my dog" in any case ending
        "Nie, dziękuję, wolę zostać przy starych nawykach",
        "Nej tack, jag bryr mig inte om min hälsa",
        "Nej tak, jeg hader gode tilbud",
    ],
)
def test_a_shaming_decline(label: str) -> None:
    assert read_shaming(label, VOCAB) is not None


@pytest.mark.parametrize(
    ("text", "confirms"),
    [
        # a heading then a question, joined in a page's text: the question starts at a Polish capital too
        ("Dziękujemy za rezygnację Zmienisz zdanie?", True),
        ("Subskrypcja anulowana Żałujesz?", True),
        ("Twoja subskrypcja nie została anulowana.", False),
        ("Votre contrat est résilié à compter du 1er mai.", True),
        ("Zamówienie zostanie zrealizowane w ciągu 3 dni.", False),  # pending, not done
        ("Gdy anulujesz, Twój plan zakończy się 14 czerwca.", False),  # a condition
    ],
)
def test_a_confirmation(text: str, confirms: bool) -> None:
    assert (read_confirmation(text, VOCAB) is not None) is confirms


@pytest.mark.parametrize(
    "text",
    [
        "Stracisz wszystkie swoje postępy.",
        "Du kommer att förlora alla dina poäng.",
        "Du mister alle dine point.",
        "Szkoda, że odchodzisz!",
        "12 000 osób zostało z nami w tym tygodniu.",
        "Over 5.000 medlemmer valgte at blive i denne uge.",
    ],
)
def test_guilt_on_a_screen(text: str) -> None:
    assert read_guilt(text, VOCAB) is not None


def test_french_du_is_no_second_person() -> None:
    """Swedish and Danish "du" is "you" only with its verb: French "du" ("of the") is everywhere."""
    assert read_guilt("Perdre tout l'historique du compte est possible.", VOCAB) is None

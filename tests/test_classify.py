"""The vocabulary decides what labels mean, in several languages."""

import pytest

from auditor.classify import Vocabulary, screen_kind
from auditor.records import Field

VOCAB = Vocabulary.default()


@pytest.mark.parametrize(
    ("label", "intent"),
    [
        ("Cancel membership", "exit"),
        ("No thanks, continue to cancel", "exit"),
        ("Jetzt kündigen", "exit"),
        ("Résilier mon abonnement", "exit"),
        ("Darse de baja", "exit"),
        ("Keep my benefits", "keep"),
        ("Don't cancel", "keep"),
        ("Claim offer", "offer"),
        ("Reject all", "dismiss"),
        ("Sign out", "avoid"),
        ("Se déconnecter", "avoid"),
        ("Manage membership", "path"),
        ("Continue", "progress"),
        ("Start my free trial", "join"),
        ("Your orders", "neutral"),
        # a shop's way to the order, in every pack language (issue 24: these carried no weight)
        ("Add to basket", "join"),
        ("Place binding order", "join"),
        ("Zum Warenkorb hinzufügen", "join"),
        ("In den Warenkorb", "join"),
        ("Zahlungspflichtig bestellen", "join"),
        ("Als Gast bestellen", "join"),
        ("Ajouter au panier", "join"),
        ("Passer la commande", "join"),
        ("Añadir al carrito", "join"),
        ("Realizar pedido", "join"),
        ("Newsletter abbestellen", "exit"),  # "bestellen" is a whole word: not inside "abbestellen"
    ],
)
def test_intents(label, intent):
    assert VOCAB.intent(label) == intent


def test_whole_words_only():
    assert VOCAB.intent("Okay-ish banner") == "neutral"  # "ok" must not match inside "okay"
    assert VOCAB.intent("Stayed") == "neutral"


def test_refusing_dismissals_are_known():
    assert VOCAB.refuses("Reject all") and VOCAB.refuses("Alle ablehnen")
    assert not VOCAB.refuses("Accept all")


def test_team_phrases_extend_the_vocabulary():
    vocab = Vocabulary.from_mapping({"intents": {"exit": {"nl": ["opzeggen"]}}})
    assert vocab.intent("Abonnement opzeggen") == "exit"


def _kind(**kw):
    base = dict(
        text="",
        dialog_text="",
        fields=[],
        intents=["neutral"],
        checkable=0,
        is_start=False,
        is_goal=False,
        http_status=200,
    )
    base.update(kw)
    return screen_kind(VOCAB, **base)


def test_screen_kinds():
    assert _kind(is_goal=True, is_start=True) == "goal"
    assert _kind(http_status=500) == "error"
    assert _kind(fields=[Field(type="password")]) == "auth"
    assert _kind(text="Why are you leaving?", checkable=4) == "survey"
    assert _kind(text="Before you go: 50% off", intents=["keep", "exit"]) == "offer"
    assert _kind(text="Before you go: 50% off", intents=["keep"]) == "offer"  # a save offer, exit or not
    assert _kind(text="Before you go: 50% off", intents=["neutral"]) == "info"  # nothing to take or decline
    assert _kind(intents=[]) == "dead_end"


def test_the_chat_request_is_said_in_the_pages_language():
    assert VOCAB.say("chat_request", "de-AT") == "Ich möchte mein Abonnement kündigen"
    assert VOCAB.say("chat_request", "fr") == "Je veux résilier mon abonnement"
    assert VOCAB.say("chat_request", "") == "I want to cancel my subscription"  # no lang: English
    assert VOCAB.say("chat_request", "vi") == "I want to cancel my subscription"
    assert VOCAB.say("no such list", "en") is None


@pytest.mark.parametrize(
    "guest", ["Continue as guest", "Als Gast bestellen", "Continuer en tant qu'invité", "Comprar como invitado"]
)
def test_a_sign_in_box_beside_a_guest_checkout_is_no_auth_gate(guest):
    """A password is a check on the purchase only when the way on needs it: a returning customer's sign-in
    box beside a guest checkout is a shortcut, not a gate (issue 24: a false purchase.reauth-window)."""
    password = [Field(type="password")]
    assert _kind(fields=password, labels=["Sign in"]) == "auth"
    assert _kind(fields=password, labels=["Sign in", guest]) != "auth"
    assert _kind(text="Enter your password", labels=["Confirm"]) == "auth"

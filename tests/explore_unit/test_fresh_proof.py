"""The fresh-user proof is spared only where the screens off the way were merely looked at: by a user who
stored and sent nothing, through actions with no word of the flow, in documents the way never used again."""

from __future__ import annotations

from dataclasses import replace

from auditor.explore.events import Journal
from auditor.explore.fresh import FreshProof
from auditor.explore.recorder import Position, Recorder
from auditor.explore.restore import Restorer
from auditor.explore.stats import Stats
from auditor.explore.userdata import UserData
from tests.explore_unit.fixtures import load, spec
from tests.explore_unit.test_links import link


def walked(faq_intent: str = "path", faq_document: str = "D1") -> tuple[FreshProof, str]:
    """Home (s0, document D0) -> the FAQ (off the way) -> Back -> My account (the goal's source, D2)."""
    stats = Stats()
    recorder = Recorder(spec("cancellation"), stats, lambda record, obs, parent: None, UserData())
    home = load("spa-home")
    faq_link, account_link = link("Membership FAQ", "/help/faq"), link("My account", "/account")
    looks = {name: replace(home, heading=name, text=name, elements=[faq_link, account_link]) for name in "HFA"}
    start = recorder.register(looks["H"], (), False, None, False)
    faq = recorder.register(looks["F"], (faq_link.key,), False, start, False)
    account = recorder.register(looks["A"], (account_link.key,), False, start, False)
    recorder.graph.add_action(start, faq, recorder.action(faq_link, home.url))
    recorder.graph.add_action(start, account, recorder.action(account_link, home.url))
    restorer = Restorer(None, recorder, stats)  # type: ignore[arg-type]  # no browser: only its records
    restorer.saw(Position(start, replace(looks["H"], document_id="D0")))
    restorer.took(start, Position(faq, replace(looks["F"], document_id=faq_document)), faq_intent)
    restorer.saw(Position(start, replace(looks["H"], document_id="D0")))  # back: the same document
    restorer.took(start, Position(account, replace(looks["A"], document_id="D2")), "path")
    return FreshProof(None, restorer, recorder, Journal()), account  # type: ignore[arg-type]


def test_a_help_page_looked_at_by_a_pristine_user_needs_no_proof() -> None:
    proof, account = walked()
    assert proof.earlier(account, 2, pristine=True, document="D2") == []


def test_a_user_who_stored_or_sent_something_is_proven() -> None:
    proof, account = walked()
    assert proof.earlier(account, 2, pristine=False, document="D2") == ["s1"]


def test_a_word_of_the_flow_off_the_way_is_proven_even_for_a_pristine_user() -> None:
    """A "Start my trial" link may start it on the server by a GET: the cookie jar need not change."""
    proof, account = walked(faq_intent="join")
    assert proof.earlier(account, 2, pristine=True, document="D2") == ["s1"]


def test_a_screen_off_the_way_in_a_document_the_way_used_is_proven() -> None:
    """Shown in the home page's own document (a panel opened in place), it may have left state in memory."""
    proof, account = walked(faq_document="D0")
    assert proof.earlier(account, 2, pristine=True, document="D2") == ["s1"]

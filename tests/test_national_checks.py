"""The check options issue 26's national packs need, over small hand-built graphs read with those packs' words
(no browser): a final screen judged on every order, not only subscriptions (特定商取引法 12条の6); a subscription
called a trial; a function the law names, found by its vocabulary category near the start (D215-1); and
Japanese phrases found without word edges."""

from __future__ import annotations

from typing import Any

from auditor.analyse import analyse
from auditor.classify import Vocabulary
from auditor.graph import FlowGraph
from auditor.rules.checks import REGISTRY, CheckContext, CheckResult, with_defaults
from auditor.rules.pack import load_rules
from tests.test_purchase_checks import charge, el, graph, screen

JP = load_rules(["jp"]).vocabulary
FR = load_rules(["fr"]).vocabulary
TERMS = {"quantity": "quantity", "price": "price", "cancel_terms": "cancel terms"}


def run(name: str, g: FlowGraph, vocab: Vocabulary, **options: Any) -> CheckResult:
    spec = REGISTRY[name]
    return spec.fn(CheckContext(analyse(g, vocab), vocab), with_defaults(spec, options))


def checkout(final_text: str, product: str = "煎茶 100g ¥1,200") -> FlowGraph:
    """A product page, then the final confirmation screen whose button charges."""
    return graph(
        [
            screen("s0", "/", el("カートに入れる"), heading="青葉茶園", text=product),
            screen("s1", "/kakunin", el("注文を確定する"), heading="ご注文内容の確認", text=final_text),
            screen("s2", "/arigato", heading="ご注文ありがとうございます"),
        ],
        [("s0", "s1", "カートに入れる"), ("s1", "s2", "注文を確定する", {"charges": (charge('{"amount":1200}'),)})],
    )


def test_japanese_phrases_are_found_without_spaces_and_latin_ones_keep_their_edges():
    assert JP.find("cancel_terms", "定期便の解約についてはこちら") == "解約について"
    assert JP.find("misleading_subscription", "今回1回のみのお届け") == "1回のみ"
    assert JP.find("price", "合計3,240円（税込）") == "3,240円"
    assert JP.find("quantity", "煎茶2袋") == "2袋"
    ok = Vocabulary.from_mapping({"phrases": {"t": {"en": ["ok"]}}})
    # a Latin phrase keeps its \w edges, even beside kana (classify._alternative: a class of the unspaced ranges
    # in every alternative would cost compilation 200 times as much), so "了解ok" holds no "ok"
    assert ok.find("t", "okay") is None and ok.find("t", "ok then") == "ok" and ok.find("t", "了解ok") is None


def test_a_final_screen_is_judged_on_a_one_off_order_when_not_only_subscriptions():
    one_off = checkout("煎茶 数量 2袋 販売価格 ¥1,200")
    assert run("terms_at_enrolment", one_off, JP, terms=TERMS).outcome == "inapplicable"  # no subscription
    result = run("terms_at_enrolment", one_off, JP, terms=TERMS, subscriptions_only=False)
    assert result.outcome == "fail"
    figures = result.violations[0].figures
    assert figures["missing"] == ["cancel terms"] and figures["shown"] == ["quantity", "price"]
    complete = checkout("煎茶 数量 2袋 販売価格 ¥1,200 返品について：未開封に限り8日以内")
    assert run("terms_at_enrolment", complete, JP, terms=TERMS, subscriptions_only=False).outcome == "pass"


def test_a_subscription_called_a_trial_on_its_final_screen():
    trial = checkout("初回お試し ¥500、2回目以降 月額 ¥3,240 の定期購入", product="煎茶 お試し ¥500")
    result = run("subscription_claims", trial, JP, category="misleading_subscription")
    assert result.outcome == "fail"
    figures = result.violations[0].figures
    assert (figures["claim"], figures["label"], figures["subscription"]) == ("お試し", "注文を確定する", "定期購入")
    assert result.violations[0].evidence.state == "s1"
    plain = checkout("毎月 ¥3,240 の定期購入。解約のお申し出があるまで継続します。")
    assert run("subscription_claims", plain, JP, category="misleading_subscription").figures == {"charges": 1}
    one_off = checkout("お試しサイズ ¥500")  # a trial size bought once is no subscription
    assert run("subscription_claims", one_off, JP, category="misleading_subscription").outcome == "inapplicable"


def test_a_function_named_by_a_vocabulary_category_near_the_start():
    footer = graph(
        [
            screen("s0", "/", el("Résilier votre contrat", role="link"), heading="Cinéfil"),
            screen("s1", "/resilier", el("Continuer"), heading="Résilier votre contrat"),
        ],
        [("s0", "s1", "Résilier votre contrat")],
        kind="cancellation",
    )
    near = run("control_near_start", footer, FR, category="cancel_function", max_steps=1)
    assert (near.outcome, near.figures["found_label"], near.figures["steps"]) == ("pass", "Résilier votre contrat", 0)
    withdraw = run("control_near_start", footer, FR, max_steps=1)  # the default category: `withdraw`
    assert withdraw.outcome == "fail" and withdraw.violations[0].figures["found_label"] is None

"""How copy is worded: a decline that shames, guilt on a screen, a screen that confirms something went through.

Phrase lists alone miss most of what copywriters write ("No thanks, I like a boring inbox" names no fixed
phrase), so each is also recognised by its *structure*: who speaks, what is valued, and which way the
sentence turns it. Every word the grammar looks for is a vocabulary category of the rule packs (core.yaml
lists them by language with a comment each), read through `Vocabulary.spans`, so a team pack extends the
grammar by adding words, not code. Pure functions of a string and a vocabulary: no browser, no graph.

- Shaming: a first-person speaker ("I", "ich", "je", "prefiero"), a decline opener ("No thanks,") or a
  rhetorical refusal ("Who needs ...?") that, in one clause, describes the user as worse (`shame_cue`:
  "uninformed", "pay for shipping", "the last to know"), or turns a good (`benefit`: "save", "10% off",
  "luck") into a harm by refusing, losing, forgoing or putting it off, or welcomes a worse option (`worse`:
  "a boring inbox", "0% off", "wait in line"). After an opener, naming the good is refusing it ("No thanks,
  free shipping"); a good named alone is the topic of the clause after it ("Savings? Not for me").
- Guilt: an emotional appeal (`guilt`), "you will lose all ..." or a count of people who stayed.
- Confirmation: in a statement (not a question, not a condition), what is done (`confirm_subject`:
  "subscription", "order"; or `confirm_agent`: "you", "we") next to a word saying it is done
  (`confirm_act`, `confirm_done`, `confirm_received`, `confirm_scheduled`), not negated.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from auditor.classify import UNSPACED, Vocabulary

Span = tuple[int, int]

# Typographic quotes and spaces as plain ones, one character for one, so spans stay those of the original.
_PLAIN = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "ʼ": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "\u00a0": " ",
        "\u202f": " ",
    }
)
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]…\"]|\s[-–—]+\s|[–—]|[、。，．！？：；（）「」『』【】]")
# Japanese and Chinese end a sentence with a full-width stop, "!" or "?" and no space after it
_SENTENCE_BREAK = re.compile(r"(?:(?<=[!?;…])|(?<=[^\d\s][.]))\s+|(?<=[。！？])\s*|\n+|\s+[•·|]\s+")
# A word of a spaced script; in a script written without spaces, a run of one kind of letter (kanji,
# hiragana, katakana, ...) stands for a word: "解約|が|完了|しました" (no dictionary, but a fair count of gaps).
_WORD = re.compile(
    rf"[^\W{UNSPACED}]+(?:['-][^\W{UNSPACED}]+)*|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+"
    rf"|[\u3040-\u309f]+|[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]+|[{UNSPACED}]"
)
_NUMBER = re.compile(r"(?<![\w.,])\d[\d.,\u202f ]*(?:k\b|\+)?")
NEAR = 6  # words between what is done and the word saying it is done (German puts the verb last)


@dataclass(frozen=True)
class Found:
    """Why a text was recognised: `signal` is "phrase" (a pack phrase list) or "structure" (the grammar);
    `phrase` is the words that carried it, as written."""

    signal: str
    phrase: str


def _plain(text: str) -> str:
    return text.translate(_PLAIN)


def _overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def _spans(vocab: Vocabulary, category: str, text: str, *, besides: Iterable[Span] = ()) -> list[Span]:
    """Where a category's phrases occur, leaving out any that overlap `besides` (a "not" inside "don't mind",
    a "processed" inside "will be processed" belongs to the longer phrase)."""
    taken = list(besides)
    return [s for s in vocab.spans(category, text) if not _overlaps(s, taken)]


# ---- shaming ----
def read_shaming(label: str, vocab: Vocabulary) -> Found | None:
    """Whether a decline or exit option (a button's or link's label, or a confirm() offering to leave) is
    worded as a first-person statement that belittles the user or their choice. A pack's `shame` phrase is
    one signal; the grammar is the other: a speaker (first person, a decline opener at the start or a
    `rhetoric` question), then a clause whose value turns out bad for the user (see `_harm`), a good named
    alone right after the opener, or a value named alone then judged by the next clause (`_named_alone`).
    Statements of intent or a neutral reason ("I'd like to cancel", "I no longer need it") value nothing, so
    they never fire."""
    text = _plain(label)
    phrase = vocab.find("shame", text)
    if phrase:
        return Found("phrase", phrase)
    opened = _opener_end(vocab, text)
    if not opened and not vocab.spans("first_person", text) and not vocab.spans("rhetoric", text):
        return None
    excused = bool(vocab.spans("lapse", text) or vocab.spans("acknowledge", text))  # "I understand, that I ..."
    pieces = [p for p in _CLAUSE_BREAK.split(text[opened:]) if p.strip()]
    for n, piece in enumerate(pieces):
        harm = _harm(vocab, piece, excused=excused)
        if not harm and n and _named_alone(vocab, pieces[n - 1]) and _stance(vocab, piece):
            harm = _harm(vocab, f"{pieces[n - 1].strip()} {piece.strip()}", excused=excused)
        if not harm and n == 0 and opened and not excused:
            harm = _named_alone(vocab, piece, kinds=("perk",))
        if harm:
            return Found("structure", harm)
    return None


VALUES = ("plight", "worse", "perk", "benefit")  # what a clause values, beside a `shame_cue` (harm enough alone)


def _opener_end(vocab: Vocabulary, text: str) -> int:
    """Where a decline opener ("No thanks", "Nein danke", "Non merci") that starts the label ends; 0 if none.
    An opener only counts first: a "no" further on is a negation."""
    for start, end in vocab.spans("decline_opener", text):
        if not re.search(r"\w", text[:start]):
            return 0 if _negates_clause(vocab, text, (start, end)) else end
    return 0


def _negates_clause(vocab: Vocabulary, text: str, opener: Span) -> bool:
    """Whether an opener is a `leading_negation` run straight into the next word: Italian "Non voglio
    risparmiare" says "I don't want to save", where French's opener "Non" would have taken the "not"."""
    return opener in vocab.spans("leading_negation", text) and bool(re.match(r"\s+\w", text[opener[1] :]))


def _named_alone(vocab: Vocabulary, clause: str, *, kinds: tuple[str, ...] = VALUES) -> str | None:
    """The value (of `kinds`) a clause names with no stance of its own, or None: "free shipping", "10 %
    Rabatt", "la livraison offerte". Right after a decline opener the opener is its stance, if the value is
    the offer's own `perk` ("No thanks, 10% off" refuses the discount by restating it; "No thanks, free plan"
    picks the other plan); before a clause that has a stance and names nothing, it is that clause's topic
    ("Le fun, très peu pour moi"). A clause with a verb or a speaker of its own ("No, my order already has
    free shipping"), a negation or a keep word ("No, keep my deals") says more than the value, so it is not
    one: at most two words (numbers aside) besides the value, none of them "I"."""
    values = [s for kind in kinds for s in vocab.spans(kind, clause)]
    said = ("persist", "negation", "first_person")  # the clause says more: "kostenloser Versand reicht mir"
    if not values or _stance(vocab, clause) or any(vocab.spans(category, clause) for category in said):
        return None
    if _other_words(clause, values) > 2 or vocab.intent(clause) == "keep":
        return None
    return clause.strip()


def _other_words(clause: str, said: list[Span]) -> int:
    """How many words (numbers aside) of a clause lie outside the spans already accounted for."""
    return sum(not m.group().isdigit() and not _overlaps(m.span(), said) for m in _WORD.finditer(clause))


def _stance(vocab: Vocabulary, clause: str) -> bool:
    """Whether a clause takes a stance on whatever it is about: an `attitude`, `indifference` or a turn."""
    return bool(vocab.spans("attitude", clause) or vocab.spans("indifference", clause) or _turns(vocab, clause))


TURNS = ("loss", "forgo", "brush_off", "remedy")  # what turns a value around, each within its reach (_turning)


def _turns(vocab: Vocabulary, clause: str, *, besides: Iterable[Span] = ()) -> list[tuple[Span, str]]:
    """The words in a clause that may turn a value around, with their category. A turn inside a longer one
    belongs to it: the "without" of "I'll do without" or Danish "klarer mig uden" is no second turn (two
    would turn the good back)."""
    found = [(s, kind) for kind in TURNS for s in _spans(vocab, kind, clause, besides=besides)]
    return sorted((s, k) for s, k in found if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o, _ in found))


def _turning(vocab: Vocabulary, clause: str, turn: tuple[Span, str], value: tuple[Span, str]) -> bool:
    """Whether a turn reaches the value read: a `loss` ("skip", "hate") any value; `forgo` ("without") the
    value right after it ("cancel without fees" forgoes no good); `brush_off` ("another day") one in a clause
    that says little else ("I'll save another day", not "remind me about the deal another day"); a `remedy`
    ("help with", "get rid of") a bad value only ("help me save" remedies nothing)."""
    (span, kind), (at, valued) = turn, value
    if kind == "forgo":
        return span[1] <= at[0] and _Words(clause).gap(span, at) <= 2
    if kind == "brush_off":
        said = [at, span] + vocab.spans("first_person", clause) + vocab.spans("attitude", clause)
        return _other_words(clause, said) <= 2
    return kind != "remedy" or valued != "benefit"


def _harm(vocab: Vocabulary, clause: str, *, excused: bool) -> str | None:
    """The words of one clause that value something bad for the speaker, or None.

    Values: a `shame_cue` counts alone (it describes the user: "uninformed", "cold-blooded", "pay more"); a
    `benefit` or a `worse` option counts only when the clause takes a stance on it (an `attitude`: want, like,
    prefer; `indifference`; or a word that turns it, see `_turning`: lose, without, another day), and a
    `plight` ("tired") also when it is kept (`persist`: "I'll keep feeling tired"); unlicensed, they are a
    plain reason ("I'm tired of ads"). The value read is the first `worse` one, else the first: in "j'aime
    apprendre les soldes en dernier" the good is had the worse way. Its sign (benefit +, others -) is turned
    by each turn that reaches it and by a `negation`: a clause ending negative, or shrugging at any value, is
    a harm the speaker accepts. When the label is `excused` (a `lapse`: "no longer"; an `acknowledge`: "I
    understand"), a refused good is a neutral reason."""
    cues = [(s, -1, "alone") for s in vocab.spans("shame_cue", clause)]
    for category in VALUES:
        sign, kind = (1, "benefit") if category in ("benefit", "perk") else (-1, category)
        cues += [(s, sign, kind) for s in _spans(vocab, category, clause, besides=[c[0] for c in cues])]
    if not cues:
        return None
    values = [s for s, _, _ in cues]
    shrugs = vocab.spans("indifference", clause)
    attitudes = _spans(vocab, "attitude", clause, besides=shrugs)
    turns = _turns(vocab, clause, besides=values + shrugs)
    said = values + attitudes + [s for s, _ in turns] + shrugs
    negated = bool(_spans(vocab, "negation", clause, besides=said))
    stance = bool(attitudes or turns or shrugs)
    kept = stance or bool(vocab.spans("persist", clause))
    counted = sorted(c for c in cues if c[2] == "alone" or stance or (kept and c[2] == "plight"))
    if not counted:
        return None
    (start, end), sign, kind = next((c for c in counted if c[2] == "worse"), counted[0])
    reaching = [(s, k) for s, k in turns if _turning(vocab, clause, (s, k), ((start, end), kind))]
    remedied = any(k == "remedy" for _, k in reaching)  # "help to tidy up my mess" remedies it once
    sign *= (-1) ** (len([k for _, k in reaching if k != "remedy"]) + remedied + negated)
    if sign > 0 and not shrugs:
        return None
    if kind != "alone" and excused:
        return None
    before = vocab.spans("first_person", clause) + attitudes + [s for s, _ in reaching] + shrugs
    first = min([start] + [s[0] for s in before if s[0] < start])
    return clause[first:].strip()


# ---- guilt ----
def read_guilt(text: str, vocab: Vocabulary) -> Found | None:
    """Guilt copy on a screen: an emotional appeal (the `guilt` phrases: "we'd hate to see you go"); a
    warning that the user loses everything (`second_person`, a `loss` and a `totality` in one sentence:
    "you'll lose all your progress"); or a count of people who stayed (a number, a `crowd` noun, then a
    `stayed` phrase: "12,000 members stayed this week"), social proof aimed at the one leaving."""
    plain = _plain(text)
    phrase = vocab.find("guilt", plain)
    if phrase:
        return Found("phrase", phrase)
    for sentence in _sentences(plain):
        found = _all_lost(vocab, sentence) or _crowd_stayed(vocab, sentence)
        if found:
            return Found("structure", found)
    return None


def _all_lost(vocab: Vocabulary, sentence: str) -> str | None:
    parts = [vocab.spans(c, sentence) for c in ("second_person", "loss", "totality")]
    if not all(parts) or _question(sentence):
        return None
    return sentence.strip()


def _crowd_stayed(vocab: Vocabulary, sentence: str) -> str | None:
    words = _Words(sentence)
    for number in _NUMBER.finditer(sentence):
        for crowd in vocab.spans("crowd", sentence):
            if crowd[0] < number.start() or words.gap(number.span(), crowd) > 2:
                continue
            for stayed in vocab.spans("stayed", sentence):
                if stayed[0] > crowd[0] and words.gap(crowd, stayed) <= 5:
                    return sentence[number.start() : stayed[1]]
    return None


# ---- confirmation ----
def read_confirmation(text: str, vocab: Vocabulary) -> Found | None:
    """Whether a screen's or a dialog's text says a cancellation, unsubscription, order or sign-up went
    through. Sentence by sentence, leaving out questions and conditions ("If you cancel, your plan will
    end"): a pack's `confirmation` phrase, else the grammar of `_done`. A receipt ("we received your
    request") counts unless the text says the request is still to be handled (`pending`: "will be processed
    within 5 days"), and a scheduled end ("your membership ends on 3 May") unless the screen still asks
    (`doubt`: "Are you sure?") or the sentence names a price (a trial's end before its first charge)."""
    plain = _plain(text)
    context = {"pending": bool(vocab.spans("pending", plain)), "doubt": bool(vocab.spans("doubt", plain))}
    for sentence in _sentences(plain):
        if _question(sentence):
            sentence = sentence[: _question_start(sentence)]
        if _conditional(vocab, sentence):
            continue
        phrase = vocab.find("confirmation", sentence)
        if phrase:
            return Found("phrase", phrase)
        done = _done(vocab, sentence, **context)
        if done:
            return Found("structure", done)
    return None


def _conditional(vocab: Vocabulary, sentence: str) -> bool:
    """Whether a sentence states a condition. A condition word inside a longer phrase saying it is done is
    part of that phrase: Italian "non si rinnoverà" (it will not renew) holds Spanish's "si" (if)."""
    done = [s for kind in ("confirmation", "confirm_act", "confirm_scheduled") for s in vocab.spans(kind, sentence)]
    return bool(_spans(vocab, "condition", sentence, besides=done))


def _done(vocab: Vocabulary, sentence: str, *, pending: bool, doubt: bool) -> str | None:
    """In one statement: what is done near a word saying it is done, not negated. An act ("cancelled",
    "unsubscribed", "placed") takes a subject noun or an agent ("you", "we"); a state word ("complete",
    "successful") a subject noun or an act beside it ("successfully unsubscribed"); an act after a `future`
    marker ("will be cancelled") is a scheduled end. A `confirm_thanks` ("thank you for") right before a
    subject noun ("your order") confirms it too."""
    words = _Words(sentence)
    deferred = vocab.spans("pending", sentence)
    kinds = ("confirm_act", "confirm_done", "confirm_received", "confirm_scheduled")
    marks: list[tuple[Span, str]] = []
    for kind in kinds:
        marks += [(s, kind) for s in _spans(vocab, kind, sentence, besides=deferred + [m for m, _ in marks])]
    said = [m for m, _ in marks]
    subjects = _spans(vocab, "confirm_subject", sentence, besides=said)
    agents = _spans(vocab, "confirm_agent", sentence, besides=said)
    negations = _spans(vocab, "negation", sentence, besides=said)
    futures = _spans(vocab, "future", sentence, besides=said)
    priced = bool(vocab.spans("price", sentence) or vocab.spans("cadence", sentence))
    for thanks in vocab.spans("confirm_thanks", sentence):
        for subject in subjects:
            if subject[0] >= thanks[1] and words.gap(thanks, subject) <= 2:
                return sentence[thanks[0] : subject[1]]
    for span, kind in sorted(marks):
        if any(0 <= words.gap(n, span) <= 3 and n[0] < span[0] for n in negations):
            continue
        if kind in ("confirm_act", "confirm_done") and any(f[0] < span[0] for f in futures):
            kind = "confirm_scheduled"
        if (kind == "confirm_received" and pending) or (kind == "confirm_scheduled" and (doubt or priced)):
            continue
        who = subjects + (agents if kind in ("confirm_act", "confirm_scheduled") else [])
        near = [s for s in who if words.gap(s, span) <= NEAR]
        if kind == "confirm_done":
            near += [m for m, k in marks if m != span and k == "confirm_act" and words.gap(m, span) <= 1]
        if near:
            start = min(s[0] for s in near + [span])
            return sentence[start : max(s[1] for s in near + [span])]
    return None


# ---- text ----
def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_BREAK.split(text) if s.strip()]


def _question(sentence: str) -> bool:
    return sentence.rstrip().endswith(("?", "？"))


def _question_start(sentence: str) -> int:
    """Where the question that ends a sentence starts: at a Spanish "¿", else at its last capital that
    follows a lower-case word with no stop between: a page's text joins a heading and the question after
    it ("Subscription cancelled Changed your mind?"), and the heading is no part of the question."""
    asked = sentence.rfind("¿")
    if asked >= 0:
        return asked
    starts = [m.start(1) for m in re.finditer(r"[a-zà-ÿąćęłńśźż0-9)] +([A-ZÀ-ÞĄĆĘŁŃŚŹŻ])", sentence)]
    return starts[-1] if starts else 0


class _Words:
    """The words of a text, to measure how many stand between two spans."""

    def __init__(self, text: str) -> None:
        self.starts = [m.start() for m in _WORD.finditer(text)]

    def index(self, at: int) -> int:
        return max(bisect_right(self.starts, at) - 1, 0)

    def gap(self, a: Span, b: Span) -> int:
        """Words strictly between a and b (0 when adjacent or overlapping), whichever comes first."""
        a0, a1 = self.index(a[0]), self.index(max(a[1] - 1, a[0]))
        b0, b1 = self.index(b[0]), self.index(max(b[1] - 1, b[0]))
        return max(0, b0 - a1 - 1, a0 - b1 - 1)

"""The language a page is written in: by its words (lingua), with the page's own `lang` attribute as a hint.

A screen's language decides which language's phrases speak first when a label means different things in
different languages (classify.Vocabulary.intent); it is recorded per screen in graph.json and the report.
The detector knows only the languages the packs are written in, in lingua's low-accuracy mode (its trigram
models, loaded once): about 20 MB and a few milliseconds per page, instead of about 300 MB for all its
models. Trigrams tell a language only from a text of some length (lingua: about 100 to 120 characters), so a shorter
text (a bare sign-in page) takes the attribute's word, or none; on a longer one, an attribute the words
clearly contradict (a template's `lang="en"` on a German page) gives way to the words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from auditor.classify import UNSPACED

LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "ja")
RELIABLE = 100  # characters from which trigrams tell a language; a kanji or kana, about a word, counts as four
_UNSPACED = re.compile(f"[{UNSPACED}]")
AGREES = 0.5  # the attribute's language stands when the words give it at least half the top one's confidence


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    """The detector, built once with its models loaded (about half a second and 20 MB)."""
    known = [lang for lang in Language.all() if lang.iso_code_639_1.name.lower() in LANGUAGES]
    return (
        LanguageDetectorBuilder.from_languages(*known).with_low_accuracy_mode().with_preloaded_language_models().build()
    )


def primary(tag: str) -> str:
    """A language tag's primary subtag, lower-cased: "de-AT" -> "de", "" -> ""."""
    return tag.strip().lower().replace("_", "-").split("-")[0]


def page_language(text: str, hint: str = "") -> str:
    """The ISO 639-1 code of the language `text` is written in, "" when neither the words nor `hint` (the
    page's `lang` attribute) tell. An attribute naming a language the detector does not know ("fi") is taken
    as it is: no words of it would be matched first anyway, and the detector would only pick its nearest."""
    said = primary(hint)
    if said and said not in LANGUAGES:
        return said if said.isalpha() else ""
    if len(" ".join(text.split())) + 3 * len(_UNSPACED.findall(text)) < RELIABLE:
        return said
    confidence = {
        value.language.iso_code_639_1.name.lower(): value.value
        for value in detector().compute_language_confidence_values(text)
    }
    if not confidence:
        return said
    top = max(confidence, key=lambda code: confidence[code])
    if said and confidence.get(said, 0.0) >= AGREES * confidence[top]:
        return said
    return top

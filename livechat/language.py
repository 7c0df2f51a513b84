"""Is a question clearly not English? Answered offline by py3langid (its model ships with it).

The rule was measured on real questions, and the test set in
livechat/tests/test_language.py keeps it honest: text under three words is let through
(too short to tell), and a text counts as foreign only when English is not the top guess
and its probability is tiny. Every mistake measured was English taken for something else,
so doubt always favours English.
"""

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from tickets.languages import LANGUAGES_BY_CODE

MIN_WORDS = 3
ENGLISH_AT_MOST = 0.05


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # Only the languages a ticket can be filed in: fewer candidates, fewer wild guesses.
    identifier.set_languages(list(LANGUAGES_BY_CODE))
    return identifier


def foreign_language(text: str) -> str | None:
    """Answer the language code of a text that is clearly not English, else None."""
    if len(text.split()) < MIN_WORDS:
        return None
    ranking = dict(_identifier().rank(text))
    top = max(ranking, key=ranking.get)
    if top == "en" or ranking["en"] >= ENGLISH_AT_MOST:
        return None
    return top

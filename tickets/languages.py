"""The languages a ticket may be written in, each named in its own tongue.

The own-tongue name is the prefix of a ticket's title ("Polski - Nie można przetworzyć
zamówienia", as the member guide asks); the English name is recognised too, so that a summary
typed as "Polish - ..." is not prefixed twice. The live chat offers a ticket in the language it
detects, so the codes are those of the language detector (ISO 639-1).
"""

from typing import NamedTuple


class TicketLanguage(NamedTuple):
    code: str
    own_name: str
    english_name: str


TICKET_LANGUAGES = [
    TicketLanguage("en", "English", "English"),
    TicketLanguage("pl", "Polski", "Polish"),
    TicketLanguage("de", "Deutsch", "German"),
    TicketLanguage("es", "Español", "Spanish"),
    TicketLanguage("fr", "Français", "French"),
    TicketLanguage("it", "Italiano", "Italian"),
    TicketLanguage("pt", "Português", "Portuguese"),
    TicketLanguage("nl", "Nederlands", "Dutch"),
    TicketLanguage("cs", "Čeština", "Czech"),
    TicketLanguage("sk", "Slovenčina", "Slovak"),
    TicketLanguage("hu", "Magyar", "Hungarian"),
    TicketLanguage("ro", "Română", "Romanian"),
    TicketLanguage("uk", "Українська", "Ukrainian"),
    TicketLanguage("ru", "Русский", "Russian"),
    TicketLanguage("lt", "Lietuvių", "Lithuanian"),
    TicketLanguage("sv", "Svenska", "Swedish"),
]
LANGUAGE_CHOICES = [(language.code, language.own_name) for language in TICKET_LANGUAGES]
LANGUAGES_BY_CODE = {language.code: language for language in TICKET_LANGUAGES}

# "Polski - ...", "polish: ...", "DEUTSCH: ...": a language's own or English name, then a dash
# or a colon. Longest names first, so that no name stops the match at a shorter one.
_NAMES = sorted(
    (
        (name.casefold(), language.code)
        for language in TICKET_LANGUAGES
        for name in {language.own_name, language.english_name}
    ),
    key=lambda pair: -len(pair[0]),
)
_SEPARATORS = "-–—:"


def split_language(summary: str) -> tuple[str | None, str]:
    """Split a summary into the language it names first and the rest: ("pl", "Nie można
    ...") for "Polski - Nie można ...", (None, summary) when it names none. A summary that is
    a language's name alone gives that language and an empty rest."""
    text = summary.strip()
    folded = text.casefold()
    for name, code in _NAMES:
        if not folded.startswith(name):
            continue
        rest = text[len(name) :].lstrip()
        if not rest:
            return code, ""
        if rest[0] in _SEPARATORS:
            return code, rest[1:].strip()
    return None, text

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

"""A chat's system lines, stored as what happened and rendered in each reader's language.

A system message keeps its event's code and parameters (`Message.event`, `Message.params`);
its `body` holds the English rendering, for search and for clients that predate events.
Every place that shows a message (the member's page, the console, the admin's transcripts,
e-mails) renders it with `render`, in the language of whoever reads it.

Add a kind of event with `register` (code, text with %(name)s fields, optional link).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import get_supported_language_variant, override
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header


@dataclass(frozen=True)
class Event:
    text: Promise  # lazily translated, with the event's params as %(name)s fields
    link: Callable[[dict], str] | None = None  # where the line points the member, if anywhere


EVENTS: dict[str, Event] = {}


def register(code: str, text: Promise, link: Callable[[dict], str] | None = None) -> None:
    """Make `code` a kind of system event, shown as `text` filled with its params."""
    EVENTS[code] = Event(text, link)


def _ticket_link(params: dict) -> str:
    try:
        return reverse("tickets:detail", args=[params["reference"]])
    except (KeyError, NoReverseMatch):
        return ""


JOINED = "joined"
ENDED = "ended"
CONVERTED = "converted"
TRANSFERRED = "transferred"

register(JOINED, _("%(agent)s joined the chat."))
register(ENDED, _("%(by)s ended the chat."))
register(TRANSFERRED, _("%(agent)s took over the chat."))
register(
    CONVERTED,
    _("This chat is now ticket %(reference)s. Follow it under My Technical Issues."),
    link=_ticket_link,
)


class _Erased(dict):
    """An event's parameters, with an ellipsis for any that are gone (an erased member's
    name): "… ended the chat." rather than a failed transcript."""

    def __missing__(self, key):
        return "…"


def render_event(code: str, params: dict, language: str) -> str:
    """The line of an event in `language`; an unknown code shows as the code itself."""
    event = EVENTS.get(code)
    if event is None:
        return code
    with override(language):
        try:
            return str(event.text) % _Erased(params)
        except (TypeError, ValueError):
            return code


def render(message, language: str) -> str:
    """What a message says to a reader of `language`: an event rendered, else its body."""
    if not message.event:
        return message.body
    return render_event(message.event, message.params, language)


def lines(messages, language: str) -> list[dict]:
    """A transcript's lines for a reader of `language`: each message, what it says, and
    where it points (a page, an e-mail)."""
    return [
        {"message": m, "text": render(m, language), "link": link(m.event, m.params)}
        for m in messages
    ]


def link(code: str, params: dict) -> str:
    event = EVENTS.get(code)
    return event.link(params) if event is not None and event.link else ""


def english(code: str, params: dict) -> str:
    """The stored `body` of an event's message."""
    return render_event(code, params, "en")


def localise(frame: dict, language: str) -> dict:
    """A `message` frame as one socket's reader sees it: an event's body in their language.
    Frames of ordinary messages pass unchanged (and uncopied: the hot path)."""
    code = frame.get("event")
    if not code:
        return frame
    return {**frame, "body": render_event(code, frame["params"], language)}


def reader_language(scope: dict, *, fallback: str = "") -> str:
    """The language a WebSocket's reader reads the site in, as LocaleMiddleware and the
    portal's MemberLanguageMiddleware would choose it for their pages: the language
    cookie, the member's preferred language, `fallback`, the browser's Accept-Language.
    Call in the database thread (it may read the member's profile)."""
    user = scope.get("user")
    profile = getattr(user, "profile", None) if getattr(user, "is_authenticated", False) else None
    headers = dict(scope.get("headers", ()))
    accepted = parse_accept_lang_header(headers.get(b"accept-language", b"").decode("latin-1"))
    candidates = [
        scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME),
        getattr(profile, "preferred_language", None),
        fallback,
        *(code for code, _quality in accepted),
    ]
    for candidate in candidates:
        if candidate and candidate != "*":
            try:
                return get_supported_language_variant(candidate)
            except LookupError:
                continue
    return settings.LANGUAGE_CODE

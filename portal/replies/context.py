"""What a canned reply's placeholders stand for, in a chat or on a ticket."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from livechat.models import Chat
from livechat.services import agent_name
from portal.replies.models import CannedReply
from portal.replies.rendering import fill, pick_body
from tickets.models import Ticket


@dataclass(frozen=True)
class ReplyContext:
    """The member a reply is for: the languages to try, most likely first, and the
    placeholders' values."""

    languages: tuple[str, ...] = ()
    values: dict[str, str] = field(default_factory=dict)

    def render(self, reply: CannedReply) -> tuple[str, str]:
        """Answer the reply's language and text for this member."""
        language, body = pick_body(reply.bodies, self.languages)
        return language, fill(body, self.values)


def ticket_form_url(language: str, description: str = "") -> str:
    """The ticket form's address, prefilled (the form reads ?language=&description=)."""
    query = {"language": language or "en", **({"description": description} if description else {})}
    return f"{settings.PORTAL_URL}{reverse('tickets:new')}?{urlencode(query)}"


def for_chat(chat: Chat, agent) -> ReplyContext:
    profile_language = _preferred_language(chat.user)
    languages = tuple(code for code in (chat.language, profile_language) if code)
    first_name = (chat.user and chat.user.first_name) or chat.name.split()[0]
    values = {
        "first_name": first_name,
        "agent": agent_name(agent),
        "ticket_form": ticket_form_url(languages[0] if languages else "en", chat.question),
    }
    return ReplyContext(languages, values)


def for_ticket(ticket: Ticket, agent) -> ReplyContext:
    member = ticket.member
    languages = tuple(code for code in (ticket.language, _preferred_language(member)) if code)
    values = {
        "first_name": member.first_name or member.get_username(),
        "ticket": ticket.reference,
        "agent": agent_name(agent),
        "ticket_form": ticket_form_url(ticket.language),
    }
    return ReplyContext(languages, values)


def for_agent(agent) -> ReplyContext:
    return ReplyContext((), {"agent": agent_name(agent), "ticket_form": ticket_form_url("en")})


def _preferred_language(user) -> str:
    profile = getattr(user, "profile", None) if user is not None else None
    return profile.preferred_language if profile is not None else ""

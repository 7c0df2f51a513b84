"""The frames the server sends that are not one message (see docs/protocol.md): plain
dicts from values already read, so one read can serve every socket that needs them."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from livechat.models import Chat
from livechat.services import convert_refusal


def state(state: str, position: int | None, agent: str | None, wait: int | None) -> dict:
    """The `state` frame: where the chat is, and the wait estimate as `wait_seconds`."""
    return {
        "type": "state",
        "state": state,
        "position": position,
        "agent": agent,
        "wait_seconds": wait,
    }


def queue(waiting) -> dict:
    """The console's `queue` frame, from the waiting chats in order."""
    return {
        "type": "queue",
        "waiting": [
            {
                "chat": str(chat.id),
                "name": chat.name,
                "question": chat.question,
                "waiting_since": chat.created.isoformat(),
            }
            for chat in waiting
        ],
    }


def error(code: str, message) -> dict:
    return {"type": "error", "code": code, "message": str(message)}


TICKET_REPLY = _(
    "This chat is in English only. Please submit a tech issue in your own language: choose "
    "“Technical Issues”, then “Submit a new tech issue”. Our team will answer you there."
)


def ticket_reply(chat: Chat) -> str:
    """The one-click "please file a ticket" reply: in English, then in the member's
    language when the portal speaks it."""
    with override("en"):
        english = str(TICKET_REPLY)
    if chat.language == "en" or chat.language not in dict(settings.LANGUAGES):
        return english
    with override(chat.language):
        return f"{english}\n\n{TICKET_REPLY}"


def chat_card(chat: Chat) -> dict:
    """What the console shows of one of its agent's chats (the `accepted` frame's fields,
    and the cards the console page renders with)."""
    return {
        "chat": str(chat.id),
        "name": chat.name,
        "email": chat.email,
        "member_id": chat.member_id,
        "question": chat.question,
        "ticket_reply": ticket_reply(chat),
        "convert_url": reverse("livechat:convert", args=[chat.id]),
        "convert_refusal": convert_refusal(chat),
    }

"""The frames the server sends that are not one message (see docs/protocol.md): plain
dicts from values already read, so one read can serve every socket that needs them."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse

from livechat.cards import member_context
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


def queue(waiting, revision: int) -> dict:
    """The console's `queue` frame: the waiting chats in order, as of `revision` (it may
    hold later changes too: a console applies the deltas after it all the same)."""
    return {"type": "queue", "revision": revision, "waiting": [queue_item(c) for c in waiting]}


def queue_item(chat: Chat) -> dict:
    """One waiting chat as the console's queue lists it."""
    return {
        "chat": str(chat.id),
        "name": chat.name,
        "question": chat.question,
        "waiting_since": chat.created.isoformat(),
    }


def queue_change(revision: int, *, left=(), joined=()) -> dict:
    """The console's `queue_change` frame: what one change of the queue did (chat ids that
    left it, items that joined it), instead of the whole queue to every console."""
    return {
        "type": "queue_change",
        "revision": revision,
        "left": [str(chat_id) for chat_id in left],
        "joined": [queue_item(chat) for chat in joined],
    }


def agents(available: list[tuple[int, str]]) -> dict:
    """The consoles' `agents` frame: who is online and available, to hand a chat to."""
    return {"type": "agents", "agents": [{"id": pk, "name": name} for pk, name in available]}


def status(*, away: bool, alerts: bool, holding: int, capacity: int) -> dict:
    """One agent's `status` frame, to all of their consoles."""
    return {
        "type": "status",
        "away": away,
        "alerts": alerts,
        "holding": holding,
        "capacity": capacity,
    }


def error(code: str, message) -> dict:
    return {"type": "error", "code": code, "message": str(message)}


def chat_cards(chats: list[Chat], now: datetime) -> list[dict]:
    """What the console shows of its agent's chats (the `accepted` frame's fields, and the
    cards the console page renders with): the chat, who its member is, what can be done.
    A fixed number of queries however many chats (the chats come with `user__profile`)."""
    members = member_context(chats)
    return [{**_card(chat, now), **members[str(chat.pk)]} for chat in chats]


def chat_card(chat: Chat, now: datetime) -> dict:
    return chat_cards([chat], now)[0]


def _card(chat: Chat, now: datetime) -> dict:
    convertible = chat.ticket_id is None and chat.state in (Chat.State.ACTIVE, Chat.State.ENDED)
    return {
        "chat": str(chat.id),
        "name": chat.name,
        "email": chat.email,
        "question": chat.question,
        "canned_replies_url": f"{reverse('replies:list')}?chat={chat.id}",
        "convert_url": reverse("livechat:convert", args=[chat.id]),
        "convert_refusal": convert_refusal(chat),
        # Until when the chat's agent may still make it a ticket (null: not after the end).
        "convert_until": _convert_until(chat, now) if convertible else None,
        "ended": chat.state not in (Chat.State.WAITING, Chat.State.ACTIVE),
    }


def _convert_until(chat: Chat, now: datetime) -> str:
    ended = chat.ended_at or now
    return (ended + settings.LIVECHAT_CONVERT_WITHIN).isoformat()

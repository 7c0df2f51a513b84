"""The queue as people see it: positions, the wait estimate, and the frames that carry them."""

import math
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db.models import Avg, F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from livechat.models import AgentPresence, Chat
from livechat.services import agent_name, convert_refusal

CONSOLE_GROUP = "livechat.console"
WAITING_GROUP = "livechat.waiting"
CONSOLE_TICK = 15  # seconds between a console's heartbeats and abandon sweeps
# An agent counts as online until its console misses three heartbeats in a row: a late
# tick or two is not a departure.
ONLINE_WITHIN = timedelta(seconds=3 * CONSOLE_TICK)
RECENT_CHATS = 20
# Until enough chats have been handled, assume this handle time.
DEFAULT_HANDLE_TIME = timedelta(minutes=5)


# The session's chats by id, kept in the session's data: its key changes at sign-in.
OWN_CHATS = "livechat_chats"


def session_group(session_key: str) -> str:
    """The group of every socket of one browser session (closed when it signs out)."""
    return f"livechat.session.{session_key}"


def user_group(user_id: int) -> str:
    """The group of every socket of one signed-in user (told when the account changes, to
    check again whether it may stay open)."""
    return f"livechat.user.{user_id}"


def agent_seen(agent, now: datetime) -> None:
    AgentPresence.objects.update_or_create(agent=agent, defaults={"seen_at": now})


def agents_online(now: datetime) -> int:
    return AgentPresence.objects.filter(seen_at__gte=now - ONLINE_WITHIN).count()


def handle_time() -> timedelta:
    """The mean length of the recent conversations (from accept to end)."""
    recent = (
        Chat.objects.filter(state=Chat.State.ENDED, accepted_at__isnull=False)
        .order_by("-ended_at")
        .values_list("pk", flat=True)[:RECENT_CHATS]
    )
    mean = Chat.objects.filter(pk__in=list(recent)).aggregate(
        mean=Avg(F("ended_at") - F("accepted_at"))
    )["mean"]
    return mean or DEFAULT_HANDLE_TIME


def estimate_wait(position: int, now: datetime) -> int | None:
    """Seconds until an agent is likely to accept the chat at this position, or None when
    no agent is online."""
    return wait_estimator(now)(position)


def wait_estimator(now: datetime) -> Callable[[int], int | None]:
    """The wait estimate for any position, with the queue's figures read once. Each of the
    online agents' slots frees up once per handle time."""
    online = agents_online(now)
    if not online:
        return lambda position: None
    slots = online * settings.LIVECHAT_AGENT_CAPACITY
    free = max(slots - Chat.objects.filter(state=Chat.State.ACTIVE).count(), 0)
    handle = handle_time().total_seconds()

    def seconds(position: int) -> int:
        return 0 if position <= free else math.ceil((position - free) * handle / slots)

    return seconds


def state_frame(chat: Chat, now: datetime) -> dict:
    """The protocol's `state` frame, with the wait estimate as the extra `wait_seconds`."""
    position = chat.position(now)
    agent = agent_name(chat.agent) if chat.agent else None
    wait = estimate_wait(position, now) if position else None
    return _state(chat.state, position, agent, wait)


class QueueFrames(NamedTuple):
    console: dict  # the console's `queue` frame
    states: dict[str, dict]  # the `state` frame of every waiting chat, by chat id


def queue_frames(now: datetime) -> QueueFrames:
    """What a queue change tells the consoles and every waiting member, from one read of
    the queue and of the estimate's figures, not one by each waiting member's socket."""
    waiting = list(Chat.objects.waiting(now))
    wait = wait_estimator(now)
    states = {
        str(chat.id): _state(Chat.State.WAITING, position, None, wait(position))
        for position, chat in enumerate(waiting, start=1)
    }
    return QueueFrames(_queue(waiting), states)


def _state(state: str, position: int | None, agent: str | None, wait: int | None) -> dict:
    return {
        "type": "state",
        "state": state,
        "position": position,
        "agent": agent,
        "wait_seconds": wait,
    }


def queue_frame(now: datetime) -> dict:
    return _queue(Chat.objects.waiting(now))


def _queue(waiting) -> dict:
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
    """What the console shows of one of its agent's chats."""
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

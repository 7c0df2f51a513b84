"""Tell the connected sockets what a write changed. The database already holds it: the
channel layer only carries notifications, and may drop them (FIELD-NOTES), which clients
survive by asking for what they missed."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from livechat.queue import (
    CONSOLE_GROUP,
    WAITING_GROUP,
    queue_frames,
    state_frame,
)
from livechat.services import Update


def broadcasts(update: Update) -> list[tuple[str, dict]]:
    """The group events that tell everyone concerned about an update, in order: new
    messages, then the chat's state, then the queue. Reads the database: call it after
    the update committed."""
    now = timezone.now()
    chat = update.chat
    events = [
        (chat.group, {"type": "chat.message", "frame": m.to_frame()}) for m in update.messages
    ]
    # The queue is read first: a chat still waiting finds its own state frame in it.
    queue = queue_frames(now) if update.queue_changed else None
    if update.state_changed:
        frame = queue.states.get(str(chat.id)) if queue is not None else None
        if frame is None:
            frame = state_frame(chat, now)
        events.append((chat.group, {"type": "chat.state", "frame": frame}))
    if queue is not None:
        events.append((CONSOLE_GROUP, {"type": "queue.frame", "frame": queue.console}))
        events.append((WAITING_GROUP, {"type": "queue.moved", "states": queue.states}))
    return events


async def send(events: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    for group, event in events:
        await layer.group_send(group, event)


def publish(update: Update) -> None:
    """Broadcast an update from synchronous code (views)."""
    async_to_sync(send)(broadcasts(update))

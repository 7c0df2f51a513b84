"""Tell the connected sockets what a write changed. The database already holds it: the
channel layer only carries notifications, and may drop them (a full in-memory channel,
Redis restarting), which clients survive by asking for what they missed (docs/protocol.md,
"hello")."""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from livechat import frames
from livechat.groups import CONSOLE_GROUP, WAITING_GROUP, consoles_group
from livechat.models import Chat, QueueRevision
from livechat.services import Update
from livechat.waiting import agents_frame, queue_states, state_frame


def broadcasts(update: Update) -> list[tuple[str, dict]]:
    """The group events that tell everyone concerned about an update, in order: new
    messages, then the chat's state, then the queue. Reads the database: call it after
    the update committed."""
    now = timezone.now()
    chat = update.chat
    events = [
        (chat.group, {"type": "chat.message", "frame": m.to_frame()}) for m in update.messages
    ]
    # The queue's order is read first: a chat still waiting finds its own state frame in it.
    states = queue_states(now) if update.queue_changed else None
    if update.state_changed:
        frame = states.get(str(chat.id)) if states is not None else None
        if frame is None:
            frame = state_frame(chat, now)
        events.append((chat.group, {"type": "chat.state", "frame": frame}))
    if update.state_changed and chat.agent_id is not None:
        # The agent's chats held changed (accepted, ended, taken over): their consoles
        # say so, and whether Accept is still open to them.
        events.append((consoles_group(chat.agent_id), {"type": "console.status"}))
    if states is not None:
        events.append(to_consoles(queue_change(update)))
        events.append((WAITING_GROUP, {"type": "queue.moved", "states": states}))
    return events


def queue_change(update: Update) -> dict:
    """The consoles' delta for an update that changed the queue: its chat joined (still
    waiting) or left it. An update made without a revision (a test's) takes the current
    one: a console that sees a gap asks for the whole queue."""
    revision = update.revision or QueueRevision.current()
    if update.chat.state == Chat.State.WAITING:
        return frames.queue_change(revision, joined=[update.chat])
    return frames.queue_change(revision, left=[update.chat.pk])


def presence_events() -> list[tuple[str, dict]]:
    """The events that give every waiting member a fresh estimate after the agents online
    changed (a console opened, the last one of an agent closed or timed out, an agent went
    away or came back). Reads the database."""
    now = timezone.now()
    states = queue_states(now)
    waiting = [(WAITING_GROUP, {"type": "queue.moved", "states": states})] if states else []
    # The consoles' list of agents a chat can be handed to changed with it.
    return [*waiting, to_consoles(agents_frame(now))]


def to_consoles(frame: dict) -> tuple[str, dict]:
    """A frame for every console, serialised once here, not once by each console."""
    return CONSOLE_GROUP, {"type": "queue.frame", "frame": frame, "text": json.dumps(frame)}


async def send(events: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    for group, event in events:
        await layer.group_send(group, event)


def publish(update: Update) -> None:
    """Broadcast an update from synchronous code (views, commands)."""
    async_to_sync(send)(broadcasts(update))


def presence_changed() -> None:
    """Call after changing who is available (from synchronous code: a view, a command, or
    inside database_sync_to_async): every waiting member gets a fresh `state` frame."""
    async_to_sync(send)(presence_events())

"""Tell the connected sockets what a write changed. The database already holds it: the
channel layer only carries notifications, and may drop them (a full in-memory channel,
Redis restarting), which clients survive by asking for what they missed (docs/protocol.md,
"hello")."""

import asyncio
import json
import weakref

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from livechat import frames
from livechat.groups import CONSOLE_GROUP, WAITING_GROUP, consoles_group
from livechat.models import Chat, QueueRevision
from livechat.services import Update
from livechat.waiting import agents_frame, queue_states, state_frame


def broadcasts_of(update) -> list[tuple[str, dict]]:
    """The broadcasts of an update, or of a list of them (read in the write's trip)."""
    updates = update if isinstance(update, list) else [update]
    return [event for one in updates for event in broadcasts(one)]


def broadcasts(update: Update, *, accepted=False) -> list[tuple[str, dict]]:
    """The group events that tell everyone concerned about an update, in order: new
    messages, then the chat's state, then the queue. Reads the database: call it after
    the update committed. For an accept on the console (`accepted`) it reads nothing, so
    the socket calls it on the server's loop: the consoles' delta is the caller's
    (`queue_change(update)`, sent with these), the chat's state and the agent's status are
    built from the decision, and the waiting members' states are read when `send` sends
    them, once for a burst of changes (WAITING_SOON)."""
    now = timezone.now()
    chat = update.chat
    events = [
        (chat.group, {"type": "chat.message", "frame": m.to_frame()}) for m in update.messages
    ]
    later = accepted and chat.state != Chat.State.WAITING
    # The queue's order is read first: a chat still waiting finds its own state frame in it.
    states = queue_states(now) if update.queue_changed and not later else None
    if update.state_changed:
        frame = states.get(str(chat.id)) if states is not None else None
        if frame is None:
            frame = state_frame(chat, now)
        events.append((chat.group, {"type": "chat.state", "frame": frame}))
    if update.state_changed and chat.agent_id is not None:
        # The agent's chats held changed (accepted, ended, taken over): their consoles
        # say so, and whether Accept is still open to them.
        events.append((consoles_group(chat.agent_id), _status_event(update)))
    if update.queue_changed:
        if not later:
            events.append(to_consoles(queue_change(update)))
        moved = {"type": "queue.moved", "states": states}
        events.append(WAITING_SOON if states is None else (WAITING_GROUP, moved))
    return events


def _status_event(update: Update) -> dict:
    """The agent's consoles' `status`: from the update when it knows the figures (an
    accept, made only by an available agent), else read by each console."""
    if update.held is None:
        return {"type": "console.status"}
    holding, alerts = update.held
    capacity = settings.LIVECHAT_AGENT_CAPACITY
    frame = frames.status(away=False, alerts=alerts, holding=holding, capacity=capacity)
    return {"type": "console.frame", "frame": frame}


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


# The waiting members' states, read and sent by `send` once for a burst of queue changes.
WAITING_SOON = (WAITING_GROUP, {"type": "queue.moved", "soon": True})
# Seconds a burst of queue changes (twenty agents accepting) has to settle before the
# waiting members hear where they are now: one read and one frame per member for the
# burst, not one per change (docs/protocol.md promises a `state` within 2 s).
SETTLE = 0.1


class _WaitingSoon:
    """One task per event loop that reads the waiting members' states after a change and
    sends them; changes meanwhile are folded into its next read."""

    def __init__(self):
        self.tasks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.dirty = False

    def moved(self) -> asyncio.Task:
        loop = asyncio.get_running_loop()
        self.dirty = True
        task = self.tasks.get(loop)
        if task is None or task.done():
            task = self.tasks[loop] = loop.create_task(self.tell())
        return task

    async def tell(self) -> None:
        while self.dirty:
            await asyncio.sleep(SETTLE)
            self.dirty = False  # a change from now on is read again after this read
            states = await database_sync_to_async(queue_states)(timezone.now())
            if states:
                event = {"type": "queue.moved", "states": states}
                await get_channel_layer().group_send(WAITING_GROUP, event)


_waiting_soon = _WaitingSoon()


async def send(events: list[tuple[str, dict]]) -> None:
    layer = get_channel_layer()
    for group, event in events:
        if event.get("soon"):
            _waiting_soon.moved()
        else:
            await layer.group_send(group, event)


def publish(update: Update) -> None:
    """Broadcast an update from synchronous code (views, commands)."""
    async_to_sync(send)(broadcasts(update))


def presence_changed() -> None:
    """Call after changing who is available (from synchronous code: a view, a command, or
    inside database_sync_to_async): every waiting member gets a fresh `state` frame."""
    async_to_sync(send)(presence_events())

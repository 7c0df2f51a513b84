"""The console's socket of docs/protocol.md, /ws/console/: the queue, live, for agents,
who accept chats here; the agent's own frames (Away, alerts, transfers) are the
ConsoleControls mixin's."""

import asyncio
import uuid
from collections import Counter

from channels.db import database_sync_to_async
from django.utils import timezone
from django.utils.translation import override

from livechat import console_controls, reader, services
from livechat.console_controls import ConsoleControls
from livechat.cursor import AcceptRace, LeftQueue
from livechat.errors import BadFrame
from livechat.events import reader_language
from livechat.frames import chat_card
from livechat.groups import CONSOLE_GROUP, consoles_group
from livechat.notify import broadcasts, broadcasts_of, presence_events, queue_change, to_consoles
from livechat.sockets import FORBIDDEN, ProtocolConsumer
from livechat.waiting import CONSOLE_TICK, agent_gone, agent_seen, queue_frame
from portal.access import is_agent

_left_queue = LeftQueue()
_accepts = AcceptRace(_left_queue)
# Accepts are decided on a thread of their own, with its connection kept: the losers
# waiting for a chat's accept hear as soon as it commits, not behind the other work of
# Channels' one database thread. A member's card is read there too (a visitor's needs no
# read).
_deciding = reader.KeptThread("livechat-accepts")
# This process's open consoles per agent: an agent with another console here stays online
# when one closes, without a trip to the database or the channel layer.
_consoles = Counter()


class ConsoleConsumer(ConsoleControls, ProtocolConsumer):
    """/ws/console/: the queue, live, for agents; they accept chats here. An agent counts
    as online (for the members' wait estimate) while one of their consoles is open."""

    handlers = {"accept": "accept_chat", "hello": "resync", **console_controls.HANDLERS}

    async def connect(self):
        await self.accept()
        self.sweeper = None
        self.user = self.scope["user"]
        if not await database_sync_to_async(self.allowed)():
            return await self.close(code=FORBIDDEN)
        self.language = await database_sync_to_async(reader_language)(self.scope)
        await self.join(CONSOLE_GROUP, consoles_group(self.user.pk))
        await self.join_session()
        await self.resync()
        _consoles[self.user.pk] += 1
        await self.tell(await self._present())
        await self.send_own_state()
        self.sweeper = asyncio.create_task(self.sweep())

    def allowed(self) -> bool:
        return is_agent(self.user)

    async def disconnect(self, code):
        if self.sweeper is None:
            return
        self.sweeper.cancel()
        _consoles[self.user.pk] -= 1
        if _consoles[self.user.pk] > 0:
            return
        del _consoles[self.user.pk]
        await self.tell(await self._gone())
        # A console of this agent on another process says it is still there.
        await self.channel_layer.group_send(
            consoles_group(self.user.pk), {"type": "console.recheck"}
        )

    async def accept_chat(self, content):
        try:
            chat_id = uuid.UUID(str(content.get("chat")))
        except ValueError:
            raise BadFrame from None
        # A chat seen leaving the queue, or won on this process meanwhile: no database trip.
        update = await _accepts.attempt(str(chat_id), lambda: _deciding.run(self._accept, chat_id))
        card = await self._card(update.chat)
        # Nothing read again: the consoles' delta, the chat's line and state, the agent's
        # status and the waiting members' burst, from the decision in hand, together.
        await self.tell([to_consoles(queue_change(update)), *broadcasts(update, accepted=True)])
        await self.send_json({"type": "accepted", **card})

    async def resync(self, content=None):
        """The whole queue: on connect, and to a console that missed a `queue_change`."""
        await self.send_json(await database_sync_to_async(queue_frame)(timezone.now()))

    async def queue_frame(self, event):
        # The same event carries the other frames for every console (`agents`).
        for chat in event["frame"].get("left", ()):
            _left_queue.gone(chat)
        await self.send(text_data=event["text"])

    async def console_recheck(self, event):
        await self.tell(await self._present())

    async def sweep(self):
        """Keep this agent counted as online and drop members who left the queue."""
        while True:
            await asyncio.sleep(CONSOLE_TICK)
            await self.tell(await self._swept())

    def _accept(self, chat_id):
        return services.chat_accept(chat_id=chat_id, agent=self.user, now=timezone.now())

    async def _card(self, chat):
        """The winner's card: a visitor's is the decision's fields, built here without a
        read; a member's reads who they are, on the accept thread's kept connection."""
        if chat.user_id is None:
            return self._card_of(chat)
        return await _deciding.run(self._card_of, chat)

    def _card_of(self, chat):
        # The card's words are in this agent's language, as on the page they loaded.
        with override(self.language):
            return chat_card(chat, timezone.now())

    @database_sync_to_async
    def _present(self):
        """Count the agent online; when they were not, every waiting member hears it."""
        return presence_events() if agent_seen(self.user, timezone.now()) else []

    @database_sync_to_async
    def _gone(self):
        agent_gone(self.user, timezone.now())
        return presence_events()

    @database_sync_to_async
    def _swept(self):
        now = timezone.now()
        back = presence_events() if agent_seen(self.user, now) else []
        return back + broadcasts_of(services.chat_abandon_stale(now=now))

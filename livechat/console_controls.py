"""The console's frames about its agent (docs/protocol.md): Available or Away, alerts
remembered, the chats held against the capacity, and handing a chat to another agent.
A mixin of ConsoleConsumer; the writes are in livechat.waiting and livechat.handover."""

import uuid

from channels.db import database_sync_to_async
from django.utils import timezone
from django.utils.translation import override

from livechat import handover
from livechat.errors import BadFrame
from livechat.frames import chat_card
from livechat.groups import consoles_group
from livechat.notify import broadcasts, presence_events
from livechat.services import agent_name
from livechat.waiting import (
    agent_set_alerts,
    agent_set_away,
    agents_available,
    agents_frame,
    status_frame,
)

HANDLERS = {
    "away": "set_away",
    "alerts": "set_alerts",
    "transfer": "offer_transfer",
    "take": "take_transfer",
    "decline": "decline_transfer",
}


def _chat_id(content) -> uuid.UUID:
    try:
        return uuid.UUID(str(content.get("chat")))
    except ValueError:
        raise BadFrame from None


def _flag(content, name) -> bool:
    if type(content.get(name)) is not bool:
        raise BadFrame
    return content[name]


class ConsoleControls:
    async def send_own_state(self):
        """The agent's status and the agents available, on connect."""
        for frame in await self._own_state():
            await self.send_json(frame)

    async def set_away(self, content):
        await self.tell(await self._away(_flag(content, "away")))

    async def set_alerts(self, content):
        alerts = _flag(content, "on")
        await database_sync_to_async(agent_set_alerts)(self.user, alerts, timezone.now())
        await self.to_consoles(self.user.pk, {"type": "console.status"})

    async def offer_transfer(self, content):
        chat_id, to = _chat_id(content), content.get("to")
        offer = await self._offer(chat_id, to)
        await self.to_consoles(to, {"type": "console.frame", "frame": offer})
        await self.send_json({"type": "offered", "chat": str(chat_id), "to": offer["to"]})

    async def take_transfer(self, content):
        chat_id = _chat_id(content)
        card, previous, events = await self._take(chat_id)
        await self.tell(events)
        gone = {"type": "transferred", "chat": str(chat_id), "to": agent_name(self.user)}
        await self.to_consoles(previous, {"type": "console.frame", "frame": gone})
        await self.to_consoles(previous, {"type": "console.status"})
        # The previous agent's chat socket checks again, and closes: the chat is not theirs.
        await self.channel_layer.group_send(card["group"], {"type": "access.changed"})
        await self.send_json({"type": "accepted", **card["card"]})
        await self.offer_closed(chat_id)

    async def decline_transfer(self, content):
        chat_id = _chat_id(content)
        holder = await database_sync_to_async(self._declined)(chat_id)
        frame = {"type": "declined", "chat": str(chat_id), "by": agent_name(self.user)}
        await self.to_consoles(holder, {"type": "console.frame", "frame": frame})
        await self.offer_closed(chat_id)

    async def offer_closed(self, chat_id):
        """This agent's other consoles drop the offer too."""
        frame = {"type": "offer_closed", "chat": str(chat_id)}
        await self.to_consoles(self.user.pk, {"type": "console.frame", "frame": frame})

    async def to_consoles(self, agent_id: int, event: dict) -> None:
        await self.channel_layer.group_send(consoles_group(agent_id), event)

    # Group events -------------------------------------------------------------------------

    async def console_frame(self, event):
        await self.send_json(event["frame"])

    async def console_status(self, event):
        await self.send_json(await database_sync_to_async(status_frame)(self.user, timezone.now()))

    # In the database thread -----------------------------------------------------------------

    @database_sync_to_async
    def _own_state(self):
        now = timezone.now()
        return [status_frame(self.user, now), agents_frame(now)]

    @database_sync_to_async
    def _away(self, away: bool):
        changed = agent_set_away(self.user, away, timezone.now())
        return [
            *(presence_events() if changed else []),
            (consoles_group(self.user.pk), {"type": "console.status"}),
        ]

    @database_sync_to_async
    def _offer(self, chat_id, to) -> dict:
        available = {pk for pk, _ in agents_available(timezone.now())}
        chat = handover.chat_transfer_offer(
            chat_id=chat_id, by=self.user, to_id=to, available=available
        )
        return {
            "type": "offer",
            "chat": str(chat.pk),
            "from": agent_name(self.user),
            "to": agent_name(chat.transfer_to),
            "name": chat.name,
            "question": chat.question,
        }

    @database_sync_to_async
    def _take(self, chat_id):
        now = timezone.now()
        done = handover.chat_transfer_take(chat_id=chat_id, agent=self.user, now=now)
        chat = done.update.chat
        with override(self.language):  # the card joins this agent's console, in their words
            card = {"card": chat_card(chat, now), "group": chat.group}
        return card, done.previous_agent_id, broadcasts(done.update)

    def _declined(self, chat_id) -> int:
        return handover.chat_transfer_decline(chat_id=chat_id, agent=self.user).agent_id

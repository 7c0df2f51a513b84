"""The waiting members' pages keep their chats in the queue: a chat whose member's page
has been gone for LIVECHAT_ABANDON_AFTER is abandoned. One task per process keeps every
chat with a waiting member's socket open here seen, in one database trip every quarter of
that time, instead of a task and a timer per socket (1.3 KB each, and a trip each:
bench/FINDINGS.md, idle_sockets). It runs while such sockets are open."""

import asyncio
import logging
from collections import Counter

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from livechat import services
from livechat.notify import broadcasts, send

logger = logging.getLogger("livechat")


def interval() -> float:
    return settings.LIVECHAT_ABANDON_AFTER.total_seconds() / 4


class Heartbeat:
    def __init__(self):
        self.chats: Counter = Counter()  # chat id: its sockets open here
        self.task: asyncio.Task | None = None

    def add(self, chat_id) -> None:
        self.chats[chat_id] += 1
        loop = asyncio.get_running_loop()
        # A task of another loop is a test's that ended with a socket still open.
        if self.task is None or self.task.done() or self.task.get_loop() is not loop:
            self.task = loop.create_task(self.run())

    def discard(self, chat_id) -> None:
        self.chats[chat_id] -= 1
        if self.chats[chat_id] <= 0:
            del self.chats[chat_id]
        if not self.chats and self.task is not None:
            self.task.cancel()
            self.task = None

    async def run(self) -> None:
        while True:
            await asyncio.sleep(interval())
            try:
                await send(await _beat(list(self.chats)))
            except Exception as error:  # the database is away: beat again next time
                logger.warning("the waiting members' heartbeat failed (%r)", error)


@database_sync_to_async
def _beat(chat_ids: list) -> list[tuple[str, dict]]:
    updates = services.chats_seen(chat_ids=chat_ids, now=timezone.now())
    return [event for update in updates for event in broadcasts(update)]


heartbeat = Heartbeat()

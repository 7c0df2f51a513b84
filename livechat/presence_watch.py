"""Agents who time out: a console that stops beating (its process died, the laptop slept)
closes nothing, so no socket event tells the waiting members. While members wait on this
process, one task wakes when the first online agent's window runs out and gives them a
fresh estimate if the count of agents online changed. A queue change heard here pokes it
to look again (the agents online may have changed with it), once however many members
heard it."""

import asyncio
import contextlib

from channels.db import database_sync_to_async
from django.utils import timezone

from livechat.notify import presence_events, send
from livechat.waiting import CONSOLE_TICK, agents_online, presence_expires

MARGIN = 0.2  # seconds past the expiry, so that the agent has surely expired


class PresenceWatch:
    def __init__(self):
        self.waiting = 0
        self.task: asyncio.Task | None = None
        self.poked: asyncio.Event | None = None

    def waiting_joined(self) -> None:
        self.waiting += 1
        if self.task is None or self.task.done():
            self.poked = asyncio.Event()
            self.task = asyncio.get_running_loop().create_task(self.run())

    def poke(self) -> None:
        if self.poked is not None:
            self.poked.set()

    def waiting_left(self) -> None:
        self.waiting -= 1
        if self.waiting <= 0 and self.task is not None:
            self.waiting = 0
            self.task.cancel()
            self.task = None

    async def run(self) -> None:
        known = None
        while True:
            online, delay = await database_sync_to_async(_look)()
            if known is not None and online != known:
                await send(await database_sync_to_async(presence_events)())
            known = online
            self.poked.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.poked.wait(), delay)


def _look() -> tuple[int, float]:
    """The agents online now, and how long to sleep before looking again."""
    now = timezone.now()
    expires = presence_expires(now)
    if expires is None:
        return 0, CONSOLE_TICK
    seconds = (expires - now).total_seconds() + MARGIN
    return agents_online(now), min(max(seconds, MARGIN), CONSOLE_TICK)


watch = PresenceWatch()

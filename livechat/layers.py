"""The embedded profile's channel layer: Channels' in-memory layer without its
per-message overhead (one process; production uses Redis pub/sub).

Channels' InMemoryChannelLayer walks every channel and every group for expired entries on
each `receive` and `group_send`, makes a task and a deep copy of the message per
recipient, and yields inside `group_send`, so one busy publisher queues up behind its own
sends. Here a group send puts the one message on each member's queue at once, and expired
entries are swept at most once a second.

Each idle socket waits in `receive` on its channel, so the channel's state is held for as
long as the socket is open: an asyncio.Queue is four deques (3.3 KB); an Inbox is two
lists, mostly empty, and the one future its receive waits on (bench/FINDINGS.md,
idle_sockets).

The message is shared, not copied: a handler must never change an event it receives (the
chat's handlers only read them and send frames built from them).
"""

import asyncio
import contextlib
import time
from collections.abc import Iterator

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

SWEEP_EVERY = 1.0  # seconds between two sweeps of expired messages and memberships


class Inbox:
    """One channel's messages not received yet, oldest first, as (expires, message), and
    the receives waiting for one, first come first served."""

    __slots__ = ("messages", "waiters")

    def __init__(self):
        self.messages: list[tuple[float, dict]] = []
        self.waiters: list[asyncio.Future] = []

    def put(self, item: tuple[float, dict], capacity: int) -> None:
        if len(self.messages) >= capacity:
            raise ChannelFull
        self.messages.append(item)
        self.wake()

    def wake(self) -> None:
        """Wake the first receive still waiting (it takes the message when it runs)."""
        while self.waiters:
            waiter = self.waiters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return

    async def get(self) -> tuple[float, dict]:
        while not self.messages:
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                # Cancelled: as asyncio.Queue.get, pass a wake-up meant for it on.
                with contextlib.suppress(ValueError):
                    self.waiters.remove(waiter)
                if self.messages and waiter.done() and not waiter.cancelled():
                    self.wake()
                raise
        return self.messages.pop(0)

    def expired(self, now: float) -> Iterator[None]:
        """Drop the expired messages at the front, one step each."""
        while self.messages and self.messages[0][0] < now:
            self.messages.pop(0)
            yield

    @property
    def idle(self) -> bool:
        return not self.messages and not self.waiters


class LeanInMemoryChannelLayer(InMemoryChannelLayer):
    swept = 0.0

    async def send(self, channel, message):
        assert isinstance(message, dict), "message is not a dict"
        self._put(channel, message, time.time() + self.expiry)

    async def receive(self, channel):
        self.require_valid_channel_name(channel)
        self._sweep()
        inbox = self._inbox(channel)
        try:
            _, message = await inbox.get()
        finally:
            if inbox.idle and self.channels.get(channel) is inbox:
                del self.channels[channel]
        return message

    async def group_send(self, group, message):
        assert isinstance(message, dict), "message is not a dict"
        self._sweep()
        expires = time.time() + self.expiry
        for channel in list(self.groups.get(group, ())):
            # As the stock layer: a full channel misses the event (its client heals).
            with contextlib.suppress(ChannelFull):
                self._put(channel, message, expires)

    def _inbox(self, channel) -> Inbox:
        inbox = self.channels.get(channel)
        if inbox is None:
            inbox = self.channels[channel] = Inbox()
        return inbox

    def _put(self, channel, message, expires):
        try:
            self._inbox(channel).put((expires, message), self.get_capacity(channel))
        except ChannelFull:
            raise ChannelFull(channel) from None

    def _sweep(self):
        now = time.monotonic()
        if now - self.swept >= SWEEP_EVERY:
            self.swept = now
            self._clean_expired()

    def _clean_expired(self):
        """The stock layer's sweep, over inboxes: a channel with an expired message leaves
        every group (its consumer is gone or stuck); group memberships expire."""
        now = time.time()
        for channel, inbox in list(self.channels.items()):
            for _ in inbox.expired(now):
                self._remove_from_groups(channel)
            if inbox.idle:
                del self.channels[channel]
        joined_before = int(now) - self.group_expiry
        for members in self.groups.values():
            for channel, joined in list(members.items()):
                if joined and joined < joined_before:
                    del members[channel]

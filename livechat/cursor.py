"""Per-socket bookkeeping, in plain code: what a client has seen, and how fast it talks."""

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

from livechat.errors import Taken


class Cursor:
    """The highest seq sent to one client, so each message reaches it exactly once.

    A socket joins its chat's group before it reads the backlog (else a message committed
    in between would be lost), so the same message may come from both: the cursor drops
    what was sent already and notices a gap (a notification the channel layer dropped)."""

    def __init__(self, seen: int):
        self.seen = seen

    def gap_before(self, seq: int) -> bool:
        return seq > self.seen + 1

    def fresh(self, frames: list[dict]) -> list[dict]:
        """The frames not sent yet, in order; they count as sent from now on."""
        return [
            frame for frame in sorted(frames, key=lambda f: f["seq"]) if self.take(frame["seq"])
        ]

    def take(self, seq: int) -> bool:
        """Whether the message `seq` is not sent yet; it counts as sent from now on (call in
        order of seq)."""
        if seq <= self.seen:
            return False
        self.seen = seq
        return True


class RateLimit:
    """At most `count` events in any `seconds`-long window."""

    # Two per socket, mostly idle: slots and a deque made on first use keep an idle
    # socket about 1.5 KB lighter (bench/FINDINGS.md, idle_sockets).
    __slots__ = ("clock", "count", "seconds", "times")

    def __init__(self, count: int, seconds: float, clock=time.monotonic):
        self.count, self.seconds, self.clock = count, seconds, clock
        self.times: deque[float] | None = None

    def allow(self) -> bool:
        now = self.clock()
        if self.times is None:
            self.times = deque()
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) >= self.count:
            return False
        self.times.append(now)
        return True


class LeftQueue:
    """The chats this process has seen leave the queue: one a `queue_change` took out, or
    one whose accept here won or was refused as taken. A chat never waits again, so an
    accept of one of these loses for sure and is answered without the database."""

    __slots__ = ("left", "limit")

    def __init__(self, limit: int = 10_000):
        self.left: dict[str, None] = {}  # ordered: the oldest are forgotten first
        self.limit = limit

    def gone(self, chat: str) -> None:
        self.left[chat] = None
        if len(self.left) > self.limit:
            del self.left[next(iter(self.left))]

    def __contains__(self, chat: str) -> bool:
        return chat in self.left


class AcceptRace:
    """The accepts of this process, one attempt per chat at a time. Twenty agents clicking
    one chat would otherwise queue twenty conditional UPDATEs in the one database thread,
    nineteen of them losing: here the others wait for the attempt in flight and lose
    without the database when it wins (or the database said the chat is not waiting);
    when it failed for its own agent (away, at capacity) the next one tries. Across
    processes the conditional UPDATE still decides."""

    __slots__ = ("flying", "left")

    def __init__(self, left: LeftQueue):
        self.left = left
        self.flying: dict[str, asyncio.Future] = {}  # a task, or a thread's future

    async def attempt(self, chat: str, accept: Callable[[], Awaitable]):
        """Answer what `accept()` answers, or raise Taken without calling it."""
        while (flying := self.flying.get(chat)) is not None:
            await asyncio.wait([flying])
            if _left(flying):
                raise Taken
            # That agent could not take it (away, at capacity, a database fault): try.
        if chat in self.left:
            raise Taken
        task = self.flying[chat] = asyncio.ensure_future(accept())
        task.add_done_callback(lambda task: self._landed(chat, task))
        # Shielded: a socket closing mid-accept does not undo what others wait for.
        return await asyncio.shield(task)

    def _landed(self, chat: str, task: asyncio.Future) -> None:
        # Runs before any waiter wakes (registered first).
        if self.flying.get(chat) is task:
            del self.flying[chat]
        if _left(task):
            self.left.gone(chat)


def _left(task: asyncio.Future) -> bool:
    """Whether a finished accept shows its chat out of the queue: won, or Taken."""
    if task.cancelled():
        return False
    error = task.exception()
    return error is None or isinstance(error, Taken)

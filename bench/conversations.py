"""Conversations under load: two sockets on one chat (or one path of the echo relay), the
sender saying messages, the peer receiving them. Both servers get the same frames: the chat
protocol's `say` with a fresh client_id (docs/protocol.md); a frame carrying one of those ids is a
delivery, a second one for the same id a duplicate.

Closed loop (`window`: at most that many messages on their way per conversation) finds the
most a server delivers; open loop (`rate` messages per second per conversation) measures
latency below that.
"""

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect

from bench.clients import Clients, Together, split
from bench.measure import percentile

BODY = "The order page still says 'cannot process' after I cleared the cache."
DRAIN = 15.0  # seconds to wait for messages still on their way once sending stops


@dataclass(frozen=True)
class End:
    url: str
    session: str = ""  # the sessionid cookie
    hello: bool = False  # the portal's chat socket: say hello, wait for the state


@dataclass(frozen=True)
class Conversation:
    sender: End
    peer: End


@dataclass
class Tally:
    sent: int = 0
    delivered: int = 0
    duplicated: int = 0
    refused: int = 0  # error frames answered to the sender
    started: float = float("inf")  # time.monotonic() (one clock for every process)
    last: float = 0.0  # the last delivery
    latencies: list[float] = field(default_factory=list)  # ms from send to the peer

    @property
    def lost(self) -> int:
        return self.sent - self.delivered

    @property
    def per_second(self) -> float:
        seconds = self.last - self.started
        return self.delivered / seconds if seconds > 0 else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)

    def merge(self, other: "Tally") -> "Tally":
        return Tally(
            self.sent + other.sent,
            self.delivered + other.delivered,
            self.duplicated + other.duplicated,
            self.refused + other.refused,
            min(self.started, other.started),
            max(self.last, other.last),
            self.latencies + other.latencies,
        )


async def open_end(end: End) -> ClientConnection:
    """Open a socket as a browser of that session would (Origin, cookie, no compression)."""
    origin = "http://" + urlsplit(end.url).netloc
    headers = {"Cookie": f"sessionid={end.session}"} if end.session else {}
    socket = await connect(
        end.url, origin=origin, additional_headers=headers, compression=None, open_timeout=60
    )
    if end.hello:
        await socket.send(json.dumps({"type": "hello", "after": 0}))
        while json.loads(await asyncio.wait_for(socket.recv(), 30))["type"] != "state":
            pass
    return socket


class _Run:
    """One conversation's sending and receiving, counted into a shared tally."""

    def __init__(self, sender: ClientConnection, peer: ClientConnection, tally: Tally):
        self.sender, self.peer, self.tally = sender, peer, tally
        self.sent_at: dict[str, float] = {}
        self.received: set[str] = set()
        self.stopped = False
        self.settled = asyncio.Event()

    async def receive(self, room: asyncio.Semaphore) -> None:
        async for frame in self.peer:
            client_id = json.loads(frame).get("client_id")
            if client_id not in self.sent_at:
                continue
            if client_id in self.received:
                self.tally.duplicated += 1
                continue
            self.received.add(client_id)
            self.tally.delivered += 1
            self.tally.last = time.monotonic()
            self.tally.latencies.append((self.tally.last - self.sent_at[client_id]) * 1000)
            room.release()
            self._check_settled()

    async def watch_sender(self) -> None:
        async for frame in self.sender:
            if json.loads(frame).get("type") == "error":
                self.tally.refused += 1

    async def send(self, room: asyncio.Semaphore, deadline: float, rate: float | None) -> None:
        next_at = time.monotonic() + (random.random() / rate if rate else 0)
        while (now := time.monotonic()) < deadline:
            if rate:
                await asyncio.sleep(max(0.0, next_at - now))
                next_at += 1 / rate
            try:
                await asyncio.wait_for(room.acquire(), max(0.001, deadline - time.monotonic()))
            except TimeoutError:
                break
            client_id = str(uuid.uuid4())
            self.sent_at[client_id] = time.monotonic()
            await self.sender.send(
                json.dumps({"type": "say", "body": BODY, "client_id": client_id})
            )
            self.tally.sent += 1
        self.stopped = True
        self._check_settled()

    def _check_settled(self) -> None:
        if self.stopped and len(self.received) == len(self.sent_at):
            self.settled.set()


async def _converse(pairs, together: Together, duration, window, rate) -> Tally:
    sockets = [(await open_end(c.sender), await open_end(c.peer)) for c in pairs]
    tally = Tally()
    runs = [_Run(sender, peer, tally) for sender, peer in sockets]
    await together.ready()
    tally.started = time.monotonic()
    deadline = tally.started + duration
    tasks = []
    for run in runs:
        room = asyncio.Semaphore(window)
        tasks += [asyncio.create_task(run.receive(room)), asyncio.create_task(run.watch_sender())]
        tasks.append(asyncio.create_task(run.send(room, deadline, rate)))
    await asyncio.sleep(duration)
    settled = [asyncio.create_task(run.settled.wait()) for run in runs]
    await asyncio.wait(settled, timeout=DRAIN)
    for task in tasks + settled:
        task.cancel()
    await asyncio.gather(*(s.close() for pair in sockets for s in pair))
    return tally


def converse(
    conversations: list[Conversation],
    *,
    duration: float,
    window: int = 4,
    rate: float | None = None,
    processes: int = 2,
) -> Tally:
    """Run the conversations from `processes` client processes for `duration` seconds;
    answer the merged tally."""
    chunks = split(conversations, processes)
    with Clients(_converse, chunks, duration, window, rate) as clients:
        clients.together.wait_ready()
    return merged(clients.results)


def merged(tallies: list[Tally]) -> Tally:
    """One tally of the messages of all: their sums, the first start, the last delivery."""
    total = Tally()
    for tally in tallies:
        total = total.merge(tally)
    return total

"""console_fanout: p99 milliseconds for a change of the queue to reach 50 open consoles, with
the in-memory layer (one daphne process) and with Redis and PostgreSQL (two processes, the
consoles spread over both). No reference server: the two layers are compared, goal 50 ms.

The change is a waiting member ending their chat (one `end` frame), one every 250 ms; a
console has it when the queue it keeps (as the console page keeps it, from the whole
queue and its deltas: bench/console_queue.py) first lacks that chat.

    python -m bench.console_fanout
"""

import asyncio
import contextlib
import json
import time
from functools import partial

from bench.clients import Clients, Together
from bench.console_queue import ConsoleQueue
from bench.conversations import End, open_end
from bench.engines import scaled_out
from bench.measure import percentile
from bench.portal import Portal
from bench.results import Result, attempt, report

CONSOLES = 50
CHANGES = 30
GAP = 0.25  # seconds between two changes: each one reaches the consoles alone
GOAL_MS = 50
ENV = {"DJANGO_LIVECHAT_ABANDON_SECONDS": "3600"}


async def _trigger(ends: list[End], together: Together) -> dict[str, float]:
    """End each member's chat in turn; answer when each was ended."""
    sockets = {end.url: await open_end(end) for end in ends}
    await together.ready()
    ended = {}
    for url, socket in sockets.items():
        ended[url.rstrip("/").rsplit("/", 1)[-1]] = time.monotonic()
        await socket.send(json.dumps({"type": "end"}))
        await asyncio.sleep(GAP)
    await asyncio.gather(*(socket.close() for socket in sockets.values()))
    return ended


async def _watch(socket, queue: ConsoleQueue, chats: set[str], seen: dict[str, float]) -> None:
    """Note when each chat first leaves this console's queue."""
    while len(seen) < len(chats):
        frame = json.loads(await socket.recv())
        if frame["type"] not in ("queue", "queue_change"):
            continue
        if not queue.apply(frame):
            await socket.send(json.dumps({"type": "hello"}))
        now = time.monotonic()
        for chat in chats - queue.waiting.keys() - seen.keys():
            seen[chat] = now


async def _consoles(ends: list[End], together: Together, chats: list[str]) -> list[dict]:
    sockets = [await open_end(end) for end in ends]
    queues = [ConsoleQueue() for _ in sockets]
    for socket, queue in zip(sockets, queues, strict=True):  # the queue as it is on connect
        while (frame := json.loads(await socket.recv()))["type"] != "queue":
            pass
        queue.apply(frame)
    await together.ready()
    seen: list[dict[str, float]] = [{} for _ in sockets]
    watches = [
        _watch(s, queue, set(chats), got)
        for s, queue, got in zip(sockets, queues, seen, strict=True)
    ]
    # A console that never sees a change counts it as missed.
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*watches), len(chats) * GAP + 30)
    await asyncio.gather(*(socket.close() for socket in sockets))
    return seen


async def _role(chunk, together: Together, chats: list[str]):
    role, ends = chunk
    if role == "trigger":
        return await _trigger(ends, together)
    return await _consoles(ends, together, chats)


def measure(portal: Portal, consoles=CONSOLES, changes=CHANGES) -> tuple[list[float], int]:
    """Answer the latencies (ms) of every change at every console, and how many were
    missed."""
    agents = portal.seed("agents", str(consoles))
    chats = portal.seed("chats", str(changes))
    members = [
        End(portal.ws_url(f"/ws/chat/{chat}/"), session, hello=True) for chat, session in chats
    ]
    console_ends = [End(portal.ws_url("/ws/console/", n), s) for n, s in enumerate(agents)]
    chunks = [("trigger", members), ("console", console_ends[::2]), ("console", console_ends[1::2])]
    ids = [chat for chat, _session in chats]
    with Clients(_role, chunks, ids) as clients:
        clients.together.wait_ready()
    ended, *watched = clients.results
    latencies = [
        (console[chat] - at) * 1000
        for process in watched
        for console in process
        for chat, at in ended.items()
        if chat in console
    ]
    return latencies, consoles * changes - len(latencies)


def _result(layer: str, latencies: list[float], missed: int) -> Result:
    p99 = percentile(latencies, 99)
    return Result(
        f"console_fanout {layer} p99 ({CONSOLES} consoles)",
        p99,
        "ms",
        "-",
        None,
        f"<= {GOAL_MS} ms, none missed ({missed})",
        p99 <= GOAL_MS and missed == 0,
    )


LAYERS = {"in-memory": lambda: Portal(**ENV), "Redis, 2 processes": lambda: scaled_out(**ENV)}


def _layer(layer: str) -> list[Result]:
    with LAYERS[layer]() as portal:
        return [_result(layer, *measure(portal))]


def run() -> list[Result]:
    return [
        r for layer in LAYERS for r in attempt(f"console_fanout {layer}", partial(_layer, layer))
    ]


if __name__ == "__main__":
    report(run())

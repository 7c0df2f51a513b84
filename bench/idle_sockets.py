"""idle_sockets: the memory one daphne process holds per idle WebSocket, at 1,000 and 5,000
open sockets: waiting members' chat sockets (/ws/chat/<uuid>/, after hello), one chat each.
The reference is the same count of sockets held open on the `websockets` echo relay.

Memory per socket = (resident memory with the sockets open - before them) / count, after a
warm-up connection, so that what a first connection loads is not counted.

    python -m bench.idle_sockets
"""

import asyncio
import time

from bench.clients import Clients, Together, split
from bench.conversations import End, open_end
from bench.echo import EchoServer
from bench.measure import raise_open_files_limit, rss_mb
from bench.portal import Portal
from bench.results import Result, report

COUNTS = (1_000, 5_000)
CLIENT_PROCESSES = 2
OPENING_AT_ONCE = 50  # per client process
SETTLE = 2.0  # seconds between the last socket opened and the measurement
ENV = {"DJANGO_LIVECHAT_ABANDON_SECONDS": "3600"}


async def _hold(ends: list[End], together: Together) -> int:
    """Open every socket, tell the parent, hold them until released."""
    gate = asyncio.Semaphore(OPENING_AT_ONCE)

    async def opened(end: End):
        async with gate:
            return await open_end(end)

    sockets = await asyncio.gather(*(opened(end) for end in ends))
    await together.ready(timeout=600)
    await together.released()
    await asyncio.gather(*(socket.close() for socket in sockets))
    return len(sockets)


def per_socket_kb(pid: int, ends: list[End]) -> float:
    """Answer the growth of process `pid`'s resident memory per socket held open, in KB."""
    with Clients(_hold, [ends[:1]]) as clients:  # warm up
        clients.together.wait_ready()
    before = rss_mb(pid)
    with Clients(_hold, split(ends[1:], CLIENT_PROCESSES), timeout=600) as clients:
        clients.together.wait_ready(timeout=600)
        time.sleep(SETTLE)
        during = rss_mb(pid)
    return (during - before) * 1024 / (len(ends) - 1)


def run(counts=COUNTS) -> list[Result]:
    raise_open_files_limit()
    results = []
    for count in counts:
        with EchoServer() as echo:
            paths = [echo.ws_url(f"/chat/{n}/") for n in range(count + 1)]
            reference = per_socket_kb(echo.process.pid, [End(path) for path in paths])
        with Portal(**ENV) as portal:
            chats = portal.seed("chats", str(count + 1))
            ends = [End(portal.ws_url(f"/ws/chat/{c}/"), s, hello=True) for c, s in chats]
            got = per_socket_kb(portal.pid(), ends)
        results.append(
            Result(
                f"idle_sockets memory per socket at {count}",
                got,
                "KB",
                "websockets echo relay",
                reference,
                "ratio <= 2.5",
                got <= 2.5 * reference,
            )
        )
    return results


if __name__ == "__main__":
    report(run())

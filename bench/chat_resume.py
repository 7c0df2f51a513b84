"""chat_resume: milliseconds for a member who reconnects to get the 1,000 messages they
missed (open the socket, hello with the last seq seen, every missed message, then the state
frame), against a raw query of those rows and a send loop (bench/replay.py) on the same
database. The median of five reconnects each.

    python -m bench.chat_resume
"""

import asyncio
import json
import statistics
import subprocess
import time

from bench.clients import Clients, Together
from bench.conversations import End, open_end
from bench.portal import UNLIMITED, Portal
from bench.results import Result, report
from tests.servers import PYTHON, ROOT, free_port, stop, wait_for_port

MISSED = 1_000
RECONNECTS = 5


async def _reconnect(end: End, after: int) -> tuple[float, int]:
    started = time.monotonic()
    socket = await open_end(end)
    await socket.send(json.dumps({"type": "hello", "after": after}))
    received = 0
    while (frame := json.loads(await asyncio.wait_for(socket.recv(), 60)))["type"] != "state":
        received += frame["type"] == "message"
    elapsed = (time.monotonic() - started) * 1000
    await socket.close()
    return elapsed, received


async def _reconnects(ends: list[End], together: Together, after: int, times: int) -> list:
    await together.ready()
    return [await _reconnect(ends[0], after) for _ in range(times)]


def _median_ms(end: End, after: int, missed: int, times: int) -> float:
    with Clients(_reconnects, [[end]], after, times) as clients:
        clients.together.wait_ready()
    runs = clients.results[0]
    if any(received != missed for _ms, received in runs):
        raise RuntimeError(f"a reconnect got {runs} messages, not {missed}")
    return statistics.median(ms for ms, _received in runs)


def run(missed=MISSED, times=RECONNECTS) -> list[Result]:
    with Portal(**UNLIMITED) as portal:
        chat, session, after = portal.seed("history", str(missed))
        path = f"/ws/chat/{chat}/"
        portal_ms = _median_ms(End(portal.ws_url(path), session), after, missed, times)
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "-m", "bench.replay", str(port)], cwd=ROOT, env=portal.env
        )
        try:
            wait_for_port(port, server)
            url = f"ws://127.0.0.1:{port}{path}"
            reference_ms = _median_ms(End(url), after, missed, times)
        finally:
            stop(server)
    return [
        Result(
            f"chat_resume replay of {missed} missed messages",
            portal_ms,
            "ms",
            "raw query + send loop",
            reference_ms,
            "ratio <= 1.5",
            portal_ms <= 1.5 * reference_ms,
        )
    ]


if __name__ == "__main__":
    report(run())

"""chat_resume: milliseconds for a member who reconnects to get the 1,000 messages they
missed (open the socket, hello with the last seq seen, every missed message, then the state
frame), against a raw query of those rows and a send loop (bench/replay.py) on the same
database. The median of fifteen reconnects each, the portal's and the reference's taking
turns (one of each, then the next pair), so that other work on the machine costs both
alike: with five of each, one series after the other, the ratio ranged 1.2-1.9 between
runs at the same code (bench/FINDINGS.md).

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
RECONNECTS = 15


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
    """`times` reconnects to each end, the ends taking turns; answer each end's runs."""
    await together.ready()
    runs: list[list] = [[] for _ in ends]
    for _ in range(times):
        for end, end_runs in zip(ends, runs, strict=True):
            end_runs.append(await _reconnect(end, after))
    return runs


def _median_ms(ends: list[End], after: int, missed: int, times: int) -> list[float]:
    """The median milliseconds of each end's reconnects, taking turns."""
    with Clients(_reconnects, [ends], after, times) as clients:
        clients.together.wait_ready()
    medians = []
    for runs in clients.results[0]:
        if any(received != missed for _ms, received in runs):
            raise RuntimeError(f"a reconnect got {runs} messages, not {missed}")
        medians.append(statistics.median(ms for ms, _received in runs))
    return medians


def run(missed=MISSED, times=RECONNECTS) -> list[Result]:
    with Portal(**UNLIMITED) as portal:
        chat, session, after = portal.seed("history", str(missed))
        path = f"/ws/chat/{chat}/"
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "-m", "bench.replay", str(port)], cwd=ROOT, env=portal.env
        )
        try:
            wait_for_port(port, server)
            ends = [End(portal.ws_url(path), session), End(f"ws://127.0.0.1:{port}{path}")]
            portal_ms, reference_ms = _median_ms(ends, after, missed, times)
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

"""An HTTP/1.1 keep-alive load client: `processes` separate processes, each holding
`connections` connections that GET one path as fast as answers come, for `duration` seconds,
on loopback only.

Each process keeps the cookies its answers set, as a browser does, and sends them with
its next requests: a page with a form sets the CSRF cookie on the first answer, and a
browser sends it back; a client that dropped it made every answer mint a new CSRF secret
and set a new cookie, work no signed-in member's browser causes (bench/FINDINGS.md)."""

import asyncio
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context

from bench.measure import percentile


@dataclass
class Tally:
    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms, answered requests

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def p99(self) -> float:
        return percentile(self.latencies, 99)

    def merge(self, other: "Tally") -> "Tally":
        return Tally(
            self.ok + other.ok,
            self.failed + other.failed,
            max(self.seconds, other.seconds),
            self.latencies + other.latencies,
        )


def _keep(cookies: dict[str, str], header: str) -> None:
    """Keep (or forget, when it has expired) the cookie a Set-Cookie header sets."""
    pair, *attributes = header.split(";")
    name, _, value = pair.strip().partition("=")
    if any(a.strip().lower() == "max-age=0" for a in attributes):
        cookies.pop(name, None)
    else:
        cookies[name] = value


async def _read_answer(reader: asyncio.StreamReader, cookies: dict[str, str]) -> int:
    """Read one response (Content-Length or chunked body), keeping the cookies it sets;
    answer its status code."""
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name.lower() == "set-cookie":
            _keep(cookies, value)
    if not chunked:
        await reader.readexactly(length)
        return status
    while size := int((await reader.readline()).strip(), 16):
        await reader.readexactly(size + 2)
    await reader.readline()
    return status


def _request(port: int, path: str, cookies: dict[str, str]) -> bytes:
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: {cookie}\r\nAccept-Language: en\r\n\r\n"
    ).encode()


async def _connection(
    port: int, path: str, cookies: dict[str, str], deadline: float, tally: Tally
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < deadline:
            started = time.monotonic()
            writer.write(_request(port, path, cookies))
            if await _read_answer(reader, cookies) == 200:
                tally.ok += 1
                tally.latencies.append((time.monotonic() - started) * 1000)
            else:
                tally.failed += 1
    finally:
        writer.close()


async def _client(port: int, path: str, cookie: str, connections: int, duration: float) -> Tally:
    cookies = {"sessionid": cookie}  # this process's cookie jar, shared by its connections
    tally = Tally()
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(
        *(_connection(port, path, cookies, deadline, tally) for _ in range(connections))
    )
    tally.seconds = time.monotonic() - started
    return tally


def _process(port: int, path: str, cookie: str, connections: int, duration: float) -> Tally:
    return asyncio.run(_client(port, path, cookie, connections, duration))


def load(
    port: int, path: str, cookie: str = "", *, processes=2, connections=4, duration=5.0
) -> Tally:
    """GET http://127.0.0.1:port/path from separate processes; answer the merged tally."""
    with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
        futures = [
            pool.submit(_process, port, path, cookie, connections, duration)
            for _ in range(processes)
        ]
        tallies = [f.result(timeout=duration + 60) for f in futures]
    total = Tally()
    for tally in tallies:
        total = total.merge(tally)
    return total

"""The reference server: a bare relay written with the `websockets` library, run as a
process of its own. Every text frame goes back to every socket open on the same path, the
sender's included, as the chat's group does (one socket on a path: a plain echo). No
compression, as daphne offers none.

    python -m bench.echo PORT
"""

import asyncio
import subprocess
import sys
from collections import defaultdict

from websockets.asyncio.server import ServerConnection, serve

from tests.servers import PYTHON, ROOT, free_port, stop, wait_for_port

rooms: dict[str, set[ServerConnection]] = defaultdict(set)


async def relay(socket: ServerConnection) -> None:
    room = rooms[socket.request.path]
    room.add(socket)
    try:
        async for frame in socket:
            for peer in list(room):
                await peer.send(frame)
    finally:
        room.discard(socket)


async def main(port: int) -> None:
    async with serve(relay, "127.0.0.1", port, compression=None) as server:
        await server.serve_forever()


class EchoServer:
    """The relay in a process of its own, on a free loopback port."""

    def __init__(self):
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "EchoServer":
        self.process = subprocess.Popen([PYTHON, "-m", "bench.echo", str(self.port)], cwd=ROOT)
        wait_for_port(self.port, self.process)
        return self

    def __exit__(self, *exc) -> None:
        stop(self.process)

    def ws_url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))

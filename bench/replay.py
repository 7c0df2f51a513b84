"""The reference of chat_resume: a raw query of the missed rows and a send loop, served by
the `websockets` library in a process of its own on the portal's database (run in the
portal's environment).

A client connects to /ws/chat/<uuid>/ and says hello with `after`, as to the portal; the
server answers each message of seq > after as a `message` frame, then a `state` frame.

    python -m bench.replay PORT
"""

import asyncio
import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from websockets.asyncio.server import ServerConnection, serve  # noqa: E402

MISSED = (
    "SELECT seq, author, name, body, sent_at, client_id FROM livechat_message "
    "WHERE chat_id = %s AND seq > %s ORDER BY seq"
)
FIELDS = ("seq", "author", "name", "body", "sent_at", "client_id")


def _missed(chat: str, after: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(MISSED, [chat.replace("-", ""), after])
        return cursor.fetchall()


async def replay(socket: ServerConnection) -> None:
    chat = socket.request.path.strip("/").split("/")[-1]
    hello = json.loads(await socket.recv())
    for row in await asyncio.to_thread(_missed, chat, hello["after"]):
        frame = {"type": "message", **dict(zip(FIELDS, row, strict=True))}
        frame["sent_at"] = str(frame["sent_at"])
        await socket.send(json.dumps(frame))
    await socket.send(json.dumps({"type": "state", "state": "active", "position": None}))
    await socket.wait_closed()


async def main(port: int) -> None:
    async with serve(replay, "127.0.0.1", port, compression=None) as server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))

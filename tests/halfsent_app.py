"""The portal's application with two paths of its own, for tests/test_halfsent.py: /half
starts a streamed body and fails half-way, /stuck never answers."""

import asyncio

from helpdesk.asgi import application as portal


async def application(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/half":
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"PK" * 500, "more_body": True})
        raise RuntimeError("the archive failed half-way")
    if scope["type"] == "http" and scope["path"] == "/stuck":
        await receive()
        await asyncio.Event().wait()
    return await portal(scope, receive, send)

"""Who a WebSocket's browser is: Channels' AuthMiddlewareStack (cookies, then the session,
then the user) as one middleware making one copy of the scope.

A socket keeps its middleware for as long as it is open: the stack's three layers each
hold a copy of the scope (and their own wrappers), and its session wrapper sits on every
frame sent, to save a modified session on an HTTP response, which a WebSocket never
sends. Here the scope gets the same keys once: `cookies` (the first Cookie header, parsed
as Django parses it), `session` (the store of the cookie's session key) and `user`
(channels.auth.get_user of that session, read before the consumer runs, as the stack does).
bench/FINDINGS.md, idle_sockets, has the figures."""

from importlib import import_module

from channels.auth import get_user
from django.conf import settings
from django.http.cookie import parse_cookie


class SocketAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        header = next((v for k, v in scope["headers"] if k == b"cookie"), None)
        cookies = parse_cookie(header.decode("latin1")) if header is not None else {}
        store = import_module(settings.SESSION_ENGINE).SessionStore
        session = store(cookies.get(settings.SESSION_COOKIE_NAME))
        scope = dict(scope, cookies=cookies, session=session)
        scope["user"] = await get_user(scope)
        return await self.inner(scope, receive, send)

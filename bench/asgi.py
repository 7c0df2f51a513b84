"""The portal's ASGI application, plus the same Django under a middleware stack cut short,
for bench/page_overhead.py: /bench/stack/<n>/ runs the fixed view (bench/urls.py) under
the first n entries of MIDDLEWARE only (0: none), on the same daphne process as the rest."""

import re

from django.test.utils import override_settings

from helpdesk.asgi import application as portal
from helpdesk.handlers import PortalASGIHandler

STACK = re.compile(r"^/bench/stack/(\d+)/$")


class CutStack(PortalASGIHandler):
    """The portal's ASGI handler with only the first `count` middleware."""

    def __init__(self, count: int):
        self.count = count
        super().__init__()

    def load_middleware(self, is_async=False):
        from django.conf import settings

        with override_settings(MIDDLEWARE=settings.MIDDLEWARE[: self.count]):
            super().load_middleware(is_async)


_handlers: dict[int, CutStack] = {}


async def application(scope, receive, send):
    if scope["type"] == "http" and (match := STACK.match(scope["path"])):
        count = int(match.group(1))
        if count not in _handlers:
            _handlers[count] = CutStack(count)
        return await _handlers[count](scope, receive, send)
    return await portal(scope, receive, send)

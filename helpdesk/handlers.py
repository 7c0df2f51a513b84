"""Django's ASGI handler, with each page served in one thread that is kept, not started.

Django's ASGIHandler starts a thread for every request (a ThreadSensitiveContext of its
own, shut down at the end) and, under a stack with any sync-only middleware, hops between
that thread and the event loop several times a request: into the thread for the chain,
back to the loop for the view's part of the handler, into the thread again for the view,
once more for every `process_view`. bench/page_overhead.py measured these hops and the
thread start as the largest cost of a page.

Here the middleware and the view run synchronously (as under WSGI), in one trip to the
thread, and the threads are reused: each request borrows a one-thread executor from a
pool, and every thread-sensitive call of that request (the request_started receivers, the
chain, a streaming body, the close) runs on it, as it would on Django's fresh thread. So a
request still sees one thread from start to close: its database connection and
thread-locals are its own.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler

# Idle threads kept for the next requests; beyond, a finished request's thread ends.
IDLE_THREADS = 16


class Threads:
    """One-thread executors lent to requests, one at a time each."""

    def __init__(self, idle: int = IDLE_THREADS):
        self.idle, self.free, self.lock = idle, [], threading.Lock()

    def borrow(self) -> ThreadPoolExecutor:
        with self.lock:
            if self.free:
                return self.free.pop()
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="http")

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        with self.lock:
            if len(self.free) < self.idle:
                self.free.append(executor)
                return
        executor.shutdown(wait=False)


class PortalASGIHandler(ASGIHandler):
    """The portal's HTTP application (helpdesk/asgi.py)."""

    threads = Threads()

    def load_middleware(self, is_async=False):
        # The whole chain synchronous: get_response_async below runs it in one trip.
        super().load_middleware(is_async=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}")
        executor = self.threads.borrow()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.threads.give_back(executor)

    async def get_response_async(self, request):
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)

"""The portal's ASGI handler (helpdesk/handlers.py): a request runs on one thread from
start to close, threads are kept for the next requests, and requests at once still run
side by side."""

import asyncio
import threading

import pytest
from asgiref.testing import ApplicationCommunicator
from django.contrib.auth.decorators import login_not_required
from django.core.signals import request_finished, request_started
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path

from helpdesk.handlers import PortalASGIHandler

# The thread objects themselves, kept: an ended thread's id may be given to a new one.
seen: list[tuple[str, threading.Thread]] = []
both = threading.Barrier(2, timeout=5)


def note(what):
    seen.append((what, threading.current_thread()))


@login_not_required
def plain(request):
    note("view")
    return HttpResponse("plain")


@login_not_required
def together(request):
    both.wait()  # answers only once another request is in its view too
    return HttpResponse("together")


@login_not_required
def streamed(request):
    def chunks():
        note("stream")
        yield b"one "
        yield b"two"

    return StreamingHttpResponse(chunks())


urlpatterns = [path("plain/", plain), path("together/", together), path("streamed/", streamed)]


@pytest.fixture(autouse=True)
def app(settings):
    settings.ROOT_URLCONF = __name__
    seen.clear()
    started = lambda **kwargs: note("started")  # noqa: E731
    finished = lambda **kwargs: note("finished")  # noqa: E731
    request_started.connect(started)
    request_finished.connect(finished)
    yield PortalASGIHandler()
    request_started.disconnect(started)
    request_finished.disconnect(finished)


async def get(app, path: str) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 5000),
    }
    communicator = ApplicationCommunicator(app, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(5)
    body = b""
    while True:
        message = await communicator.receive_output(5)
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait(5)
    return start["status"], body


def threads(what: str) -> list[threading.Thread]:
    return [thread for name, thread in seen if name == what]


async def test_it_serves_one_request_after_another_on_one_kept_thread(app):
    for _ in range(3):
        assert await get(app, "/plain/") == (200, b"plain")
    assert len(set(threads("view"))) == 1
    assert threads("view")[0] is not threading.current_thread()  # not on the event loop


async def test_it_runs_a_requests_start_view_and_close_on_one_thread(app):
    assert await get(app, "/plain/") == (200, b"plain")
    assert [name for name, _ in seen] == ["started", "view", "finished"]
    assert len({thread for _, thread in seen}) == 1


@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous")
async def test_a_streamed_body_and_its_close_run_on_the_requests_thread(app):
    assert await get(app, "/streamed/") == (200, b"one two")
    assert [name for name, _ in seen] == ["started", "stream", "finished"]
    assert len({thread for _, thread in seen}) == 1


async def test_requests_at_once_run_side_by_side(app):
    both.reset()
    answers = await asyncio.gather(get(app, "/together/"), get(app, "/together/"))
    assert answers == [(200, b"together"), (200, b"together")]

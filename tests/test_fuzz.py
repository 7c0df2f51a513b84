"""Property-based fuzzing (hypothesis) of the ticket form, the pre-chat form and the frames
both sockets read: no input is a 500 or an unhandled exception, and a rejected form comes
back with every value typed. Example counts stay modest: the suite runs on 2 cores."""

import json

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livechat.errors import ALL as CHAT_ERRORS
from livechat.tests.conftest import connect, session_of
from livechat.tests.helpers import open_chat

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Anything a form can carry: no lone surrogates (they cannot be sent as UTF-8 at all).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
LONG_TEXT = TEXT | st.text(st.sampled_from("ab <>&\"'\n\x00"), min_size=3990, max_size=10_050)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
FRAME = st.one_of(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["hello", "say", "typing", "end", "accept", "x"])},
        optional={
            "after": JSON | st.integers(),
            "body": JSON | LONG_TEXT,
            "client_id": JSON,
            "chat": JSON | st.uuids().map(str),
        },
    ).map(json.dumps),
    JSON.map(json.dumps),
    TEXT,
)
# Every frame type the server sends (docs/protocol.md): the chat's, then the console's.
SERVER_FRAMES = {
    "message",
    "state",
    "typing",
    "error",
    "queue",
    "queue_change",
    "accepted",
    "status",
    "agents",
}
SERVER_FRAMES |= {"offered", "offer", "offer_closed", "transferred", "declined"}


@pytest.fixture
def generous(settings):
    """Rate limits out of the way, so the fuzzer explores the forms, not the 429."""
    settings.RATE_LIMIT_TICKETS_PER_MEMBER = "100000/h"
    settings.RATE_LIMIT_CHATS_PER_ADDRESS = "100000/h"
    settings.RATE_LIMIT_CHATS_PER_SESSION = "100000/h"


def kept(response, typed: dict) -> list[str]:
    """The typed values a rejected form failed to show again."""
    page = response.content.decode()
    return [name for name, value in typed.items() if escape(value) not in page]


@pytest.mark.django_db
@FUZZ
@given(
    language=st.sampled_from(["en", "pl", "de"]) | TEXT,
    summary=TEXT,
    description=LONG_TEXT,
)
def test_the_ticket_form_never_fails_and_keeps_what_was_typed(
    silver, generous, language, summary, description
):
    client = Client(raise_request_exception=True)
    client.force_login(silver)
    typed = {"summary": summary, "description": description}
    response = client.post(reverse("tickets:new"), {"language": language, **typed})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert kept(response, typed) == []


@pytest.mark.django_db
@FUZZ
@given(name=TEXT, member_id=TEXT, email=TEXT | st.emails(), question=LONG_TEXT)
def test_the_pre_chat_form_never_fails_and_keeps_what_was_typed(
    generous, name, member_id, email, question
):
    typed = {"name": name, "member_id": member_id, "email": email, "question": question}
    response = Client(raise_request_exception=True).post(reverse("livechat:start"), typed)
    assert response.status_code in (200, 302, 400)  # 200: not English, offered a ticket
    if response.status_code == 400:
        assert kept(response, typed) == []


def answers(path, key, frames):
    """Send each frame, then one that is not JSON, and read until the socket falls quiet;
    answer every frame received. The socket must neither crash nor close on the way, and
    must still answer the last frame."""

    async def exchange():
        socket = await connect(path, key)
        for frame in [*frames, "not json"]:
            # send_input: send_to() refuses an empty text frame, a client need not
            await socket.send_input({"type": "websocket.receive", "text": frame})
        received = []
        # However slow the machine, wait for the answer to "not json"; then for stragglers.
        while REFUSED not in received or not await socket.receive_nothing(timeout=0.2):
            received.append(await socket.receive_json_from(timeout=10))
        await socket.disconnect()
        return received

    return async_to_sync(exchange)()


BAD_FRAME = str(CHAT_ERRORS[1].message)
REFUSED = {"type": "error", "code": "bad_frame", "message": BAD_FRAME}


def check(frames_received):
    codes = {error.code for error in CHAT_ERRORS}
    for frame in frames_received:
        assert frame["type"] in SERVER_FRAMES
        assert frame["type"] != "error" or frame["code"] in codes


@pytest.mark.django_db(transaction=True)
@settings(FUZZ, max_examples=20)
@given(frames=st.lists(FRAME, max_size=4))
def test_the_chat_socket_answers_any_frame_and_stays_usable(frames):
    key = session_of()
    chat = open_chat("Fuzz", session_key=key, now=timezone.now())
    path = f"/ws/chat/{chat.pk}/"
    check(answers(path, key, frames))
    chat.delete()


@pytest.mark.django_db(transaction=True)
@settings(FUZZ, max_examples=20)
@given(frames=st.lists(FRAME, max_size=4))
def test_the_console_socket_answers_any_frame_and_stays_usable(agent, frames):
    check(answers("/ws/console/", session_of(agent), frames))

"""IDOR sweep: every URL of tickets, files and chats, filled with one member's ids, tried by
everyone else. Generated from the URL configuration, so a new URL is swept without a word
here; a URL with a parameter this module cannot fill fails until FILLERS learns it."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from livechat.models import Chat
from livechat.models import Message as ChatMessage
from livechat.routing import websocket_urlpatterns
from livechat.services import chat_accept
from livechat.tests.conftest import connect, session_of
from livechat.tests.helpers import open_chat
from portal.models import Rank
from tickets.models import Message, Screenshot, Ticket
from tickets.services import ticket_member_reply
from tickets.submissions import submission_record
from tickets.tests.conftest import image_file

NAMESPACES = ("tickets", "livechat")
SECRET = "Secret-7f3a"
# The data a persona may read by its role, whoever it belongs to: agents work every ticket.
ENTITLED = {"agent": {"tickets"}}
REFUSED = {403, 404, 405}


def patterns(urls=None, namespace=None):
    """(namespace, URLPattern) for every route, through every include()."""
    for entry in urls if urls is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


SWEPT = [(ns, p) for ns, p in patterns() if ns in NAMESPACES]


def fill(pattern: URLPattern, data: dict) -> dict:
    """The pattern's parameters, each filled with the owner's value."""
    names = set(pattern.pattern.converters)
    unknown = names - set(FILLERS)
    assert not unknown, f"the sweep cannot fill {unknown} of {pattern.pattern}: add to FILLERS"
    return {name: FILLERS[name](data) for name in names}


FILLERS = {
    "reference": lambda data: data["ticket"].reference,
    "pk": lambda data: data["screenshot"].pk,
    "chat_id": lambda data: data["chat"].pk,
    "token": lambda data: data["submission"],
}


@pytest.fixture
def owned(silver, make_agent):
    """Sylwia's ticket with a screenshot, and her chat (opened in her browser session),
    taken by the agent Alex."""
    ticket = Ticket.objects.create(member=silver, language="en", summary=SECRET)
    message = ticket_member_reply(
        ticket=ticket, member=silver, body=SECRET, screenshots=[image_file()]
    )
    owner = Client()
    owner.force_login(silver)
    owner.post(
        "/chat/",
        {"name": SECRET, "email": "s@example.com", "question": f"I cannot log in {SECRET}"},
    )
    chat = Chat.objects.get()
    alex = make_agent("alex")
    chat_accept(chat_id=chat.pk, agent=alex, now=timezone.now())
    submission = "owners-ticket-form-token"
    submission_record(user=silver, token=submission, url=ticket.get_absolute_url())
    return {
        "ticket": ticket,
        "screenshot": message.screenshots.get(),
        "chat": chat,
        "owner": owner,
        "submission": submission,
    }


@pytest.fixture
def personas(diamond, premier, make_agent):
    """Everyone the data is not theirs: a visitor, another member, a member below the
    gate, an agent who does not hold the chat."""
    clients = {"visitor": Client()}
    for name, user in (("member", diamond), ("below gate", premier), ("agent", make_agent("b"))):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def snapshot():
    return (
        Ticket.objects.count(),
        Message.objects.count(),
        Screenshot.objects.count(),
        ChatMessage.objects.count(),
        list(Chat.objects.values_list("state", "agent")),
    )


def test_every_swept_url_has_parameters_the_sweep_fills(owned):
    assert {p.name for _, p in SWEPT} >= {"detail", "screenshot", "thumbnail", "room", "convert"}
    for _, pattern in SWEPT:
        fill(pattern, owned)


def test_nobody_else_reaches_a_members_tickets_files_or_chats(owned, personas):
    before = snapshot()
    failures = []
    for namespace, pattern in SWEPT:
        url = reverse(f"{namespace}:{pattern.name}", kwargs=fill(pattern, owned))
        for persona, client in personas.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"body": "x", "summary": "x"})
                if not allowed(persona, namespace, pattern, response):
                    failures.append((persona, method, url, response.status_code))
    assert failures == []
    assert snapshot() == before


def allowed(persona, namespace, pattern, response) -> bool:
    """Whether the answer is right for someone the data does not belong to."""
    if SECRET in body(response):
        return namespace in ENTITLED.get(persona, set())
    if not pattern.pattern.converters or namespace in ENTITLED.get(persona, set()):
        return response.status_code < 500  # no one's data in it: any page is fine
    if response.status_code == 302:
        return response.url.startswith(reverse("login"))
    return response.status_code in REFUSED


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def test_the_owner_reaches_every_url_the_sweep_fills(owned):
    """Without this, a sweep whose fillers pointed nowhere would pass on 404s."""
    for namespace, pattern in SWEPT:
        if not pattern.pattern.converters:
            continue
        url = reverse(f"{namespace}:{pattern.name}", kwargs=fill(pattern, owned))
        status = owned["owner"].get(url).status_code
        assert status in (200, 405), (url, status)  # 405: a POST-only action


@pytest.mark.django_db(transaction=True)
async def test_no_socket_url_opens_to_anyone_else(make_member, make_agent):
    """The WebSocket routes, swept the same way: each closes with 4403."""
    chat, keys = await sync_to_async(socket_world)(make_member, make_agent)
    for route in websocket_urlpatterns:
        names = set(route.pattern.converters)
        assert names <= {"chat_id"}, f"the sweep cannot fill {names} of {route.pattern}"
        path = "/" + str(route.pattern).replace("<uuid:chat_id>", str(chat.pk))
        for persona, key in keys.items():
            if path == "/ws/console/" and persona == "agent":
                continue  # the console is every agent's

            socket = await connect(path, key)
            output = await socket.receive_output()
            assert (path, output["type"], output.get("code")) == (path, "websocket.close", 4403)
            await socket.disconnect()


def socket_world(make_member, make_agent):
    owner_key = session_of()
    chat = open_chat("Owner", session_key=owner_key, now=timezone.now())
    chat_accept(chat_id=chat.pk, agent=make_agent("alex"), now=timezone.now())
    others = {
        "no session": None,
        "visitor": session_of(),
        "member": session_of(make_member("diamond")),
        "below gate": session_of(make_member("premier", Rank.PREMIER)),
        "agent": session_of(make_agent("blake")),
    }
    return chat, others

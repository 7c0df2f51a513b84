"""The waiting members' heartbeat (livechat/heartbeat.py: one task per process, not one per
socket) against a real daphne process with real `websockets` clients: an open page keeps
its chat in the queue past the abandon time; a closed one stops counting at once."""

import asyncio
import json

import pytest

from tests.live_chat import migrated_daphne, waiting_member
from tests.scaleout.chat import Socket
from tests.servers import shell

ABANDON_SECONDS = 2  # a beat every 0.5 s


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    daphne = migrated_daphne(
        tmp_path_factory.mktemp("daphne-heartbeat"),
        DJANGO_LIVECHAT_ABANDON_SECONDS=str(ABANDON_SECONDS),
    )
    yield daphne
    daphne.stop()


def chats(portal, *chat_ids: str) -> dict[str, tuple[str, float]]:
    """Each chat's state, and how long ago its member's page was last seen (seconds)."""
    printed = shell(
        portal.env,
        "import json; from django.utils import timezone; from livechat.models import Chat; "
        f"now = timezone.now(); rows = Chat.objects.filter(pk__in={list(chat_ids)!r}); "
        "print(json.dumps({str(c.pk): (c.state, (now - c.seen_at).total_seconds()) "
        "for c in rows}))",
    )
    return {chat: tuple(row) for chat, row in json.loads(printed).items()}


async def test_open_pages_keep_their_chats_waiting_and_a_closed_one_goes_stale(portal):
    (first, kept), (second, closed) = [await waiting_member(portal) for _ in range(2)]
    await asyncio.sleep(ABANDON_SECONDS * 1.5)
    for state, seen_ago in (await asyncio.to_thread(chats, portal, kept, closed)).values():
        assert state == "waiting"
        assert seen_ago < ABANDON_SECONDS / 2  # a beat every quarter of it, plus the shell

    await second.close()
    await asyncio.sleep(ABANDON_SECONDS * 1.5)
    now = await asyncio.to_thread(chats, portal, kept, closed)
    assert now[kept][1] < ABANDON_SECONDS / 2
    assert now[closed][1] > ABANDON_SECONDS  # stale: the next sweep abandons it

    # The member of the stale chat comes back too late: it is over (chat_seen abandons it).
    again = await Socket(portal.url, f"/ws/chat/{closed}/", second.cookie).open()
    await again.send({"type": "hello", "after": 0})
    assert (await again.receive_until(lambda f: f["type"] == "state"))["state"] == "abandoned"
    await again.close()
    await first.close()

"""A member's offline messages (a question left while nobody could chat, then its answer by
e-mail) and e-mailed transcripts are theirs like any chat: exported, and erased."""

import io
import json
import zipfile

import pytest
from django.utils import timezone

from livechat import events
from livechat.models import Chat
from livechat.models import Message as ChatMessage
from livechat.services import chat_accept, chat_answer_message, chat_end, chat_leave_message
from livechat.tests.helpers import open_chat
from portal.memberdata.erasure import member_erase

pytestmark = pytest.mark.django_db


def left_and_answered(member, agent):
    chat = chat_leave_message(
        name="Sylwia",
        email=member.email,
        member_id="",
        question="Sylwia's invoices are missing",
        session_key="s-offline",
        user=member,
        now=timezone.now(),
    )
    chat_answer_message(chat=chat, agent=agent, body="Sylwia, look here", now=timezone.now())
    return Chat.objects.get(pk=chat.pk)


def test_the_archive_holds_offline_messages_and_when_transcripts_were_sent(
    client, silver, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answered = left_and_answered(silver, agent)
    client.force_login(silver)
    response = client.post("/your-data/")
    assert response.status_code == 200, response
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read(f"chats/{answered.pk}.json"))
    assert data["state"] == "answered"
    assert data["transcript_sent_at"] is not None
    assert [(m["author"], m["body"]) for m in data["messages"]] == [
        ("member", "Sylwia's invoices are missing"),
        ("agent", "Sylwia, look here"),
    ]


def test_erasure_clears_offline_messages_and_the_names_in_system_lines(silver, agent):
    answered = left_and_answered(silver, agent)
    chat = open_chat("Sylwia", user=silver, now=timezone.now())
    chat = chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now()).chat
    chat_end(chat=chat, by="Sylwia", now=timezone.now())
    member_erase(member=silver)
    for erased in (answered, chat):
        erased.refresh_from_db()
        assert (erased.name, erased.email, erased.question) == ("", "", "")
    texts = ChatMessage.objects.filter(chat__in=[answered, chat])
    assert not texts.filter(body__contains="Sylwia").exists()
    assert not [m for m in texts if "Sylwia" in json.dumps(m.params)]
    ended = texts.get(event="ended")
    assert events.render(ended, "en") == "… ended the chat."

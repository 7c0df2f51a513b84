"""System lines stored as events and rendered in each reader's language (livechat/events.py)."""

import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone

from livechat import events
from livechat.models import Message
from livechat.services import chat_accept, chat_end, chat_to_ticket, transcript
from livechat.tests.helpers import at, open_chat

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(agent):
    chat = open_chat("Vic", question="My invoice is missing", now=at(0))
    chat_accept(chat_id=chat.pk, agent=agent, now=at(10))
    chat_end(chat=chat, by="Vic", now=at(30))
    return chat


def test_it_stores_what_happened_with_its_parameters(ended, agent):
    joined, over = ended.messages.filter(author="system").order_by("seq")
    assert (joined.event, joined.params) == ("joined", {"agent": "Alex"})
    assert (over.event, over.params) == ("ended", {"by": "Vic"})
    assert joined.body == "Alex joined the chat."  # English, for search and old clients


def test_it_renders_each_event_in_the_readers_language(ended):
    over = ended.messages.get(event="ended")
    assert events.render(over, "en") == "Vic ended the chat."
    assert events.render(over, "pl") == "Vic kończy czat."


def test_a_frame_carries_the_event_and_is_localised_per_reader(ended):
    frame = ended.messages.get(event="ended").to_frame()
    assert (frame["event"], frame["params"], frame["link"]) == ("ended", {"by": "Vic"}, "")
    assert events.localise(frame, "pl")["body"] == "Vic kończy czat."
    assert frame["body"] == "Vic ended the chat."  # the shared frame is not changed
    plain = ended.messages.get(seq=1).to_frame()
    assert "event" not in plain
    assert events.localise(plain, "pl") is plain


def test_an_unknown_event_shows_its_code_and_an_erased_parameter_an_ellipsis():
    assert events.render_event("teleported", {}, "pl") == "teleported"
    assert events.render_event("ended", {}, "pl") == "… kończy czat."


def test_the_converted_line_links_to_the_ticket(agent, silver):
    chat = open_chat("Sylwia", user=silver, language="pl", now=timezone.now())
    chat = chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now()).chat
    ticket, update = chat_to_ticket(chat=chat, agent=agent, now=timezone.now())
    frame = update.messages[0].to_frame()
    assert frame["event"] == "converted"
    assert frame["link"] == f"/tech-issues/{ticket.reference}/"
    assert events.localise(frame, "pl")["body"].startswith(
        f"Ten czat jest teraz zgłoszeniem {ticket.reference}."
    )


def test_transcripts_render_system_lines_in_the_readers_language(ended):
    polish = transcript(ended, "pl")
    assert polish.startswith("Czat wsparcia technicznego z\u00a0Vic <vic@example.com>")
    assert "Vic kończy czat." in polish
    assert "Vic ended the chat." in transcript(ended, "en")


def test_the_admin_transcript_speaks_the_agents_language(client, agent, ended):
    client.force_login(agent)
    client.cookies["django_language"] = "pl"
    page = client.get(f"/admin/livechat/chat/{ended.pk}/change/").content.decode()
    lines = re.findall(r'<p(?: class="transcript-event")?>(.*?)(?: · <time|</p>)', page)
    assert lines == ["My invoice is missing", "Alex dołącza do czatu.", "Vic kończy czat."]


def test_the_migration_turns_stored_english_lines_into_events(ended):
    Message.objects.filter(chat=ended).update(event="", params={})
    ticket_line = Message.objects.create(
        chat=ended,
        seq=99,
        author="system",
        body="This chat is now ticket TI-000042. Follow it under My Technical Issues.",
        sent_at=at(40),
    )
    migration = importlib.import_module("livechat.migrations.0004_message_event")
    migration.events_from_english(apps, None)
    lines = Message.objects.filter(chat=ended, author="system").order_by("seq")
    assert [(m.event, m.params) for m in lines] == [
        ("joined", {"agent": "Alex"}),
        ("ended", {"by": "Vic"}),
        ("converted", {"reference": "TI-000042"}),
    ]
    ticket_line.refresh_from_db()
    assert events.render(ticket_line, "pl").startswith("Ten czat jest teraz zgłoszeniem TI-000042")


def test_a_transfer_is_an_event_each_reader_reads_in_their_language(agent, make_agent):
    from livechat import handover

    blake = make_agent("blake", first_name="Blake")
    chat = open_chat("Vic", now=timezone.now())
    chat_accept(chat_id=chat.pk, agent=agent, now=timezone.now())
    handover.chat_transfer_offer(chat_id=chat.pk, by=agent, to_id=blake.pk, available={blake.pk})
    done = handover.chat_transfer_take(chat_id=chat.pk, agent=blake, now=timezone.now())
    [note] = done.update.messages
    assert (note.event, note.params, note.body) == (
        "transferred",
        {"agent": "Blake"},
        "Blake took over the chat.",
    )
    assert events.render(note, "pl") == "Blake przejmuje czat."
    Message.objects.filter(pk=note.pk).update(event="", params={})
    migration = importlib.import_module("livechat.migrations.0006_transferred_events")
    migration.transfers_to_events(apps, None)
    note.refresh_from_db()
    assert (note.event, note.params) == ("transferred", {"agent": "Blake"})

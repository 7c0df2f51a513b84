import pytest

from livechat.services import chat_accept, chat_end, chat_say
from livechat.tests.helpers import at, open_chat

pytestmark = pytest.mark.django_db


@pytest.fixture
def transcript(agent):
    chat = open_chat("Vic", question="My invoice is missing", now=at(0))
    chat_accept(chat_id=chat.pk, agent=agent, now=at(10))
    chat_say(chat=chat, author="agent", name="Alex", body="Let me look", client_id="", now=at(20))
    chat_end(chat=chat, by="Alex", now=at(30))
    return chat


def test_agents_read_transcripts_with_filters_and_search(client, agent, transcript):
    client.force_login(agent)
    listing = client.get("/admin/livechat/chat/", {"q": "Let me look", "state__exact": "ended"})
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [transcript]
    filters = [spec.title for spec in listing.context["cl"].filter_specs]
    assert filters == ["state", "agent", "waiting since"]
    page = client.get(f"/admin/livechat/chat/{transcript.pk}/change/").content.decode()
    assert "Let me look" in page
    assert "Alex ended the chat." in page


def test_transcripts_are_read_only_even_for_a_superuser(client, admin_user, transcript):
    client.force_login(admin_user)
    page = client.get(f"/admin/livechat/chat/{transcript.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get("/admin/livechat/chat/add/").status_code == 403
    assert client.post(f"/admin/livechat/chat/{transcript.pk}/delete/").status_code == 403


def test_members_cannot_read_transcripts(client, silver, transcript):
    client.force_login(silver)
    assert client.get("/admin/livechat/chat/").status_code == 302

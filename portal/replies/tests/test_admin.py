"""The library of canned replies in the admin, as an agent of the group works it."""

import pytest
from django.urls import reverse

from portal.replies.models import CannedReply
from tickets.services import ticket_submit

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:replies_cannedreply_changelist")
ADD = reverse("admin:replies_cannedreply_add")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


def test_an_agent_sees_the_shared_replies_and_their_own(agent_client, agent, make_agent):
    CannedReply.objects.create(title="Mine", body_en="m", owner=agent)
    CannedReply.objects.create(title="Blake's own", body_en="b", owner=make_agent("blake"))
    response = agent_client.get(CHANGELIST)
    assert response.status_code == 200
    titles = {reply.title for reply in response.context["cl"].result_list}
    assert titles == {"Ask to file a ticket", "Mine"}


def test_an_agent_adds_a_personal_reply_but_never_another_agents(agent_client, agent, make_agent):
    blake = make_agent("blake")
    fields = {"title": "Thanks", "shortcut": "thx", "body_en": "Thank you, {first_name}."}
    refused = agent_client.post(ADD, {**fields, "owner": blake.pk})
    assert refused.status_code == 200
    assert "owner" in refused.context["adminform"].form.errors
    assert agent_client.post(ADD, {**fields, "owner": agent.pk}).status_code == 302
    reply = CannedReply.objects.get(shortcut="thx")
    assert (reply.owner, reply.body_pl, reply.uses) == (agent, "", 0)


def test_a_reply_without_an_english_body_is_refused(agent_client):
    response = agent_client.post(ADD, {"title": "PL only", "body_pl": "Dzięki"})
    assert response.status_code == 200
    assert "body_en" in response.context["adminform"].form.errors


def test_the_tickets_reply_box_carries_the_picker(agent_client, silver):
    ticket = ticket_submit(member=silver, language="pl", summary="Błąd", description="x")
    response = agent_client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    assert f'data-canned-replies="/canned-replies/?ticket={ticket.pk}"' in response.text
    assert "replies/picker.js" in response.text

import pytest
from django.core import mail

from tickets.models import Status
from tickets.services import (
    ticket_agent_post,
    ticket_assign,
    ticket_member_reply,
    ticket_set_status,
    ticket_submit,
)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the services defer to after the commit, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def polish_member(make_member):
    return make_member("ola", language="pl", first_name="Ola")


def submit(member, on_commit):
    with on_commit():
        return ticket_submit(member=member, language="pl", summary="Koszyk", description="Błąd")


def test_agents_hear_of_a_new_ticket(polish_member, agent, make_agent, on_commit):
    other = make_agent("agent2")
    ticket = submit(polish_member, on_commit)
    to_agents = [m for m in mail.outbox if m.to[0] != polish_member.email]
    assert {m.to[0] for m in to_agents} == {agent.email, other.email}
    message = to_agents[0]
    assert message.subject == f"New technical issue {ticket.reference}: Polski - Koszyk"
    assert f"/admin/tickets/ticket/{ticket.pk}/change/" in message.body


def test_the_member_hears_of_a_public_reply_in_their_language(polish_member, agent, on_commit):
    ticket = submit(polish_member, on_commit)
    mail.outbox.clear()
    with on_commit():
        ticket_agent_post(ticket=ticket, agent=agent, body="Jaki numer?", internal=False)
    [message] = mail.outbox
    assert message.to == [polish_member.email]
    assert message.subject == f"Odpowiedzieliśmy na Twoje zgłoszenie {ticket.reference}"
    assert "Jaki numer?" in message.body
    assert f"http://127.0.0.1:8000/tech-issues/{ticket.reference}/" in message.body


def test_no_one_hears_of_an_internal_note(polish_member, agent, on_commit):
    ticket = submit(polish_member, on_commit)
    mail.outbox.clear()
    with on_commit():
        ticket_agent_post(ticket=ticket, agent=agent, body="note", internal=True)
    assert mail.outbox == []


def test_the_member_hears_of_resolved(polish_member, agent, on_commit, make_member):
    english = make_member("eve", language="en")
    ticket = submit(english, on_commit)
    mail.outbox.clear()
    with on_commit():
        ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=agent)
    [message] = mail.outbox
    assert message.subject == f"Your technical issue {ticket.reference} is resolved"
    assert "If the problem is still there" in message.body


def test_the_assignee_alone_hears_of_a_member_reply(polish_member, agent, make_agent, on_commit):
    make_agent("agent2")
    ticket = submit(polish_member, on_commit)
    ticket_assign(ticket=ticket, assignee=agent, by=agent)
    mail.outbox.clear()
    with on_commit():
        ticket_member_reply(ticket=ticket, member=polish_member, body="Numer 42")
    [message] = mail.outbox
    assert message.to == [agent.email]
    assert "Numer 42" in message.body


def test_every_agent_hears_of_a_reply_on_an_unassigned_ticket(
    polish_member, agent, make_agent, on_commit
):
    make_agent("agent2")
    ticket = submit(polish_member, on_commit)
    mail.outbox.clear()
    with on_commit():
        ticket_member_reply(ticket=ticket, member=polish_member, body="Numer 42")
    assert len(mail.outbox) == 2

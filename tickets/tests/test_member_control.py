"""Member control over tickets (item 15): solved / closed by the member, the confirmation
e-mail, the closed e-mail that invites no reply, and My Technical Issues' filters."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tickets.models import Message, Status, Ticket
from tickets.services import ticket_agent_post, ticket_submit

LIST = reverse("tickets:list")


def set_status(client, ticket, status):
    return client.post(reverse("tickets:status", args=[ticket.reference]), {"status": status})


def test_the_member_marks_a_ticket_solved_and_a_reply_opens_it_again(client, silver, ticket):
    client.force_login(silver)
    response = set_status(client, ticket, "resolved")
    assert response.url == ticket.get_absolute_url()
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    event = ticket.messages.get(kind=Message.Kind.EVENT)
    assert (event.author, event.status) == (silver, Status.RESOLVED)
    page = client.get(ticket.get_absolute_url())
    assert "The ticket is marked as solved" in page.text
    assert "Mark as solved" not in page.text
    client.post(ticket.get_absolute_url(), {"body": "It broke again"})
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


def test_the_member_closes_a_ticket_for_good(client, silver, ticket):
    client.force_login(silver)
    set_status(client, ticket, "closed")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    page = client.get(ticket.get_absolute_url())
    assert "This ticket is closed" in page.text
    assert "Close the ticket" not in page.text
    set_status(client, ticket, "resolved")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert "could not be changed" in client.get(ticket.get_absolute_url()).text


@pytest.mark.parametrize("status", ["open", "awaiting_member", "new", "bogus", ""])
def test_the_member_sets_no_other_status(client, silver, ticket, status):
    client.force_login(silver)
    assert set_status(client, ticket, status).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_no_one_else_sets_a_members_status(client, diamond, agent, ticket):
    for other in (diamond, agent):
        client.force_login(other)
        assert set_status(client, ticket, "closed").status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW
    assert client.get(reverse("tickets:status", args=[ticket.reference])).status_code == 405


def test_the_member_gets_a_confirmation_with_the_reference(
    silver, make_member, django_capture_on_commit_callbacks
):
    ola = make_member("ola", language="pl", first_name="Ola")
    for member, words in ((silver, "We received your technical issue"), (ola, "Otrzymaliśmy")):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            ticket = ticket_submit(member=member, language="pl", summary="Koszyk", description="x")
        [message] = [m for m in mail.outbox if m.to == [member.email]]
        assert message.subject.startswith(f"{words}")
        assert ticket.reference in message.subject
        assert ticket.get_absolute_url() in message.body


def test_the_closed_e_mail_points_to_a_new_ticket_not_to_a_reply(
    silver, agent, ticket, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_agent_post(
            ticket=ticket, agent=agent, body="Fixed for good.", internal=False, then=Status.CLOSED
        )
    [message] = mail.outbox
    assert "reply on the ticket" not in message.body.lower()
    assert "takes no more replies" in message.body
    assert f"{reverse('tickets:new')}?language=en" in message.body


@pytest.fixture
def many(silver, make_ticket, agent):
    """Silver's tickets in every status, one with the words only in a message, one with
    them only in an internal note."""
    cart = make_ticket(silver, summary="Cart is empty")
    pay = make_ticket(silver, summary="Payment", description="The checkout says the CART expired")
    note = make_ticket(silver, summary="Login")
    ticket_agent_post(ticket=note, agent=agent, body="cart note", internal=True)
    done = make_ticket(silver, summary="Old cart question")
    done.apply_status(Status.CLOSED, by=agent)
    return {"cart": cart, "pay": pay, "note": note, "done": done}


def listed(client, **query):
    return [t.summary for t in client.get(LIST, query).context["page"]]


def test_it_searches_titles_and_the_messages_the_member_reads(client, silver, many):
    client.force_login(silver)
    assert sorted(listed(client, q="cart")) == ["Cart is empty", "Old cart question", "Payment"]
    assert listed(client, q="cart", status="closed") == ["Old cart question"]
    assert listed(client, status="new") == ["Login", "Payment", "Cart is empty"]
    assert listed(client, q="no such words") == []
    assert "No ticket matches" in client.get(LIST, {"q": "no such words"}).text


def test_it_never_searches_another_members_tickets(client, diamond, many):
    client.force_login(diamond)
    assert listed(client, q="cart") == []


def test_its_pages_keep_the_filters(client, silver, make_ticket, settings):
    settings.TICKETS_PER_PAGE = 2
    for n in range(5):
        make_ticket(silver, summary=f"Printer {n}")
    client.force_login(silver)
    page = client.get(LIST, {"q": "printer", "status": "new"})
    assert 'href="?q=printer&amp;status=new&amp;page=2"' in page.text


def test_500_tickets_list_in_a_constant_number_of_queries(client, silver, settings):
    Ticket.objects.bulk_create(
        Ticket(member=silver, language="en", summary=f"Issue {n}", reference=f"TI-9{n:05d}")
        for n in range(500)
    )
    client.force_login(silver)
    counts = []
    for query in ({}, {"page": 13}, {"q": "Issue 4", "page": 2}, {"status": "new", "page": 25}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST, query)
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 8


def test_the_closed_e_mail_offers_no_reply_by_e_mail(
    silver, agent, ticket, django_capture_on_commit_callbacks, settings
):
    settings.INBOUND_EMAIL = {"host": "127.0.0.1", "port": 143, "ssl": False, "folder": "INBOX"}
    settings.INBOUND_EMAIL_ADDRESS = "support@help.example.com"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_agent_post(ticket=ticket, agent=agent, body="Done.", internal=False, then="closed")
    [message] = mail.outbox
    assert "Reply-To" not in message.extra_headers
    assert "answer this e-mail" not in message.body.lower()

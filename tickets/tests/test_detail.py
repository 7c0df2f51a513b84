import pytest
from django.urls import reverse

from tickets.models import Message, Status
from tickets.services import ticket_agent_post, ticket_set_status
from tickets.tests.conftest import image_file


def test_it_shows_the_owner_the_thread_in_order(client, ticket, silver, agent):
    ticket_agent_post(ticket=ticket, agent=agent, body="Which order number?", internal=False)
    ticket_agent_post(ticket=ticket, agent=agent, body="SECRET NOTE", internal=True)
    client.force_login(silver)
    response = client.get(ticket.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert text.index("I click Order") < text.index("Which order number?")
    assert text.index("Which order number?") < text.index("Status changed to Awaiting your reply")
    assert "SECRET NOTE" not in text
    assert "Our tech support team is waiting for your reply." in text
    shot = ticket.messages.first().screenshots.get()
    assert shot.get_thumbnail_url() in text
    assert shot.get_absolute_url() in text


def test_an_address_in_a_message_is_a_link_and_markup_stays_text(client, ticket, silver, agent):
    body = "See https://help.example.com/orders?id=7.\n<b>bold</b>"
    ticket_agent_post(ticket=ticket, agent=agent, body=body, internal=False)
    client.force_login(silver)
    text = client.get(ticket.get_absolute_url()).text
    address = "https://help.example.com/orders?id=7"
    assert f'<a href="{address}" rel="nofollow">{address}</a>.<br>&lt;b&gt;bold' in text


def test_it_takes_the_members_reply_with_screenshots(client, ticket, silver, agent):
    ticket_agent_post(ticket=ticket, agent=agent, body="Which order?", internal=False)
    client.force_login(silver)
    response = client.post(
        ticket.get_absolute_url(), {"body": "Order 42", "screenshots": [image_file("r.png")]}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    reply = ticket.messages.filter(kind=Message.Kind.MEMBER).last()
    assert (reply.body, reply.screenshots.get().original_name) == ("Order 42", "r.png")


def test_it_keeps_a_rejected_reply(client, ticket, silver):
    client.force_login(silver)
    response = client.post(ticket.get_absolute_url(), {"body": "", "screenshots": []})
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert ticket.messages.count() == 1


def test_a_closed_ticket_offers_a_new_one_instead_of_a_reply(client, ticket, silver, agent):
    ticket_set_status(ticket=ticket, status=Status.CLOSED, by=agent)
    client.force_login(silver)
    response = client.post(ticket.get_absolute_url(), {"body": "Hello?"})
    assert response.status_code == 200
    assert "This ticket is closed" in response.text
    assert 'name="body"' not in response.text
    assert reverse("tickets:new") in response.text
    assert not ticket.messages.filter(body="Hello?").exists()


def test_another_member_gets_404(client, ticket, diamond):
    client.force_login(diamond)
    assert client.get(ticket.get_absolute_url()).status_code == 404
    assert client.post(ticket.get_absolute_url(), {"body": "x"}).status_code == 404
    assert not ticket.messages.filter(body="x").exists()


def test_an_unknown_reference_gets_404(client, silver):
    client.force_login(silver)
    assert client.get(reverse("tickets:detail", args=["TI-999999"])).status_code == 404


def test_below_the_gate_gets_the_gate_page(client, ticket, premier):
    client.force_login(premier)
    assert client.get(ticket.get_absolute_url()).status_code == 403


@pytest.mark.django_db
def test_a_visitor_is_sent_to_sign_in(client, ticket):
    response = client.get(ticket.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_agent_is_sent_to_the_admin_page(client, ticket, agent):
    client.force_login(agent)
    response = client.get(ticket.get_absolute_url())
    assert response.status_code == 302
    assert response.url == reverse("admin:tickets_ticket_change", args=[ticket.pk])

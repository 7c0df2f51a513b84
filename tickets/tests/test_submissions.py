"""A post whose answer was lost can be asked about, and sent again without a duplicate."""

from django.urls import reverse

from tickets.models import Message, Ticket

TOKEN = "k3y-of-this-form-0001"


def new_ticket(client, token=TOKEN):
    data = {
        "language": "en",
        "language_default": "en",
        "summary": "Cannot pay",
        "description": "The card form never loads.",
        "submission": token,
    }
    return client.post(reverse("tickets:new"), data)


def asked(client, token=TOKEN):
    response = client.get(reverse("tickets:submission", args=[token]))
    return response.json() if response.status_code == 200 else response.status_code


def test_the_form_carries_a_fresh_token(client, silver):
    client.force_login(silver)
    first, second = (client.get(reverse("tickets:new")).context["submission"] for _ in "12")
    assert first != second
    assert len(first) >= 16


def test_a_ticket_sent_twice_with_one_token_is_filed_once(client, silver):
    client.force_login(silver)
    assert asked(client) == 404
    first = new_ticket(client)
    again = new_ticket(client)
    ticket = Ticket.objects.get()
    assert first.url == again.url == ticket.get_absolute_url()
    assert asked(client) == {"stored": True, "url": ticket.get_absolute_url()}


def test_a_reply_sent_twice_with_one_token_is_stored_once(client, silver, ticket):
    client.force_login(silver)
    data = {"body": "Order 1234", "submission": TOKEN}
    first = client.post(ticket.get_absolute_url(), data)
    again = client.post(ticket.get_absolute_url(), data)
    message = Message.objects.get(body="Order 1234")
    assert first.url == again.url == f"{ticket.get_absolute_url()}#message-{message.pk}"
    assert asked(client)["stored"] is True


def test_another_members_token_tells_nothing(client, silver, diamond):
    client.force_login(silver)
    new_ticket(client)
    client.force_login(diamond)
    assert asked(client) == 404
    assert new_ticket(client).status_code == 302
    assert Ticket.objects.count() == 2


def test_a_malformed_token_is_never_stored(client, silver):
    client.force_login(silver)
    new_ticket(client, token="x")
    new_ticket(client, token="x")
    assert Ticket.objects.count() == 2
    assert asked(client, token="x") == 404

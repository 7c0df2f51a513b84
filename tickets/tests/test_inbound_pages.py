"""An e-mailed reply on the pages: the member sees it with its screenshot on the ticket's
page, the agent in the admin; administrators see what the mailbox received, read-only."""

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tickets.inbound.mailbox import poll
from tickets.inbound.models import InboundEmail
from tickets.services import ticket_agent_post
from tickets.tests.mail import message, png, reply_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def emailed(silver, agent, make_ticket, mailbox, django_capture_on_commit_callbacks):
    """silver's ticket, answered by an agent, and silver's e-mailed reply with a PNG."""
    ticket = make_ticket(silver, screenshots=[])
    with django_capture_on_commit_callbacks(execute=True):
        ticket_agent_post(ticket=ticket, agent=agent, body="Which order number?", internal=False)
    [notification] = [m for m in mail.outbox if m.to == [silver.email]]
    reply = reply_to(notification, sender=silver.email, text="Order 42, see the screenshot.")
    reply.add_attachment(png(), maintype="image", subtype="png", filename="cart-error.png")
    mailbox.deliver(reply)
    mailbox.deliver(message(sender="stranger@example.net", to="support@help.example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        poll()
    return ticket


def test_the_member_sees_the_e_mailed_reply_with_its_screenshot(client, silver, emailed):
    client.force_login(silver)
    page = client.get(emailed.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Order 42, see the screenshot." in html
    shot = emailed.messages.get(body__startswith="Order 42").screenshots.get()
    assert shot.get_thumbnail_url() in html
    assert "Screenshot cart-error.png" in html
    image = client.get(shot.get_absolute_url())
    assert (image.status_code, image["Content-Type"]) == (200, "image/png")


def test_the_agent_sees_it_in_the_admin(client, agent, emailed):
    client.force_login(agent)
    page = client.get(f"/admin/tickets/ticket/{emailed.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Order 42, see the screenshot." in html
    shot = emailed.messages.get(body__startswith="Order 42").screenshots.get()
    assert shot.get_absolute_url() in html
    assert client.get("/admin/tickets/inboundemail/").status_code == 403  # administrators'


def test_administrators_see_what_the_mailbox_received_read_only(client, emailed):
    admin = User.objects.create_superuser("root", "root@example.com", "portal-test")
    client.force_login(admin)
    listing = client.get("/admin/tickets/inboundemail/?outcome=not_a_reply")
    assert listing.status_code == 200
    assert "stranger@example.net" in listing.content.decode()
    kept = InboundEmail.objects.get(sender="stranger@example.net")
    page = client.get(f"/admin/tickets/inboundemail/{kept.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # nothing to change
    assert client.get("/admin/tickets/inboundemail/add/").status_code == 403
    posted = InboundEmail.objects.get(outcome="posted")
    assert (
        f"/admin/tickets/ticket/{emailed.pk}/change/"
        in client.get(f"/admin/tickets/inboundemail/{posted.pk}/change/").content.decode()
    )

"""Outgoing mail under the production settings: sending stores the message in the outbox,
`runmailer`'s pass (`send_mail`) delivers it, and mail the SMTP server cannot take is kept
for `retry_deferred`, not lost."""

import select
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from mailer.models import Message, MessageLog

from tickets.services import ticket_submit

SMTP = "django.core.mail.backends.smtp.EmailBackend"
DELIVERED = "django.core.mail.backends.locmem.EmailBackend"  # the outbox fixture's (conftest)


@pytest.fixture
def smtp_port(outbox):
    """Point the sender at a loopback port; the listening socket is the test's to use."""
    listener = socket.create_server(("127.0.0.1", 0))
    outbox.MAILER_EMAIL_BACKEND = SMTP
    outbox.EMAIL_HOST, outbox.EMAIL_PORT = listener.getsockname()
    yield listener
    listener.close()


def submit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ticket_submit(member=member, language="pl", summary="Koszyk", description="Błąd")


def test_sending_stores_the_mail_and_the_sender_delivers_it(
    outbox, silver, agent, django_capture_on_commit_callbacks
):
    ticket = submit(silver, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Message.objects.count() == 2  # the agent's notice and the member's receipt
    call_command("send_mail")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([silver.email, agent.email])
    assert any(ticket.reference in m.subject for m in mail.outbox)
    assert not Message.objects.exists()
    assert [log.message_data for log in MessageLog.objects.all()] == [None, None]


def test_a_ticket_is_filed_without_a_word_to_the_smtp_server(
    smtp_port, silver, agent, django_capture_on_commit_callbacks
):
    # The listener accepts connections but would never greet: a sender that talked to it
    # would hang until the timeout. Nothing connects at all.
    submit(silver, django_capture_on_commit_callbacks)
    readable, _, _ = select.select([smtp_port], [], [], 0.2)
    assert readable == []
    assert Message.objects.count() == 2


def test_mail_the_server_cannot_take_is_kept_and_sent_again(
    smtp_port, outbox, silver, agent, django_capture_on_commit_callbacks
):
    smtp_port.close()  # nothing listens there now: the connection is refused
    submit(silver, django_capture_on_commit_callbacks)
    call_command("send_mail")
    assert mail.outbox == []
    assert Message.objects.deferred().count() == 2
    assert MessageLog.objects.filter(result="3").count() == 2  # failures, each logged

    outbox.MAILER_EMAIL_BACKEND = DELIVERED  # the server is back
    call_command("send_mail")
    assert mail.outbox == []  # deferred mail waits for the retry, not for the next pass
    call_command("retry_deferred")
    call_command("send_mail")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([silver.email, agent.email])
    assert not Message.objects.exists()


def test_the_outbox_is_for_administrators_only(client, agent, admin_user):
    client.force_login(agent)
    assert client.get("/admin/mailer/message/").status_code == 403
    assert b"/admin/mailer/" not in client.get("/admin/").content
    client.force_login(admin_user)
    assert client.get("/admin/mailer/message/").status_code == 200

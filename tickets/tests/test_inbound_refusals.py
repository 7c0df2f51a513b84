"""Mail that must not become a reply: auto-replies, bounces, forged or foreign senders,
closed tickets, repeats, and the bounded answers the portal sends about them."""

import pytest
from django.core import mail

from tickets.models import InboundEmail, Status
from tickets.services import ticket_set_status
from tickets.tests.mail import message, poll_now, replies, reply_to

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"Precedence": "junk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_it_drops_an_auto_reply_without_answering(answered, silver, mailbox, on_commit, headers):
    ticket, notification = answered
    out_of_office = reply_to(notification, sender=silver.email, text="I am away until Monday.")
    for name, value in headers.items():
        out_of_office[name] = value
    mailbox.deliver(out_of_office)
    [record] = poll_now(on_commit)
    assert record.outcome == Outcome.AUTOMATIC
    assert replies(ticket) == []
    assert mail.outbox == []


def test_it_drops_a_bounce_without_answering(answered, mailbox, on_commit):
    ticket, notification = answered
    bounce = message(
        sender="MAILER-DAEMON@mail.example.net",
        to=notification.extra_headers["Reply-To"],
        subject="Undelivered Mail Returned to Sender",
        text="This is the mail system. I'm sorry to have to inform you...",
    )
    bounce.make_mixed()
    bounce.set_type("multipart/report")
    bounce.set_param("report-type", "delivery-status")
    mailbox.deliver(bounce)
    [record] = poll_now(on_commit)
    assert (record.outcome, record.ticket) == (Outcome.AUTOMATIC, None)
    assert "multipart/report" in record.reason
    assert replies(ticket) == []
    assert mail.outbox == []


def test_a_forged_token_is_kept_and_answered_once_an_hour(answered, silver, mailbox, on_commit):
    ticket, notification = answered
    address = notification.extra_headers["Reply-To"]
    forged = address.replace(address.split(".")[1][:20], "0" * 20)
    for text in ("Forged once.", "Forged twice."):
        mail_ = message(sender=silver.email, to=forged, subject="Re: help", text=text)
        mailbox.deliver(mail_)
    records = poll_now(on_commit)
    assert [(r.outcome, r.reason) for r in records] == [
        (Outcome.UNMATCHED, "the signature does not verify")
    ] * 2
    assert records[0].text == "Forged once."  # kept for an administrator
    assert replies(ticket) == []
    [answer] = mail.outbox
    assert answer.to == [silver.email]
    assert "could not match your e-mail" in answer.body
    assert "/tech-issues/new/" in answer.body


def test_a_reply_from_another_address_is_not_posted(answered, diamond, mailbox, on_commit):
    ticket, notification = answered
    mailbox.deliver(reply_to(notification, sender="silver@elsewhere.example", text="Me too"))
    mailbox.deliver(reply_to(notification, sender=diamond.email, text="Me as well"))
    records = poll_now(on_commit)
    assert {r.outcome for r in records} == {Outcome.UNMATCHED}
    assert all(r.ticket == ticket for r in records)
    assert replies(ticket) == []
    assert sorted(m.to[0] for m in mail.outbox) == [diamond.email, "silver@elsewhere.example"]


def test_a_reply_to_a_closed_ticket_is_answered_with_a_new_ticket_link(
    answered, silver, agent, mailbox, on_commit
):
    ticket, notification = answered
    ticket_set_status(ticket=ticket, status=Status.CLOSED, by=agent)
    silver.profile.preferred_language = "pl"
    silver.profile.save()
    mailbox.deliver(reply_to(notification, sender=silver.email, text="Jeszcze jedno."))
    [record] = poll_now(on_commit)
    assert record.outcome == Outcome.CLOSED
    assert replies(ticket) == []
    [answer] = mail.outbox
    assert f"nie został dodany do zgłoszenia {ticket.reference}" in answer.body
    assert "http://127.0.0.1:8000/tech-issues/new/" in answer.body


def test_the_same_message_delivered_twice_is_posted_once(answered, silver, mailbox, on_commit):
    ticket, notification = answered
    reply = reply_to(notification, sender=silver.email, text="Only once, please.")
    mailbox.deliver(reply)
    mailbox.deliver(reply)
    records = poll_now(on_commit)
    assert [r.outcome for r in records] == [Outcome.POSTED, Outcome.DUPLICATE]
    assert [r.body for r in replies(ticket)] == ["Only once, please."]
    assert poll_now(on_commit) == []  # and a poll later reads nothing again


def test_a_mail_that_is_not_a_reply_gets_a_link_to_a_new_ticket(silver, mailbox, on_commit):
    mailbox.deliver(message(sender=silver.email, to="support@help.example.com", text="Help!"))
    [record] = poll_now(on_commit)
    assert record.outcome == Outcome.NOT_A_REPLY
    [answer] = mail.outbox
    assert "please submit a new tech issue" in answer.body
    assert "http://127.0.0.1:8000/tech-issues/new/" in answer.body


def test_it_never_answers_its_own_mail(mailbox, on_commit):
    own = message(sender="support@help.example.com", to="support@help.example.com", text="x")
    mailbox.deliver(own)
    [record] = poll_now(on_commit)
    assert record.outcome == Outcome.OWN
    assert mail.outbox == []


def test_one_sender_gets_a_bounded_number_of_answers_an_hour(
    answered, silver, agent, mailbox, on_commit, settings
):
    settings.INBOUND_EMAIL_ANSWERS_PER_HOUR = 3
    ticket, notification = answered
    ticket_set_status(ticket=ticket, status=Status.CLOSED, by=agent)
    for number in range(5):
        mailbox.deliver(reply_to(notification, sender=silver.email, text=f"Try {number}"))
    records = poll_now(on_commit)
    assert [r.outcome for r in records] == [Outcome.CLOSED] * 5
    assert len(mail.outbox) == 3
    assert sum(r.answered_at is not None for r in records) == 3

"""Reply by e-mail, against a real IMAP server: messages are delivered into dovecot with
APPEND, the poller reads them, and each test asserts what the ticket holds and what the
portal answered (Django's locmem outbox)."""

import ssl

import pytest
from django.core import mail
from django.core.management import call_command
from PIL import Image

from portal.models import Rank
from tickets.inbound.mailbox import poll
from tickets.models import InboundEmail, Message, Screenshot, Status
from tickets.services import ticket_agent_post, ticket_assign, ticket_set_status
from tickets.tests.mail import PDF, jpeg_with_gps, message, png, poll_now, replies, reply_to

pytestmark = pytest.mark.django_db
Outcome = InboundEmail.Outcome


def test_it_posts_a_plain_reply_as_the_page_does(answered, silver, agent, mailbox, on_commit):
    ticket, notification = answered
    mailbox.deliver(reply_to(notification, sender=silver.email, text="Order 42, thanks."))
    [record] = poll_now(on_commit)
    assert record.outcome == Outcome.POSTED
    [reply] = replies(ticket)
    assert (reply.body, reply.author, record.posted) == ("Order 42, thanks.", silver, reply)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN  # Awaiting your reply -> Open, as on the page
    [told] = mail.outbox  # the agents hear of it as of a reply on the page
    assert told.to == [agent.email]
    assert "Order 42, thanks." in told.body
    assert mailbox.seen() == 1


def test_it_reopens_a_resolved_ticket(answered, silver, agent, mailbox, on_commit):
    ticket, _notification = answered
    with on_commit():
        ticket_set_status(ticket=ticket, status=Status.RESOLVED, by=agent)
    [resolved] = mail.outbox
    mailbox.deliver(reply_to(resolved, sender=silver.email, text="It is back again."))
    poll_now(on_commit)
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert [reply.body for reply in replies(ticket)] == ["It is back again."]


def test_it_reads_html_only_mail_as_text(answered, silver, mailbox, on_commit):
    ticket, notification = answered
    html = (
        "<html><head><style>p {color: red}</style></head><body><p>Order <b>42</b> &amp; 43"
        "<script>alert(1)</script></p><p>Both fail.</p><img src=x onerror=alert(2)>"
        '<div class="gmail_quote">On Tue, 1 Dec 2026 at 10:00, Tech Support '
        "&lt;support@help.example.com&gt; wrote:<blockquote>Which order number?</blockquote>"
        "</div></body></html>"
    )
    mailbox.deliver(reply_to(notification, sender=silver.email, html=html))
    poll_now(on_commit)
    [reply] = replies(ticket)
    assert reply.body == "Order 42 & 43\n\nBoth fail."


def test_it_keeps_the_png_and_tells_the_member_of_the_pdf(answered, silver, mailbox, on_commit):
    ticket, notification = answered
    mail_ = reply_to(notification, sender=silver.email, text="Screenshot and invoice.")
    mail_.add_attachment(png(), maintype="image", subtype="png", filename="error.png")
    mail_.add_attachment(PDF, maintype="application", subtype="pdf", filename="invoice.pdf")
    mailbox.deliver(mail_)
    [record] = poll_now(on_commit)
    [reply] = replies(ticket)
    [shot] = reply.screenshots.all()
    assert (shot.original_name, shot.content_type) == ("error.png", "image/png")
    assert record.attachments == "error.png, invoice.pdf"
    [answer] = [m for m in mail.outbox if m.to == [silver.email]]
    assert "invoice.pdf: only screenshots are kept." in answer.body
    assert answer.extra_headers["Auto-Submitted"] == "auto-replied"
    assert f"/tech-issues/{ticket.reference}/" in answer.body


def test_it_stores_a_photo_without_its_gps(answered, silver, mailbox, on_commit):
    ticket, notification = answered
    mail_ = reply_to(notification, sender=silver.email, text="A photo of the screen.")
    mail_.add_attachment(jpeg_with_gps(), maintype="image", subtype="jpeg", filename="p.jpg")
    mailbox.deliver(mail_)
    poll_now(on_commit)
    [shot] = Screenshot.objects.filter(message__ticket=ticket, original_name="p.jpg")
    with shot.image.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    assert mail.outbox == [m for m in mail.outbox if m.to != [silver.email]]  # nothing to tell


OUTLOOK_EN = """It still fails after the update.

Best regards,
Sylwia

________________________________
From: Tech Support <support@help.example.com>
Sent: Tuesday, December 1, 2026 10:00 AM
To: Sylwia <silver@example.com>
Subject: We answered your technical issue

Hello Sylwia,
Which order number?"""

OUTLOOK_PL = """Nadal nie działa po aktualizacji.

Pozdrawiam
Sylwia

________________________________
Od: Tech Support <support@help.example.com>
Wysłane: wtorek, 1 grudnia 2026 10:00
Do: Sylwia <silver@example.com>
Temat: Odpowiedzieliśmy na Twoje zgłoszenie

Dzień dobry Sylwia,
Jaki numer zamówienia?"""

GMAIL_EN = """It still fails after the update.

On Tue, 1 Dec 2026 at 10:00, Tech Support <support@help.example.com> wrote:
> Hello Sylwia,
> Which order number?"""

GMAIL_PL = """Nadal nie działa po aktualizacji.

wt., 1 gru 2026 o 10:00 Tech Support <support@help.example.com> napisał(a):
> Dzień dobry Sylwia,
> Jaki numer zamówienia?"""


@pytest.mark.parametrize(
    ("text", "new"),
    [
        (OUTLOOK_EN, "It still fails after the update."),
        (OUTLOOK_PL, "Nadal nie działa po aktualizacji."),
        (GMAIL_EN, "It still fails after the update."),
        (GMAIL_PL, "Nadal nie działa po aktualizacji."),
    ],
    ids=["outlook-en", "outlook-pl", "gmail-en", "gmail-pl"],
)
def test_it_keeps_only_the_new_text_of_a_quoted_reply(
    answered, silver, mailbox, on_commit, text, new
):
    ticket, notification = answered
    mailbox.deliver(reply_to(notification, sender=silver.email, text=text))
    poll_now(on_commit)
    assert [reply.body for reply in replies(ticket)] == [new]


def test_the_assignee_may_answer_by_e_mail_as_a_public_reply(
    silver, agent, make_ticket, mailbox, on_commit
):
    ticket = make_ticket(silver)
    ticket_assign(ticket=ticket, assignee=agent, by=agent)
    mail.outbox.clear()
    with on_commit():
        from tickets.services import ticket_member_reply

        ticket_member_reply(ticket=ticket, member=silver, body="Any news?")
    [notification] = mail.outbox
    assert notification.to == [agent.email]
    assert "Answer this e-mail to send the member a public reply" in notification.body
    mail.outbox.clear()
    mailbox.deliver(reply_to(notification, sender=agent.email, text="Fixed, please retry."))
    poll_now(on_commit)
    reply = ticket.messages.filter(kind=Message.Kind.REPLY).get()
    assert (reply.body, reply.author) == ("Fixed, please retry.", agent)
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_MEMBER
    [told] = mail.outbox
    assert told.to == [silver.email]


def test_without_a_mailbox_nothing_polls_and_notifications_say_reply_on_the_page(
    silver, agent, make_ticket, on_commit, settings
):
    settings.INBOUND_EMAIL = None
    out = __import__("io").StringIO()
    call_command("poll_inbound_email", stdout=out)
    assert "INBOUND_EMAIL_URL is not set" in out.getvalue()
    ticket = make_ticket(silver)
    with on_commit():
        ticket_agent_post(ticket=ticket, agent=agent, body="Which one?", internal=False)
    [notification] = mail.outbox
    assert "Reply-To" not in notification.extra_headers
    assert "reply on the ticket's page" in notification.body
    assert "answer this e-mail" not in notification.body


def test_the_message_id_alone_threads_a_reply(answered, silver, mailbox, on_commit):
    # Some clients answer the From address, not Reply-To: the signed Message-ID that the
    # reply quotes in In-Reply-To is the second key.
    ticket, notification = answered
    reply = reply_to(notification, sender=silver.email, text="Sent to the plain address.")
    reply.replace_header("To", "support@help.example.com")
    mailbox.deliver(reply)
    [record] = poll_now(on_commit)
    assert (record.outcome, record.ticket) == (Outcome.POSTED, ticket)


def test_a_message_too_large_to_read_is_kept_and_answered(
    answered, silver, mailbox, on_commit, settings
):
    settings.INBOUND_EMAIL_MAX_BYTES = 20_000
    ticket, notification = answered
    large = reply_to(notification, sender=silver.email, text="A big one.")
    large.add_attachment(bytes(range(256)) * 100, maintype="application", subtype="zip")
    mailbox.deliver(large)
    [record] = poll_now(on_commit)
    assert (record.outcome, record.sender) == (Outcome.TOO_LARGE, silver.email)
    assert replies(ticket) == []
    [answer] = mail.outbox
    assert "too large for us to read" in answer.body


def test_a_mail_the_reader_cannot_parse_is_kept_not_fatal(mailbox, on_commit):
    mailbox.deliver(b"From: \xff\xfe\r\nContent-Type: multipart/mixed; boundary=\r\n\r\n--\r\n")
    mailbox.deliver(message(sender="x@example.net", to="support@help.example.com", text="Hi"))
    records = poll_now(on_commit)
    assert len(records) == 2  # the first did not stop the poll
    assert records[1].outcome == Outcome.NOT_A_REPLY


def test_replies_by_e_mail_keep_the_pages_rate_limit(
    answered, silver, mailbox, on_commit, settings
):
    settings.RATE_LIMIT_REPLIES_PER_MEMBER = "2/m"
    ticket, notification = answered
    for number in range(3):
        mailbox.deliver(reply_to(notification, sender=silver.email, text=f"Reply {number}"))
    records = poll_now(on_commit)
    assert [r.outcome for r in records] == [Outcome.POSTED, Outcome.POSTED, Outcome.TOO_MANY]
    assert [r.body for r in replies(ticket)] == ["Reply 0", "Reply 1"]
    [answer] = [m for m in mail.outbox if m.to == [silver.email]]
    assert "many replies in a short time" in answer.body


def test_a_mailbox_that_cannot_be_reached_fails_the_command(mailbox, settings):
    from django.core.management.base import CommandError

    from tests.servers import free_port

    settings.INBOUND_EMAIL = {**settings.INBOUND_EMAIL, "port": free_port()}
    with pytest.raises(CommandError, match="the mailbox could not be read"):
        call_command("poll_inbound_email")
    settings.INBOUND_EMAIL = {
        **settings.INBOUND_EMAIL,
        "port": mailbox.server.port,
        "password": "wrong",
    }
    with pytest.raises(CommandError, match="the mailbox could not be read"):
        call_command("poll_inbound_email")


def test_imaps_reads_only_a_server_whose_certificate_verifies(dovecot_tls, settings, monkeypatch):
    settings.INBOUND_EMAIL = {
        **{"host": "127.0.0.1", "port": dovecot_tls.port, "ssl": True, "folder": "INBOX"},
        **{"username": dovecot_tls.user, "password": dovecot_tls.password},
    }
    with pytest.raises(ssl.SSLCertVerificationError):
        poll()  # a self-signed certificate nobody said to trust
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot_tls.certificate))
    assert poll() == []  # signed in over TLS, read the (empty) folder


def test_a_member_the_pages_would_refuse_cannot_reply_by_e_mail(
    answered, silver, mailbox, on_commit
):
    ticket, notification = answered
    silver.profile.rank = Rank.PREMIER  # below the gate now
    silver.profile.save()
    mailbox.deliver(reply_to(notification, sender=silver.email, text="Still me."))
    [record] = poll_now(on_commit)
    assert (record.outcome, record.reason) == (
        Outcome.UNMATCHED,
        "the member's rank no longer opens Technical Issues",
    )
    assert replies(ticket) == []

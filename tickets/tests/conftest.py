import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tickets.services import ticket_agent_post, ticket_submit


def image_file(name="shot.png", image_format="PNG", size=(40, 30), **save_kwargs):
    """An upload made here with Pillow (the test corpus is generated, never stored)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, image_format, **save_kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def make_ticket():
    def make(member, summary="Cannot process order", language="en", screenshots=(), **kwargs):
        return ticket_submit(
            member=member,
            language=language,
            summary=summary,
            description=kwargs.pop("description", "I click Order and see Error 500."),
            screenshots=screenshots,
        )

    return make


@pytest.fixture
def ticket(silver, make_ticket):
    return make_ticket(silver, screenshots=[image_file()])


# Reply by e-mail: a real IMAP server (Debian's dovecot), once per test session -----------


@pytest.fixture(scope="session")
def dovecot():
    from tests.servers import Dovecot

    server = Dovecot().start()  # fails, never skips, when dovecot is missing
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_tls():
    from tests.servers import Dovecot

    server = Dovecot(tls=True).start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot, settings):
    """The support mailbox, emptied, as INBOUND_EMAIL_URL would name it; `deliver` puts
    a message in it as a mail server would (IMAP APPEND)."""
    from tickets.tests.mail import Mailbox

    settings.INBOUND_EMAIL = {
        "host": "127.0.0.1",
        "port": dovecot.port,
        "ssl": False,
        "username": dovecot.user,
        "password": dovecot.password,
        "folder": "INBOX",
    }
    settings.DEFAULT_FROM_EMAIL = "Tech Support <support@help.example.com>"
    settings.INBOUND_EMAIL_ADDRESS = "support@help.example.com"
    with Mailbox(dovecot) as box:
        box.empty()
        yield box


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what is deferred to after each commit (answers, notifications), as in a poll."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def answered(silver, agent, make_ticket, mailbox, on_commit):
    """silver's ticket, Awaiting your reply, and the notification silver got about it."""
    ticket = make_ticket(silver)
    with on_commit():
        ticket_agent_post(ticket=ticket, agent=agent, body="Which order number?", internal=False)
    [notification] = [m for m in mail.outbox if m.to == [silver.email]]
    mail.outbox.clear()
    return ticket, notification

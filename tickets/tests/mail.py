"""Mail for the reply-by-e-mail tests: messages as mail clients write them, delivered into
the test's dovecot with IMAP APPEND (no mock of IMAP anywhere)."""

import imaplib
import io
from email.message import EmailMessage
from email.utils import make_msgid

from PIL import Image

from tickets.inbound.mailbox import poll
from tickets.models import InboundEmail, Message
from tickets.tests.conftest import image_file


class Mailbox:
    def __init__(self, server):
        self.server = server

    def __enter__(self):
        self.imap = imaplib.IMAP4("127.0.0.1", self.server.port)
        self.imap.login(self.server.user, self.server.password)
        self.imap.select("INBOX")
        return self

    def __exit__(self, *exc):
        self.imap.logout()

    def empty(self) -> None:
        self.imap.uid("STORE", "1:*", "+FLAGS.SILENT", r"(\Deleted)")
        self.imap.expunge()

    def deliver(self, message: EmailMessage | bytes) -> None:
        raw = message if isinstance(message, bytes) else message.as_bytes()
        status, _data = self.imap.append("INBOX", None, None, raw)
        assert status == "OK"

    def seen(self) -> int:
        self.imap.select("INBOX")
        return len(self.imap.uid("SEARCH", None, "SEEN")[1][0].split())


def reply_to(notification, *, sender: str, text: str = "", html: str = "", **headers):
    """A reply to one of the portal's notifications (an EmailMessage in Django's outbox),
    sent to its Reply-To and answering its Message-ID, as a mail client does."""
    mail = message(
        sender=sender,
        to=notification.extra_headers["Reply-To"],
        subject="Re: " + notification.subject,
        text=text,
        html=html,
    )
    mail["In-Reply-To"] = notification.extra_headers["Message-ID"]
    mail["References"] = notification.extra_headers["Message-ID"]
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    return mail


def message(*, sender: str, to: str, subject="Hello", text="", html="") -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Message-ID"] = make_msgid(domain="mail.example.net")
    if text:
        mail.set_content(text)
    if html:
        (mail.add_alternative if text else mail.set_content)(html, subtype="html")
    return mail


def png(size=(40, 30)) -> bytes:
    return image_file("shot.png", "PNG", size=size).read()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 13.0, 47.0)  # GPSLatitudeRef, GPSLatitude
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def poll_now(on_commit) -> list[InboundEmail]:
    with on_commit():
        return poll()


def replies(ticket):
    return list(ticket.messages.filter(kind=Message.Kind.MEMBER).order_by("id"))[1:]

"""What a received message says: who sent it, whether a machine did, its new text, files.

Nothing here touches the database; `read` never raises on a malformed message (a part it
cannot decode is read as empty or replaced characters), so no mail stops the poller.
"""

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses
from html.parser import HTMLParser

import nh3
from mailparser_reply import EmailReplyParser
from mailparser_reply.constants import MAIL_LANGUAGES

from tickets.languages import LANGUAGES_BY_CODE

# The reply parser knows the headers ("On ... wrote:", "From: ... Sent: ...") and
# signatures of these; all the portal's languages that it knows are tried on every reply.
REPLY_LANGUAGES = [code for code in LANGUAGES_BY_CODE if code in MAIL_LANGUAGES]
MACHINE_SENDERS = re.compile(r"(mailer-daemon|postmaster|no-?reply|do-?not-?reply)(\+.*)?@", re.I)


@dataclass
class File:
    name: str
    content_type: str
    data: bytes


@dataclass
class Reading:
    sender: str  # the one From address, lower case; "" when there is none or several
    message_id: str
    subject: str
    automatic: str  # why this is an auto-reply, a bounce or a list's mail; "" if not
    text: str = ""  # the new text only: no quoted history, no signature
    images: list[File] = field(default_factory=list)
    others: list[File] = field(default_factory=list)
    mail: EmailMessage | None = None


def parse(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)


def read(mail: EmailMessage) -> Reading:
    senders = getaddresses(header_values(mail, "From"))
    addresses = {printable(a.strip().lower()) for _name, a in senders if "@" in a}
    reading = Reading(
        sender=addresses.pop() if len(addresses) == 1 else "",
        message_id=_header(mail, "Message-ID")[:250],
        subject=_header(mail, "Subject")[:250],
        automatic=automatic(mail),
        mail=mail,
    )
    body = mail.get_body(preferencelist=("plain", "html"))
    if body is not None:
        text = _text_of(body)
        if body.get_content_type() == "text/html":
            text = html_to_text(text)
        reading.text = printable(new_text(text))
    for part in mail.walk():
        if part.is_multipart() or part is body or _is_alternative_body(part):
            continue
        file = File(_file_name(part), part.get_content_type(), _bytes_of(part))
        (reading.images if file.content_type.startswith("image/") else reading.others).append(file)
    return reading


def automatic(mail: EmailMessage) -> str:
    """Why the message was sent by a machine (RFC 3834 and the headers that mail systems
    use before it), or "" for a message a person wrote."""
    submitted = _header(mail, "Auto-Submitted").lower()
    if submitted and submitted != "no":
        return f"Auto-Submitted: {submitted}"
    precedence = _header(mail, "Precedence").lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if mail.get_content_type() == "multipart/report":
        return "a delivery or read report (multipart/report)"
    for name in ("X-Autoreply", "X-Autorespond", "List-Id", "List-Unsubscribe"):
        if name in mail:
            return f"{name} is set"
    if _header(mail, "Return-Path") == "<>":
        return "an empty Return-Path (a bounce)"
    if MACHINE_SENDERS.match(_header(mail, "From").rpartition("<")[2]):
        return "sent by a mail system"
    return ""


def new_text(text: str) -> str:
    """Only what the sender wrote this time: the reply parser drops the quoted history
    after "On ... wrote:" or an Outlook header block, and the signature; lines quoted with
    ">" are never new text either."""
    replies = EmailReplyParser(languages=REPLY_LANGUAGES).read(text).replies
    kept: list[str] = []
    for line in (replies[0].body if replies else "").splitlines():
        if not line.lstrip().startswith(">"):
            kept.append(line)
            continue
        # The line that introduced the quote goes with it, in the wordings the parser
        # does not know ("wt., 1 gru 2026 o 10:00 ... napisał(a):", "... pisze:").
        while kept and not kept[-1].strip():
            kept.pop()
        if kept and kept[-1].rstrip().endswith(":"):
            kept.pop()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


# HTML-only mail -------------------------------------------------------------------------------

BLOCKS = {"p", "div", "br", "li", "tr", "table", "ul", "ol", "blockquote", "pre", "hr"}
BLOCKS |= {f"h{level}" for level in range(1, 7)}


def html_to_text(html: str) -> str:
    """Plain text of an HTML body. ammonia (nh3) parses it as a browser would and keeps
    only the tags that shape text, without attributes, scripts, styles or comments; the
    stdlib parser then walks that clean markup. Quoted parts (blockquote) become lines
    quoted with ">", which new_text drops."""
    clean = nh3.clean(
        html,
        tags=BLOCKS | {"td", "th"},
        clean_content_tags={"script", "style", "head", "title", "template"},
        attributes={},
        strip_comments=True,
        link_rel=None,
    )
    walker = _TextWalker()
    walker.feed(clean)
    walker.close()
    return walker.text()


class _TextWalker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quoted = 0
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        self._tag(tag, +1)

    def handle_endtag(self, tag):
        self._tag(tag, -1)

    def _tag(self, tag: str, step: int) -> None:
        if tag in BLOCKS:
            self.lines.append("")
        if tag in ("td", "th") and step > 0:
            self.lines[-1] += " "
        if tag == "blockquote":
            self.quoted = max(0, self.quoted + step)
        if tag == "pre":
            self.pre = max(0, self.pre + step)

    def handle_data(self, data):
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        for number, piece in enumerate(data.split("\n")):
            if number:
                self.lines.append("")
            if not self.lines[-1] and piece.strip():
                self.lines[-1] = "> " * self.quoted
            self.lines[-1] += piece

    def text(self) -> str:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in self.lines)).strip()


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(text: str) -> str:
    """Without control characters: a page's form refuses NUL (PostgreSQL cannot store it),
    and nothing a person writes needs the others."""
    return CONTROL.sub("", text)


# Parts ----------------------------------------------------------------------------------------


def header_values(mail: EmailMessage, name: str) -> list[str]:
    """Every value of a header, as text. The standard library raises on some values it
    cannot parse ("From: <"): those are read as the raw text that came."""
    try:
        values = [str(value) for value in mail.get_all(name, failobj=[])]
    except Exception:
        values = [str(value) for key, value in mail.raw_items() if key.lower() == name.lower()]
    return [printable(" ".join(value.split())) for value in values]


def _header(mail: EmailMessage, name: str) -> str:
    values = header_values(mail, name)
    return values[0] if values else ""


def _is_alternative_body(part: EmailMessage) -> bool:
    """A text part that is another rendering of the body, not a file."""
    return (
        part.get_content_type() in ("text/plain", "text/html")
        and part.get_content_disposition() != "attachment"
        and not part.get_filename()
    )


def _text_of(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):  # unknown charset etc.
        return _bytes_of(part).decode("utf-8", "replace")


def _bytes_of(part: EmailMessage) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _file_name(part: EmailMessage) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    return printable(" ".join(name.split()))[:100] or part.get_content_type()

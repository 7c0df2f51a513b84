"""The reader of received mail on hostile input (hypothesis): whatever bytes arrive, it
answers a Reading, the poller records an outcome, and HTML never brings markup along."""

import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tickets.inbound.reading import html_to_text, parse, read
from tickets.inbound.receive import Place, receive

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADER = st.sampled_from(
    [
        b"From: ", b"To: ", b"Subject: ", b"Content-Type: ", b"Content-Transfer-Encoding: ",
        b"Auto-Submitted: ", b"References: ", b"Message-ID: ", b"MIME-Version: 1.0",
        b"Content-Type: multipart/mixed; boundary=b", b"Content-Type: text/html; charset=x-bad",
        b"--b", b"--b--", b"", b"Content-Disposition: attachment; filename*=utf-8''%FF%FE",
    ]
)  # fmt: skip
LINE = st.tuples(HEADER, st.binary(max_size=60)).map(b"".join)
RAW = st.lists(LINE, max_size=25).map(b"\r\n".join)
HTML = st.lists(
    st.sampled_from(["<p>", "</p>", "<blockquote>", "</blockquote>", "<script>", "</script>",
                     "<style>", "<br>", "<!--", "-->", "&amp;", "&#0;", "<pre>", "<b", "x ", "\n"])
    | st.text(max_size=20),
    max_size=40,
).map("".join)  # fmt: skip
UIDS = itertools.count(1)


@FUZZ
@given(raw=RAW)
@example(raw=b"From: <\r\nTo: <\r\nReferences: <\r\nX-Autoreply: <")  # the stdlib raises on these
def test_it_reads_whatever_bytes_arrive(raw):
    reading = read(parse(raw))
    assert isinstance(reading.text, str)
    assert reading.sender == "" or "@" in reading.sender
    assert "\x00" not in reading.text + reading.subject + reading.sender + reading.message_id


@FUZZ
@given(html=HTML)
def test_html_becomes_text_without_markup_or_scripts(html):
    # First: what follows may leave a tag open ("<b"), which swallows what comes after it,
    # as in a browser.
    text = html_to_text("<script>alert(1)</script>" + html)
    assert "<script" not in text
    assert "alert(1)" not in text


@pytest.mark.django_db
@FUZZ
@given(raw=RAW)
def test_every_message_gets_an_outcome(raw, settings_inbound):
    record = receive(raw, place=Place("INBOX", 1, next(UIDS)))
    assert record is not None
    assert record.outcome


@pytest.fixture
def settings_inbound(settings):
    settings.INBOUND_EMAIL_ADDRESS = "support@help.example.com"

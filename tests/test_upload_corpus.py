"""Hostile uploads beyond the tickets' own corpus (tickets/tests/test_uploads.py), sent as a
browser or a script would, through the whole request cycle: each is refused with a 4xx that
says why (or, for a valid image under a hostile name, stored under a random name), never a
500, and the Python heap the request takes stays bounded (tracemalloc peak, measured around
the handler only: the test's own copy of the body is built before)."""

import io
import tracemalloc

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from tickets.models import Screenshot, Ticket
from tickets.tests.conftest import image_file

BOUNDARY = "hostile-boundary-7c1e"
MB = 1024 * 1024
FIELDS = {"language": "en", "summary": "Kept summary", "description": "Kept description"}


class Measured:
    """Wrap a test client's handler and keep the peak of traced memory of each request."""

    def __init__(self, handler):
        self.handler, self.peak = handler, 0

    def __call__(self, environ):
        tracemalloc.start()
        try:
            return self.handler(environ)
        finally:
            self.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()


@pytest.fixture
def member(client, silver):
    client.force_login(silver)
    client.handler = Measured(client.handler)
    return client


def multipart(files, fields=FIELDS) -> bytes:
    """A multipart body written by hand, so file names can hold what no browser would
    send: each file is (Content-Disposition filename parameter, bytes)."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for filename, content in files:
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="screenshots"; {filename}\r\n'
        parts.append(head.encode() + b"Content-Type: image/png\r\n\r\n" + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post(client, body: bytes):
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    return client.post(reverse("tickets:new"), body, content_type=content_type)


def png(size=(40, 30), **save) -> bytes:
    return image_file("x.png", "PNG", size, **save).read()


def polyglot() -> bytes:
    """A valid PNG that is also an HTML page: the markup in a text chunk and after IEND."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<html><script>alert('polyglot')</script></html>")
    return png(pnginfo=info) + b"<html><body><script>alert('polyglot')</script></body></html>"


def fits() -> bytes:
    """A real FITS image (4 x 4, 8-bit), which Pillow can read but the portal must not."""
    cards = ["SIMPLE  = T", "BITPIX  = 8", "NAXIS   = 2", "NAXIS1  = 4", "NAXIS2  = 4", "END"]
    header = "".join(card.ljust(80) for card in cards).ljust(2880).encode()
    return header + bytes(range(16)).ljust(2880, b"\0")


def jpeg_with_icc(megabytes: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG", icc_profile=b"\x00" * megabytes * MB)
    return buffer.getvalue()


def test_the_corpus_is_what_it_claims_to_be():
    assert Image.open(io.BytesIO(fits())).format == "FITS"
    assert Image.open(io.BytesIO(polyglot())).format == "PNG"
    with Image.open(io.BytesIO(jpeg_with_icc(4))) as image:
        assert len(image.info["icc_profile"]) == 4 * MB


REFUSED = [
    ('filename="stars.png"', fits(), "stars.png: it is not a PNG, JPEG, GIF or WebP image."),
    ('filename="empty.png"', b"", "empty.png: it is not a PNG, JPEG, GIF or WebP image."),
    (
        'filename="huge.png"',
        png() + b"\0" * (30 * MB),
        "huge.png: it is larger than 10.0\xa0MB.",
    ),
    (
        'filename="..\\\\..\\\\evil<b>\x01\x1b.png"',
        b"<svg onload=alert(1)>",
        "evil&lt;b&gt;.png: it is not a PNG, JPEG, GIF or WebP image.",
    ),
]


@pytest.mark.parametrize(
    ("filename", "content", "message"), REFUSED, ids=["fits", "empty", "30 MB", "name"]
)
def test_it_refuses_with_a_clear_message_and_keeps_the_form(member, filename, content, message):
    response = post(member, multipart([(filename, content)]))
    assert response.status_code == 400
    assert message in response.text
    assert "Kept description" in response.text
    assert "please choose them again" in response.text
    assert not Ticket.objects.exists()
    assert member.handler.peak < 8 * MB


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ('filename="polyglot.png"', polyglot()),
        ('filename="animation.png"', image_file("a.gif", "GIF").read()),
        ('filename="profile.jpg"', jpeg_with_icc(4)),
        ('filename="../../../../pwned.png"', png()),
        ('filename="..\\\\..\\\\pwned.png"', png()),
        ("filename*=UTF-8''..%2F..%2Fpw%0D%0Ane%00d%1B.png", png()),
    ],
    ids=["polyglot", "gif-as-png", "icc-4MB", "dot-dot-slash", "backslashes", "control-chars"],
)
def test_it_stores_a_valid_image_re_encoded_under_a_random_name(
    member, filename, content, settings, tmp_path
):
    response = post(member, multipart([(filename, content)]))
    assert response.status_code == 302, response.content[:2000]
    shot = Screenshot.objects.get()
    assert shot.image.path.startswith(str(settings.MEDIA_ROOT))
    assert "pwn" not in shot.image.name
    assert shot.original_name.isprintable()
    assert "/" not in shot.original_name
    assert "\\" not in shot.original_name
    assert [p.name for p in tmp_path.rglob("*pwn*")] == []
    stored = shot.image.read()
    assert b"<script" not in stored
    assert b"<html" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format in ("PNG", "JPEG")
        assert "icc_profile" not in image.info
    assert member.handler.peak < 16 * MB  # the 4 MB profile is read, then dropped


def test_the_polyglot_is_served_as_an_image_that_nothing_sniffs(member):
    post(member, multipart([('filename="polyglot.png"', polyglot())]))
    response = member.get(Screenshot.objects.get().get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].endswith('.png"')
    assert b"<script" not in b"".join(response.streaming_content)


def test_101_files_in_one_request_are_refused_before_they_are_read(member):
    response = post(member, multipart([(f'filename="{n}.png"', png()) for n in range(101)]))
    assert response.status_code == 400
    assert "You sent too many files at once: attach at most 10 screenshots." in response.text
    assert not Ticket.objects.exists()
    assert member.handler.peak < 8 * MB


def test_a_30_mb_text_field_is_refused_before_it_is_read(member):
    response = post(member, multipart([], {**FIELDS, "description": "x" * (30 * MB)}))
    assert response.status_code == 400
    assert "What you sent is too large." in response.text
    assert not Ticket.objects.exists()
    assert member.handler.peak < 8 * MB


def test_a_30_mb_form_body_is_refused_too(member):
    response = member.post(reverse("tickets:new"), {**FIELDS, "description": "x" * (30 * MB)})
    assert response.status_code == 400
    assert "What you sent is too large." in response.text
    assert member.handler.peak < 8 * MB


def test_a_mangled_multipart_body_is_a_400_not_a_500(member):
    content_type = "multipart/form-data; boundary="
    response = member.post(reverse("tickets:new"), b"--\r\ngarbage", content_type=content_type)
    assert response.status_code == 400


def test_the_upload_settings_are_deliberate(settings):
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 20
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 512 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == 512 * 1024


def test_a_visitor_gets_the_refusal_page_too():
    response = Client().post(
        reverse("livechat:start"),
        multipart([(f'filename="{n}.png"', b"x") for n in range(21)], {}),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400
    assert "You sent too many files at once" in response.text

"""The upload corpus, generated here with Pillow: what is stored, and what is refused."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile, PngImagePlugin

from tickets.images import prepare
from tickets.models import Screenshot, Ticket
from tickets.tests.conftest import image_file


def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (52.0, 13.0, 47.0)  # GPSLatitudeRef, GPSLatitude
    return image_file("photo.jpg", "JPEG", size=(64, 48), exif=exif.tobytes())


def png_bomb(width, height):
    """A valid PNG header announcing width x height pixels, with a few bytes of data."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    data = zlib.compress(b"\0" * 1024)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", png)


def reason(upload):
    with pytest.raises(ValidationError) as error:
        prepare(upload)
    return error.value.messages[0]


@pytest.mark.parametrize(
    ("upload", "content_type", "size"),
    [
        (image_file("a.png", "PNG", (40, 30)), "image/png", (40, 30)),
        (image_file("a.gif", "GIF", (40, 30)), "image/png", (40, 30)),
        (image_file("a.webp", "WEBP", (40, 30)), "image/png", (40, 30)),
        (image_file("a.jpg", "JPEG", (1200, 900)), "image/jpeg", (1200, 900)),
    ],
)
def test_it_accepts_and_reencodes_valid_images(upload, content_type, size):
    shot = prepare(upload)
    assert (shot.content_type, (shot.width, shot.height)) == (content_type, size)
    stored = Image.open(io.BytesIO(shot.image.read()))
    assert stored.size == size
    thumbnail = Image.open(io.BytesIO(shot.thumbnail.read()))
    assert max(thumbnail.size) <= 320


def test_it_records_the_size_of_a_rotated_photo_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned, show it rotated 90 degrees
    shot = prepare(image_file("photo.jpg", "JPEG", size=(400, 300), exif=exif.tobytes()))
    assert (shot.width, shot.height) == (300, 400)
    assert Image.open(io.BytesIO(shot.image.read())).size == (300, 400)


def test_it_stores_a_jpeg_without_its_exif_and_gps(db, silver):
    upload = jpeg_with_gps()
    assert Image.open(upload).getexif().get_ifd(0x8825)  # the GPS is there to begin with
    ticket = Ticket.objects.create(member=silver, language="en", summary="Photo")
    from tickets.services import ticket_member_reply

    message = ticket_member_reply(ticket=ticket, member=silver, body="x", screenshots=[upload])
    stored = message.screenshots.get()
    for field in (stored.image, stored.thumbnail):
        with field.open("rb") as data:
            content = data.read()
            image = Image.open(io.BytesIO(content))
            assert not image.getexif()
            assert "exif" not in image.info
            assert b"PhoneMaker" not in content


def test_it_refuses_a_decompression_bomb_without_decoding_it(monkeypatch):
    def never(*args):
        raise AssertionError("decoded a bomb")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load_read", never)
    assert "more than 25 million pixels" in reason(png_bomb(6000, 5000))
    assert "more than 25 million pixels" in reason(png_bomb(10_000, 10_000))  # Pillow warns
    assert "more than 25 million pixels" in reason(png_bomb(20_000, 20_000))  # Pillow refuses


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("notes.png", b"just some text, not an image"),
        SimpleUploadedFile(
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            content_type="image/svg+xml",
        ),
        SimpleUploadedFile("empty.png", b""),
    ],
    ids=["text", "svg", "empty"],
)
def test_it_refuses_what_is_not_an_image(upload):
    assert reason(upload) == f"{upload.name}: it is not a PNG, JPEG, GIF or WebP image."


def test_it_refuses_a_truncated_jpeg():
    whole = image_file("cut.jpg", "JPEG", size=(400, 300)).read()
    assert reason(SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2])) == (
        "cut.jpg: the image is damaged or incomplete."
    )


def test_it_refuses_a_too_large_file(settings):
    settings.TICKETS_SCREENSHOT_MAX_BYTES = 1000
    big = image_file("big.png", "PNG", size=(400, 400))
    big.size = 1001
    assert reason(big) == "big.png: it is larger than 1000\xa0bytes."


def test_it_refuses_more_than_ten_files_per_message(client, silver):
    client.force_login(silver)
    response = client.post(
        reverse("tickets:new"),
        {
            "language": "en",
            "summary": "Many",
            "description": "Many files",
            "screenshots": [image_file(f"{n}.png") for n in range(11)],
        },
    )
    assert response.status_code == 400
    assert "Attach at most 10 screenshots." in response.text
    assert not Screenshot.objects.exists()


def test_a_rejected_upload_in_the_form_is_never_a_500(client, silver):
    client.force_login(silver)
    whole = image_file("cut.jpg", "JPEG", size=(400, 300)).read()
    cut = whole[: len(whole) // 2]
    response = client.post(
        reverse("tickets:new"),
        {
            "language": "en",
            "summary": "Bad files",
            "description": "Kept description",
            "screenshots": [
                png_bomb(10_000, 10_000),
                SimpleUploadedFile("cut.jpg", cut),
                image_file("fine.png"),
            ],
        },
    )
    assert response.status_code == 400
    assert "bomb.png: it has more than 25 million pixels." in response.text
    assert "cut.jpg: the image is damaged or incomplete." in response.text
    assert "Kept description" in response.text
    assert not Ticket.objects.exists()

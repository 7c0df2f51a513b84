"""Screenshots: check an upload, decode it with Pillow, re-encode it without metadata.

Nothing the member sent is stored as is: the image is decoded (only PNG, JPEG, GIF and WebP
decoders are tried), its pixels are written into a new file (EXIF, GPS, comments and any
polyglot payload stay behind), and a thumbnail is made from them.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

FORMATS = ["PNG", "JPEG", "GIF", "WEBP"]
ACCEPT = "image/png,image/jpeg,image/gif,image/webp"
THUMBNAIL_SIZE = (320, 320)


@dataclass(frozen=True)
class PreparedScreenshot:
    """A screenshot ready to store: re-encoded image and thumbnail, and what to serve."""

    name: str
    image: ContentFile
    thumbnail: ContentFile
    content_type: str
    width: int
    height: int


def prepare(upload) -> PreparedScreenshot:
    """Return the upload as a clean screenshot, or raise ValidationError naming the file
    and the reason."""
    if isinstance(upload, PreparedScreenshot):
        return upload
    name = _display_name(upload.name)
    if upload.size > settings.TICKETS_SCREENSHOT_MAX_BYTES:
        limit = filesizeformat(settings.TICKETS_SCREENSHOT_MAX_BYTES)
        raise _rejected(name, _("it is larger than %(limit)s"), limit=limit)
    image = _decode(_open(upload, name), name)
    content, content_type = _encode(image, "JPEG" if image.format == "JPEG" else "PNG")
    small = image.convert("RGBA") if image.mode == "P" else image.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    thumbnail, _type = _encode(small, "JPEG" if content_type == "image/jpeg" else "PNG")
    return PreparedScreenshot(name, content, thumbnail, content_type, *image.size)


def _open(upload, name: str) -> Image.Image:
    """Read only the header, and refuse too many pixels before anything is decoded."""
    upload.seek(0)
    try:
        # Pillow refuses over twice its MAX_IMAGE_PIXELS and only warns between 1x and 2x
        # (an error under -W error); our cap, checked below, is lower than both. Warning
        # filters are not changed here: they are process-wide, and requests run in threads.
        image = Image.open(upload, formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except Exception:
        raise _rejected(name, _("it is not a PNG, JPEG, GIF or WebP image")) from None
    if image.width * image.height > settings.TICKETS_SCREENSHOT_MAX_PIXELS:
        raise _too_many_pixels(name)
    return image


def _decode(image: Image.Image, name: str) -> Image.Image:
    """Decode the (first frame's) pixels, upright, into a fresh image without metadata."""
    source_format = image.format
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
    except Exception:
        # Truncated or corrupt data fails here in many ways (OSError, SyntaxError,
        # struct.error, ...): any of them means "not a usable image", never a 500.
        raise _rejected(name, _("the image is damaged or incomplete")) from None
    image.info = {}
    image.format = source_format
    return image


def _encode(image: Image.Image, image_format: str) -> tuple[ContentFile, str]:
    if image_format == "JPEG" and image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    elif image_format == "PNG" and image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    image.save(buffer, image_format, **({"quality": 90} if image_format == "JPEG" else {}))
    extension, content_type = (
        (".jpg", "image/jpeg") if image_format == "JPEG" else (".png", "image/png")
    )
    return ContentFile(buffer.getvalue(), name=f"screenshot{extension}"), content_type


def _display_name(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name[-100:] or "screenshot"


def _too_many_pixels(name: str) -> ValidationError:
    megapixels = settings.TICKETS_SCREENSHOT_MAX_PIXELS // 1_000_000
    return _rejected(
        name, _("it has more than %(megapixels)s million pixels"), megapixels=megapixels
    )


def _rejected(name: str, reason, **params) -> ValidationError:
    return ValidationError(
        _("%(name)s: %(reason)s."),
        code="screenshot",
        params={"name": name, "reason": reason % params if params else reason},
    )

"""screenshot_pipeline: images/s and peak memory of a ticket's screenshot pipeline (verify,
re-encode without metadata, thumbnail: tickets/images.py) on a 1920x1080 PNG screenshot,
against a bare Pillow open + save loop; and the peak memory for a decompression bomb.

Each loop runs in a fresh process of its own, so its peak resident memory (VmHWM) is its own.

    python -m bench.screenshot_pipeline
"""

import io
import json
import os
import random
import struct
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from bench.measure import peak_rss_mb
from bench.portal import production_env
from bench.results import Result, report
from tests.servers import run_json

SECONDS = 4.0
MAX_PEAK_MB = 200
# Under Pillow's own limit (89.5 MP), so only the pipeline's pixel cap stands between the
# upload and 243 MB of decoded pixels.
BOMB_SIZE = (9_000, 9_000)


def screenshot_png(size=(1920, 1080)) -> bytes:
    """A screenshot-like PNG: a page of panels, lines of text and a photo (seeded, so every
    run encodes the same pixels)."""
    rng = random.Random(7)
    image = Image.new("RGB", size, "#f4f5f7")
    photo = (size[0] // 4, size[1] // 4)
    shades = Image.linear_gradient("L").resize(photo)
    image.paste(Image.merge("RGB", [Image.effect_noise(photo, 30), shades, shades]), (0, 56))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 56), fill="#1f3a5f")
    for top in range(80, size[1] - 120, 150):
        left = rng.randrange(20, 200)
        draw.rectangle((left, top, left + rng.randrange(600, 1500), top + 130), fill="white")
        for line in range(5):
            words = " ".join(rng.choice(["order", "error", "cannot", "process"]) for _ in range(12))
            draw.text((left + 16, top + 12 + line * 22), words, fill="#222")
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A PNG of black RGB pixels, written row by row so making it costs no memory: a few
    hundred KB that decode to width x height x 3 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    compressor = zlib.compressobj(9)
    row = bytes(1 + width * 3)  # filter byte 0, then the pixels
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


# Inside a worker process -------------------------------------------------------------------


def _raw_once(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        image.save(io.BytesIO(), "PNG")
    return False


def _pipeline() -> Callable[[bytes], bool]:
    """The pipeline as one call that answers whether the image was refused."""
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tickets.images import prepare

    def once(data: bytes) -> bool:
        try:
            prepare(SimpleUploadedFile("screenshot.png", data, "image/png"))
        except ValidationError:
            return True
        return False

    return once


def worker(kind: str, path: str, seconds: float) -> dict:
    """Run one loop for `seconds` (after one warm-up call); answer its rate, peak memory and
    whether the image was refused."""
    once = _raw_once if kind == "raw" else _pipeline()
    data = Path(path).read_bytes()
    refused = once(data)
    count, started = 0, time.monotonic()
    while time.monotonic() - started < seconds:
        once(data)
        count += 1
    elapsed = time.monotonic() - started
    per_second = count / elapsed if elapsed else 0.0
    return {"per_second": per_second, "peak_mb": peak_rss_mb(os.getpid()), "refused": refused}


# In the benchmark's process ----------------------------------------------------------------


def _measure(kind: str, image: Path, seconds: float) -> dict:
    env = production_env(image.parent)
    args = (kind, str(image), str(seconds))
    return run_json(env, "bench.screenshot_pipeline", *args, timeout=seconds + 120)


def _alternate(screenshot: Path, seconds: float, rounds=2) -> tuple[dict, dict]:
    """Both loops in turns, keeping the best of each: other work on the machine then costs
    both alike."""
    best: dict[str, dict] = {}
    for _round in range(rounds):
        for kind in ("raw", "pipeline"):
            got = _measure(kind, screenshot, seconds / rounds)
            kept = best.setdefault(kind, got)
            kept["per_second"] = max(kept["per_second"], got["per_second"])
            kept["peak_mb"] = max(kept["peak_mb"], got["peak_mb"])
    return best["raw"], best["pipeline"]


def run(seconds: float = SECONDS, bomb_size: tuple[int, int] = BOMB_SIZE) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="helpdesk-bench-images-") as tmp:
        screenshot, bomb = Path(tmp, "screenshot.png"), Path(tmp, "bomb.png")
        screenshot.write_bytes(screenshot_png())
        bomb.write_bytes(bomb_png(*bomb_size))
        raw, pipeline = _alternate(screenshot, seconds)
        refused = _measure("pipeline", bomb, 0.0)
        raw_bomb = _measure("raw", bomb, 0.0)
    ratio = pipeline["per_second"] / raw["per_second"]
    return [
        Result(
            "screenshot_pipeline images/s (1920x1080 PNG)",
            pipeline["per_second"],
            "images/s",
            "Pillow open + save loop",
            raw["per_second"],
            "ratio >= 0.5",
            ratio >= 0.5,
        ),
        Result(
            "screenshot_pipeline peak memory (1920x1080 PNG)",
            pipeline["peak_mb"],
            "MB",
            "Pillow open + save loop (peak)",
            raw["peak_mb"],
            f"<= {MAX_PEAK_MB} MB",
            pipeline["peak_mb"] <= MAX_PEAK_MB,
        ),
        Result(
            f"screenshot_pipeline peak memory (bomb {bomb_size[0]}x{bomb_size[1]})",
            refused["peak_mb"],
            "MB",
            "Pillow open + save of the bomb (peak)",
            raw_bomb["peak_mb"],
            f"refused, <= {MAX_PEAK_MB} MB",
            refused["refused"] and refused["peak_mb"] <= MAX_PEAK_MB,
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4:
        print(json.dumps(worker(sys.argv[1], sys.argv[2], float(sys.argv[3]))))
    else:
        report(run())

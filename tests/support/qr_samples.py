"""zxing-cpp's own QR sample photos (Apache-2.0), read from a copy of its test/samples folder, never committed: real
photos of printed codes for bench/qr_bench.py (qr_corpus.py's photos are synthetic, and easier)."""

from __future__ import annotations

from pathlib import Path

from tests.support.qr_corpus import Sample

SAMPLE_PHOTO = "zxing-cpp sample photos"
SAMPLE_FOLDERS = tuple(f"qrcode-{n}" for n in range(1, 7))  # zxing-cpp's test/samples/qrcode-1 ... -6: 137 images


def sample_photos(samples: Path) -> list[Sample]:
    """The images of qrcode-1 ... qrcode-6 under `samples` (zxing-cpp's test/samples), each with the text its .txt
    file gives. Those files have LF line endings where most of the codes carry CRLF: the bench compares texts
    with line endings made alike (same_text)."""
    found = []
    for folder in SAMPLE_FOLDERS:
        for image in sorted((samples / folder).glob("*")):
            expected = image.with_suffix(".txt")
            if image.suffix.lower() in (".png", ".jpg", ".webp") and expected.is_file():
                text = expected.read_text(encoding="utf-8", errors="replace")
                found.append(Sample(f"{folder}/{image.name}", SAMPLE_PHOTO, (text,), image.read_bytes(), folder))
    return found


def same_text(read: str, expected: str) -> bool:
    """A payload read matches the one expected, line endings (CRLF or LF) and surrounding blanks aside."""

    def plain(text: str) -> str:
        return text.replace("\r\n", "\n").strip()

    return plain(read) == plain(expected)

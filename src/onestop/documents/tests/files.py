"""Uploads built in the tests themselves: real images, hand-written PDFs, hostile files."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

GPS_IFD = 0x8825


def png_bytes(size=(4, 3), *, mode="RGB", text=None) -> bytes:
    image = Image.new(mode, size, 120 if mode in ("L", "P") else (10, 120, 200))
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    buf = io.BytesIO()
    image.save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def jpeg_with_gps(size=(6, 4), *, orientation=None) -> bytes:
    """A JPEG carrying a camera make, a GPS position and a comment."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 0.0)})
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, comment=b"home address: secret")
    return buf.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    data = bytearray(png_bytes((1, 1)))
    # IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC follows 13 bytes.
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def pdf_bytes(*extra_catalog: bytes, extra_objects: tuple[bytes, ...] = ()) -> bytes:
    """A minimal one-page PDF with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + b" ".join(extra_catalog) + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_javascript() -> bytes:
    return pdf_bytes(
        b"/OpenAction 4 0 R",
        extra_objects=(b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hi'\\)) >>",),
    )


def upload(content: bytes, name: str = "scan.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class UnreadableUpload(SimpleUploadedFile):
    """Reports a size but fails the test if anyone reads its content."""

    def __init__(self, name: str, size: int) -> None:
        super().__init__(name, b"\x89PNG\r\n\x1a\n", content_type="image/png")
        self.size = size

    def chunks(self, chunk_size=None):
        raise AssertionError("an oversize upload must be refused before it is read")

    def read(self, *args):
        raise AssertionError("an oversize upload must be refused before it is read")

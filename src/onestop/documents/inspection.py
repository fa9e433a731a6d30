"""What an uploaded file really is, decided from its bytes (SPEC §5, WX 4.1.4).

Nothing here trusts the client: not the file name, not its extension, not the
Content-Type the browser sent, not even ``upload.size`` alone. The functions
are pure (no database, no storage) so ``services.document_store`` can run every
check before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from onestop.documents.errors import (
    UploadActiveContent,
    UploadCorrupt,
    UploadEmpty,
    UploadImageTooLarge,
    UploadRejected,
    UploadTooLarge,
    UploadTypeNotAllowed,
)
from onestop.documents.models import MediaType

CHUNK = 64 * 1024
# Uploads up to this size are inspected in memory, larger ones in an
# anonymous temporary file (never under PRIVATE_MEDIA_ROOT).
SPOOL_IN_MEMORY = 1024 * 1024

# An A4 page scanned at 600 dpi is 4960 × 7016 ≈ 35 million pixels; anything
# beyond 40 million is not a document scan and would cost hundreds of MB to
# decode. Deliberately below Pillow's own MAX_IMAGE_PIXELS (≈ 89 million),
# whose DecompressionBombWarning we therefore never have to rely on. We check
# the size ourselves instead of turning that warning into an error with
# warnings.catch_warnings(), which changes process-wide state and is not safe
# with gunicorn's threads; Pillow's DecompressionBombError (above twice its
# limit, raised while the header is read) is still caught below.
MAX_IMAGE_PIXELS = 40_000_000

MAX_NAME_STEM = 100

_MAGIC: tuple[tuple[bytes, MediaType], ...] = (
    (b"%PDF-", MediaType.PDF),
    (b"\xff\xd8\xff", MediaType.JPEG),
    (b"\x89PNG\r\n\x1a\n", MediaType.PNG),
)
_PILLOW_FORMAT = {MediaType.JPEG: "JPEG", MediaType.PNG: "PNG"}

# PDF names that make a reader run code, act on its own or carry other files.
# /OpenAction alone only says which page to open at; an OpenAction that runs a
# script needs /JS or /JavaScript, which are refused. /RichMedia (Flash) and
# /XFA (scripted forms) belong to the same family.
ACTIVE_PDF_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"AA",
        b"RichMedia",
        b"XFA",
    }
)
# PDF whitespace and delimiters (ISO 32000-1 §7.2.2): a name runs from "/" up
# to the next of these.
_PDF_BOUNDARY = b"\x00\t\n\x0c\r ()<>[]{}/%"
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


# Markup a browser would run if the file were ever served inline, or that makes
# the file a polyglot (a PDF that is also an HTML page, a PNG with a page
# appended, a JPEG with a script in its EXIF). Tags are matched only when
# followed by a delimiter, which keeps the chance of a false alarm inside
# compressed image data below 1 in 2,000 for a 10 MB file.
_MARKUP = re.compile(
    rb"<(?:script|iframe|html|body|svg|img|object|embed|applet|meta|frameset)[\s/>]"
    rb"|javascript:|vbscript:|<\?php|<!doctype\s+html",
    re.IGNORECASE,
)
_MARKUP_OVERLAP = 32


class UploadMarkup(UploadRejected):
    """The file carries HTML or script: a polyglot, refused whatever its type."""

    code = "upload_markup"
    default_message = _(
        "The file contains web page code (HTML or script), which is not accepted. "
        "Please scan the paper copy or save the file again from the original program."
    )


@dataclass(frozen=True)
class Inspected:
    """An upload that passed every check: the bytes to store and what they are."""

    media_type: MediaType
    content: IO[bytes]
    size: int
    sha256: str


def limit_mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def inspect_upload(upload: UploadedFile[bytes], *, max_bytes: int) -> Inspected:
    """Run every content check; raise an ``UploadRejected`` subclass on the first failure.

    Images come back re-encoded (metadata gone); PDFs come back as uploaded.
    The caller owns ``content`` and must close it.
    """
    spool = spool_limited(upload, max_bytes=max_bytes)
    try:
        media_type = sniff(spool.read(16))
        spool.seek(0)
        if media_type is None:
            raise UploadTypeNotAllowed()
        check_no_markup(spool)
        spool.seek(0)
        if media_type == MediaType.PDF:
            check_pdf(spool)
            spool.seek(0)
            return Inspected(media_type, spool, *_measure(spool))
        cleaned = reencode_image(spool, media_type)
    except BaseException:
        spool.close()
        raise
    spool.close()
    return Inspected(media_type, cleaned, *_measure(cleaned))


def spool_limited(upload: UploadedFile[bytes], *, max_bytes: int) -> IO[bytes]:
    """Copy the upload once, counting bytes, and stop as soon as it is too large.

    ``upload.size`` is checked first so an honest oversize upload is refused
    without reading it; the count catches a size that was under-reported.
    """
    if upload.size is not None and upload.size > max_bytes:
        raise UploadTooLarge(limit_mb=limit_mb(max_bytes))
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    total = 0
    try:
        for chunk in upload.chunks(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise UploadTooLarge(limit_mb=limit_mb(max_bytes))
            spool.write(chunk)
        if total == 0:
            raise UploadEmpty()
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def sniff(head: bytes) -> MediaType | None:
    """The type from the first bytes: PDF, JPEG or PNG, else None."""
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    return None


def check_no_markup(stream: IO[bytes]) -> None:
    """Refuse a file whose raw bytes carry HTML or script anywhere (see _MARKUP)."""
    carry = b""
    while block := stream.read(CHUNK):
        data = carry + block
        if _MARKUP.search(data):
            raise UploadMarkup()
        carry = data[-_MARKUP_OVERLAP:]


def check_pdf(stream: IO[bytes]) -> None:
    """Refuse a PDF that can act on its own, or that is cut short.

    The raw bytes are scanned for the names in ACTIVE_PDF_NAMES, matched
    case-sensitively as whole PDF names with #xx escapes decoded (so
    ``/J#53`` is ``/JS``). A name that appears inside a compressed object
    stream (/ObjStm) or content stream is not seen: decompressing and parsing
    PDFs is out of scope here. The file is only ever offered as a download
    (Content-Disposition: attachment) to staff, which limits what such a
    hidden action could reach. Refusing also on a match inside a text string
    is deliberate: a false alarm costs a re-scan, a miss costs more.
    """
    if active_pdf_names(stream):
        raise UploadActiveContent()
    stream.seek(0, io.SEEK_END)
    end = stream.tell()
    stream.seek(max(0, end - 1024))
    # Readers look for the end-of-file marker in the last 1024 bytes.
    if b"%%EOF" not in stream.read():
        raise UploadCorrupt()


def active_pdf_names(stream: IO[bytes]) -> set[bytes]:
    """The active-content names found in the raw bytes of a PDF."""
    found: set[bytes] = set()
    for name in _pdf_names(stream):
        decoded = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), name)
        if decoded in ACTIVE_PDF_NAMES:
            found.add(decoded)
    return found


def _pdf_names(stream: IO[bytes]) -> Iterator[bytes]:
    # Read in chunks; a name cannot cross a delimiter, so each round scans up
    # to the last delimiter and carries the rest (a possibly unfinished name).
    carry = b""
    while block := stream.read(CHUNK):
        data = carry + block
        cut = max(data.rfind(bytes([byte])) for byte in _PDF_BOUNDARY)
        if cut <= 0:
            carry = data
            continue
        for match in _PDF_NAME.finditer(data, 0, cut):
            yield match[1]
        carry = data[cut:]
    for match in _PDF_NAME.finditer(carry):
        yield match[1]


def reencode_image(stream: IO[bytes], media_type: MediaType) -> IO[bytes]:
    """Decode the image and encode its pixels again, in the same format.

    Only pixels survive: EXIF (GPS position, camera, time), XMP, ICC
    profiles, comments and PNG text chunks are dropped, and so is anything
    hidden after the image data. JPEG orientation is applied to the pixels
    first so the picture still stands the right way up without EXIF.
    """
    pillow_format = _PILLOW_FORMAT[media_type]
    try:
        # formats=[...] keeps Pillow to the decoder the magic bytes chose.
        with Image.open(stream, formats=[pillow_format]) as probe:
            _check_pixels(probe.size)
            probe.verify()
        stream.seek(0)
        with Image.open(stream, formats=[pillow_format]) as image:
            _check_pixels(image.size)
            image.load()
            clean = _pixels_only(image, pillow_format)
            out = io.BytesIO()
            clean.save(out, format=pillow_format, **_SAVE_OPTIONS[pillow_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadImageTooLarge(limit_mp=MAX_IMAGE_PIXELS // 1_000_000) from exc
    except UploadRejected:
        raise
    except Exception as exc:
        # Pillow reports a malformed file with many exception types (OSError,
        # SyntaxError, ValueError, struct.error, EOFError, ...); for an
        # untrusted upload every one of them means "not a usable image".
        raise UploadCorrupt() from exc
    out.seek(0)
    return out


_SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {},
}


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise UploadImageTooLarge(limit_mp=MAX_IMAGE_PIXELS // 1_000_000)


_PNG_KEPT_MODES = frozenset({"1", "L", "LA", "RGB", "RGBA", "I;16"})


def _pixels_only(image: Image.Image, pillow_format: str) -> Image.Image:
    if pillow_format == "JPEG":
        image = ImageOps.exif_transpose(image) or image
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
    elif image.mode not in _PNG_KEPT_MODES or "transparency" in image.info:
        # Palette images and tRNS transparency live in metadata we drop: make them RGBA.
        image = image.convert("RGBA")
    else:
        # Converting or transposing already copied; copy here too so clearing
        # the metadata below never touches the decoder's image.
        image = image.copy()
    # The encoders fall back to image.info for ICC profile, comment, XMP and
    # transparency; with it empty they write pixels and nothing else.
    image.info = {}
    return image


def _measure(content: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := content.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    return size, digest.hexdigest()


def clean_name(name: str | None, media_type: MediaType) -> str:
    """A display name for downloads; never used as a path.

    Keeps the last path component only, drops control and format characters
    (including the right-to-left override used to disguise extensions) and
    characters Windows refuses, collapses whitespace, shortens it, and puts
    the extension of the detected type in place of the uploaded one.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = "".join(
        ch for ch in stem if not unicodedata.category(ch).startswith("C") and ch not in '<>:"|?*'
    )
    stem = " ".join(stem.split()).strip(" .")[:MAX_NAME_STEM].strip(" .")
    return f"{stem}.{media_type.extension}" if stem else ""

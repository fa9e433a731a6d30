"""The printable operation manual (WX 4.1.1): A4 PDFs with Chinese fonts.

WeasyPrint lays out a Django template with print CSS (running header with
the platform name, "第 N 页 共 M 页" footer from CSS page counters, a table
of contents with target-counter page numbers). Fonts come from fontconfig:
Debian's fonts-noto-cjk (scripts/run and scripts/test install it as root).
Without any Chinese font the PDF is still produced, with a logged warning:
its Chinese text then shows as empty boxes.

Rendering the whole catalog takes seconds of CPU and the PDF needs no login,
so a PDF is rendered once and kept: the whole catalog under the stamp of its
latest publication, one item under its version, each also under the layout
version, the language and the platform name. The file is stored in private
media (shared by every worker, kept across restarts) and held in the Django
cache in front of it; a newer PDF of the same slot replaces the stored one,
and a stored PDF older than a day is rendered again (category names and the
platform name change without a publication). A render the store cannot
answer counts against the client's ``manual_pdf`` rate limit
(onestop.core.ratelimit), checked by the caller's ``before_render``. Nothing
is fetched while rendering (no URL is ever loaded).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from onestop.catalog import selectors
from onestop.catalog.selectors import Manual
from onestop.core.ratelimit import RateLimited, client_key, rate_hit, too_many_response
from onestop.documents.storage import private_storage

logger = logging.getLogger(__name__)

# Bump when the template or its CSS changes, so stored PDFs are not reused.
LAYOUT_VERSION = "1"
# Stored PDFs are rendered again after a day at the latest (a renamed
# category shows up by then even without a publication).
CACHE_SECONDS = 24 * 60 * 60
# Under PRIVATE_MEDIA_ROOT: one directory per slot, one file per digest.
STORE_DIR = "catalog-manuals"
# The rate limit (per client address) on renders, not on kept PDFs.
RATE_SCOPE = "manual_pdf"
# One render per PDF at a time; the others wait this long for its result.
RENDER_LOCK_SECONDS = 120
RENDER_WAIT_SECONDS = 60
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)
_FILENAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|]+')
_PLACEHOLDER = re.compile(r"(%\((?:page|pages)\)s)")


@functools.cache
def cjk_font_available() -> bool:
    """Whether fontconfig knows a font covering Chinese (checked once per process)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        found = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\A ")
        .replace("\r", "")
        .replace("<", "\\3C ")
    )
    return f'"{escaped}"'


def page_footer_content() -> SafeString:
    """CSS ``content`` for the footer: "第 N 页 共 M 页" from the page counters."""
    template = gettext("Page %(page)s of %(pages)s")
    parts: list[str] = []
    for part in _PLACEHOLDER.split(template):
        if part == "%(page)s":
            parts.append("counter(page)")
        elif part == "%(pages)s":
            parts.append("counter(pages)")
        elif part:
            parts.append(css_string(part))
    return mark_safe(" ".join(parts) or "counter(page)")  # noqa: S308 - built from css_string


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"the printed manual loads no resources ({url[:80]})")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a print template to PDF bytes."""
    from weasyprint import HTML  # heavy import, only where a PDF is made

    if not cjk_font_available():
        logger.warning(
            "No Chinese font is installed (fc-list :lang=zh is empty): the PDF manual's "
            "Chinese text will not show. Install Debian's fonts-noto-cjk."
        )
    context = {
        **context,
        "platform_name": settings.ONESTOP_PLATFORM_NAME,
        "header_content": mark_safe(css_string(settings.ONESTOP_PLATFORM_NAME)),  # noqa: S308
        "footer_content": page_footer_content(),
        "font_families": mark_safe(", ".join(css_string(f) for f in CJK_FAMILIES)),  # noqa: S308
        "compiled_on": timezone.localdate(),
    }
    html = render_to_string(template, context)
    document = HTML(string=html, url_fetcher=_refuse_fetch)
    pdf: bytes = document.write_pdf()
    return pdf


@dataclass(frozen=True)
class PdfSlot:
    """Where one PDF is kept. ``slot`` says what it is (the whole catalog or
    one item, in one language): a newer PDF of the slot supersedes the
    stored one. ``digest`` says what it was rendered from."""

    slot: str
    digest: str

    @property
    def cache_key(self) -> str:
        return f"catalog:manual-pdf:{self.digest}"

    @property
    def path(self) -> Path:
        return Path(private_storage().path(f"{STORE_DIR}/{self.slot}/{self.digest}.pdf"))


def pdf_slot(what: str, *parts: object) -> PdfSlot:
    language = translation.get_language() or ""
    raw = "|".join(
        [LAYOUT_VERSION, language, settings.ONESTOP_PLATFORM_NAME] + [str(p) for p in parts]
    )
    return PdfSlot(slot=f"{what}-{language}", digest=hashlib.sha256(raw.encode()).hexdigest())


def _read_stored(slot: PdfSlot) -> bytes | None:
    """The stored PDF when it is there and less than a day old."""
    try:
        if time.time() - slot.path.stat().st_mtime > CACHE_SECONDS:
            return None
        return slot.path.read_bytes()
    except OSError:  # not stored yet, or superseded while we looked
        return None


def _store(slot: PdfSlot, pdf: bytes) -> None:
    """Write the PDF whole (rename into place) and drop the slot's older ones."""
    folder = slot.path.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        os.replace(temporary, slot.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for other in folder.glob("*.pdf"):
        if other != slot.path:
            other.unlink(missing_ok=True)


def _kept(slot: PdfSlot) -> bytes | None:
    pdf: bytes | None = cache.get(slot.cache_key)
    if pdf is None:
        pdf = _read_stored(slot)
        if pdf is not None:
            cache.set(slot.cache_key, pdf, CACHE_SECONDS)
    return pdf


def stored_pdf(
    slot: PdfSlot,
    render: Callable[[], bytes],
    *,
    before_render: Callable[[], None] | None = None,
) -> bytes:
    """The PDF kept for ``slot``, rendered (and stored) once when missing.

    While one request renders, others asking for the same slot wait for its
    result (up to RENDER_WAIT_SECONDS) instead of rendering it again. Only a
    request that does render calls ``before_render`` first, which may refuse
    (the caller's rate limit); a refused request renders nothing.
    """
    pdf = _kept(slot)
    if pdf is not None:
        return pdf
    lock = f"{slot.cache_key}:rendering"
    if not cache.add(lock, True, RENDER_LOCK_SECONDS):
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.25)
            pdf = _kept(slot)
            if pdf is not None:
                return pdf
    try:
        if before_render is not None:
            before_render()
        pdf = render()
        _store(slot, pdf)
        cache.set(slot.cache_key, pdf, CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return pdf


def catalog_manual_pdf(*, before_render: Callable[[], None] | None = None) -> bytes:
    """The whole published catalog, grouped by the twelve categories.

    Kept under the stamp of the latest publication: one query when kept.
    """

    def render() -> bytes:
        sections = selectors.published_manuals()
        return render_pdf(
            "catalog/manual_pdf.html",
            {
                "sections": sections,
                "whole_catalog": True,
                "item_count": sum(len(s.manuals) for s in sections),
                "title": gettext("Operation manual of the service catalog"),
            },
        )

    return stored_pdf(
        pdf_slot("catalog", selectors.catalog_publication_stamp()),
        render,
        before_render=before_render,
    )


def item_manual_pdf(manual: Manual, *, before_render: Callable[[], None] | None = None) -> bytes:
    """One item's published manual (kept under its version)."""

    def render() -> bytes:
        return render_pdf(
            "catalog/manual_pdf.html",
            {"manuals": [manual], "whole_catalog": False, "title": manual.snapshot["name"]},
        )

    return stored_pdf(
        pdf_slot(
            f"item-{manual.item.pk}",
            manual.version.pk,
            manual.version.published_at.isoformat(),
            manual.item.category_id,
        ),
        render,
        before_render=before_render,
    )


def pdf_response(pdf: bytes, *, filename: str, fallback: str) -> HttpResponse:
    """Shown in the browser (inline), saved under a Chinese name (RFC 6266/5987)."""
    name = _FILENAME_UNSAFE.sub("", filename).strip() or fallback
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Content-Length"] = str(len(pdf))
    return response


def manual_response(
    request: HttpRequest,
    make: Callable[[Callable[[], None]], bytes],
    *,
    filename: str,
    fallback: str,
) -> HttpResponse:
    """The PDF ``make(before_render)`` returns, or 429 with Retry-After when
    it would have to render and the client has used up its renders.

    Not the ``rate_limited`` decorator: that would count every download,
    and a kept PDF costs nothing to serve.
    """

    def before_render() -> None:
        rate_hit(RATE_SCOPE, client_key(request))

    try:
        pdf = make(before_render)
    except RateLimited as exc:
        return too_many_response(request, exc, api=False)
    return pdf_response(pdf, filename=filename, fallback=fallback)

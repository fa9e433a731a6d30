"""The printable operation manual (WX 4.1.1): A4 PDFs with Chinese fonts.

WeasyPrint lays out a Django template with print CSS (running header with
the platform name, "第 N 页 共 M 页" footer from CSS page counters, a table
of contents with target-counter page numbers). Fonts come from fontconfig:
Debian's fonts-noto-cjk (scripts/run and scripts/test install it as root).
Without any Chinese font the PDF is still produced, with a logged warning:
its Chinese text then shows as empty boxes.

Rendering the whole catalog takes seconds, so PDFs are cached (Django cache):
the whole catalog under the stamp of its latest publication, one item under
its version. Nothing is fetched while rendering (no URL is ever loaded).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from typing import Any, NoReturn
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from onestop.catalog import selectors
from onestop.catalog.selectors import Manual

logger = logging.getLogger(__name__)

# Bump when the template or its CSS changes, so cached PDFs are not reused.
LAYOUT_VERSION = "1"
# Cached PDFs are dropped after a day at the latest (a renamed category, a
# new platform name or layout show up by then even without a publication).
CACHE_SECONDS = 24 * 60 * 60
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


def _cache_key(*parts: object) -> str:
    raw = "|".join(
        [LAYOUT_VERSION, translation.get_language() or "", settings.ONESTOP_PLATFORM_NAME]
        + [str(p) for p in parts]
    )
    return "catalog:manual-pdf:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_pdf(key: str, render: Callable[[], bytes]) -> bytes:
    """The PDF cached under ``key``, rendered once when missing.

    While one request renders, others asking for the same key wait for its
    result (up to RENDER_WAIT_SECONDS) instead of rendering it again.
    """
    pdf: bytes | None = cache.get(key)
    if pdf is not None:
        return pdf
    lock = f"{key}:rendering"
    if not cache.add(lock, True, RENDER_LOCK_SECONDS):
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.25)
            pdf = cache.get(key)
            if pdf is not None:
                return pdf
    try:
        pdf = render()
        cache.set(key, pdf, CACHE_SECONDS)
    finally:
        cache.delete(lock)
    return pdf


def catalog_manual_pdf() -> bytes:
    """The whole published catalog, grouped by the twelve categories.

    Cached under the stamp of the latest publication: one query on a hit.
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

    return cached_pdf(_cache_key("catalog", selectors.catalog_publication_stamp()), render)


def item_manual_pdf(manual: Manual) -> bytes:
    """One item's published manual (cached under its version)."""

    def render() -> bytes:
        return render_pdf(
            "catalog/manual_pdf.html",
            {"manuals": [manual], "whole_catalog": False, "title": manual.snapshot["name"]},
        )

    return cached_pdf(
        _cache_key(
            "item",
            manual.version.pk,
            manual.version.published_at.isoformat(),
            manual.item.category_id,
        ),
        render,
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

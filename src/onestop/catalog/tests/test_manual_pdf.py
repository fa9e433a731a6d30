"""The printable operation manual (WX 4.1.1): real PDFs, read back with pdfium.

Each PDF is rendered by WeasyPrint, then its text layer, embedded fonts and
a rendered image of page 1 are checked: the Chinese must be there as text,
drawn with a CJK font, and come out as distinct glyphs (not tofu boxes).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
import zlib
from pathlib import Path
from urllib.parse import unquote

import pypdfium2 as pdfium
import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onestop.catalog import printing
from onestop.catalog.models import ServiceCategory, ServiceItem
from onestop.catalog.services import item_update_draft, item_withdraw
from onestop.catalog.tests.conftest import details

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"
SCALE = 2  # 144 dpi
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/\[\]<>()]+)")
_STREAM = re.compile(rb"stream\r?\n")


@pytest.fixture(autouse=True)
def _chinese_font_installed():
    assert printing.cjk_font_available(), (
        "No Chinese font: install Debian's fonts-noto-cjk (scripts/test does it as root)."
    )


def pages_text(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    return [page.get_textpage().get_text_range() for page in document]


def font_names(pdf: bytes) -> set[str]:
    """/FontName entries, also those inside compressed object streams."""
    chunks = [pdf]
    for match in _STREAM.finditer(pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return {name.decode("latin-1") for chunk in chunks for name in _FONT_NAME.findall(chunk)}


def glyphs(pdf: bytes, text: str, *, save_as: str) -> list[list[bool]]:
    """The drawn pixels of each character of ``text`` (first match on page 1),
    from page 1 rendered to PNG (saved under test-artifacts/ for a human look),
    each scaled to 32 × 32 and made black and white."""
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    image = page.render(scale=SCALE).to_pil().convert("L")
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / save_as)
    textpage = page.get_textpage()
    found = textpage.search(text).get_next()
    assert found is not None, f"{text} is not in the text layer of page 1"
    start, count = found
    height = page.get_height()
    bitmaps = []
    for index in range(start, start + count):
        left, bottom, right, top = textpage.get_charbox(index)
        box = (
            int(left * SCALE),
            int((height - top) * SCALE),
            int(right * SCALE) + 1,
            int((height - bottom) * SCALE) + 1,
        )
        cell = image.crop(box).resize((32, 32))
        bitmaps.append([value < 128 for value in cell.get_flattened_data()])
    return bitmaps


def assert_real_glyphs(bitmaps: list[list[bool]]) -> None:
    """Ink in every cell, and no two characters drawn alike (tofu boxes are all alike)."""
    for cell in bitmaps:
        assert sum(cell) > 40, "a character was not drawn"
    for n, one in enumerate(bitmaps):
        for other in bitmaps[n + 1 :]:
            differing = sum(a != b for a, b in zip(one, other, strict=True))
            assert differing > 0.08 * len(one), "two characters look the same (tofu?)"


def footer(page: int, pages: int) -> str:
    return _("Page %(page)s of %(pages)s") % {"page": page, "pages": pages}


# --- one item ----------------------------------------------------------------------------


@pytest.mark.clause("WX 4.1.1")
def test_an_items_manual_is_a_chinese_pdf_with_version_and_page_numbers(client, bundled):
    item = ServiceItem.objects.get(name="强制检定计量器具登记备案与申请")
    version = item.versions.get()

    response = client.get(f"/services/items/{item.pk}/manual.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    with translation.override("zh-hans"):
        expected = [
            item.name,
            _("Acceptance conditions"),
            _("Required materials"),
            _("Service flow"),
            _("Time limit"),
            _("Fees"),
            _("Version %(number)s, published %(date)s.")
            % {"number": 1, "date": f"{timezone.localtime(version.published_at):%Y-%m-%d}"},
            footer(1, 1),
            "代办委托书",  # a material of this item
            "WX 6.1.3",
        ]
        filename = _("%(name)s operation manual") % {"name": item.name}
    (text,) = pages_text(pdf)
    for part in expected:
        assert part in text, part
    # a CJK font is embedded (WeasyPrint subsets Noto Sans CJK SC)
    assert any("Noto" in name or "CJK" in name for name in font_names(pdf)), font_names(pdf)
    # the title's glyphs are drawn, and differ from each other (tofu boxes would not)
    assert_real_glyphs(glyphs(pdf, item.name, save_as="catalog-item-manual-page1.png"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert f'filename="service-manual-{item.pk}.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == f"{filename}.pdf"


def test_materials_with_notes_and_template_links_are_printed(client, publish_new):
    item = publish_new()

    (text,) = pages_text(client.get(f"/services/items/{item.pk}/manual.pdf").content)
    text = text.replace("\r\n", " ")

    for part in ("计量器具登记表", "加盖公章", "/documents/templates/instrument-register/"):
        assert part in text, part
    assert "市计量测试中心" in text


@pytest.mark.clause("WX 4.1.1")
def test_the_pdf_shows_the_published_version_not_the_working_copy(client, manager, publish_new):
    item = publish_new(fees="免费")
    item_update_draft(actor=manager, item=item, details=details(fees="每台200元"))

    (text,) = pages_text(client.get(f"/services/items/{item.pk}/manual.pdf").content)

    assert "免费" in text
    assert "每台200元" not in text


@pytest.mark.parametrize("state", ["draft", "withdrawn", "missing"])
def test_drafts_withdrawn_and_unknown_items_have_no_pdf(
    client, manager, categories, publish_new, state
):
    if state == "draft":
        from onestop.catalog.services import item_create_draft

        item_id = item_create_draft(
            actor=manager, category=categories["metrology-verification"], details=details()
        ).pk
    elif state == "withdrawn":
        item = publish_new()
        item_withdraw(actor=manager, item=item, reason="合并到其他事项")
        item_id = item.pk
    else:
        item_id = 999_999

    assert client.get(f"/services/items/{item_id}/manual.pdf").status_code == 404


def test_item_pdf_is_one_query_and_rendered_once(
    client, publish_new, monkeypatch, django_assert_num_queries
):
    renders = []
    real_render = printing.render_pdf
    monkeypatch.setattr(
        printing, "render_pdf", lambda *a, **k: renders.append(a) or real_render(*a, **k)
    )
    item = publish_new()
    url = f"/services/items/{item.pk}/manual.pdf"
    with django_assert_num_queries(1):  # the published version with item and categories
        first = client.get(url).content

    with django_assert_num_queries(1):
        again = client.get(url).content

    assert again == first
    assert len(renders) == 1


def test_without_a_chinese_font_the_pdf_still_comes_with_a_warning(
    client, publish_new, monkeypatch, caplog
):
    monkeypatch.setattr(printing, "cjk_font_available", lambda: False)
    item = publish_new()

    with caplog.at_level("WARNING", logger="onestop.catalog.printing"):
        response = client.get(f"/services/items/{item.pk}/manual.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert "fonts-noto-cjk" in caplog.text


def test_quotes_and_markup_in_names_cannot_break_the_print_css(client, publish_new, settings):
    settings.ONESTOP_PLATFORM_NAME = 'A"}</style><h1>注入</h1>\\平台'
    item = publish_new(name='名称"}</style>@page{size:A6}')

    response = client.get(f"/services/items/{item.pk}/manual.pdf")

    (page,) = pdfium.PdfDocument(response.content)
    assert round(page.get_width()) == 595  # still A4 (595 × 842 pt)
    text = page.get_textpage().get_text_range()
    assert 'A"}</style><h1>注入</h1>\\平台' in text  # the header, as text
    assert '名称"}</style>@page{size:A6}' in text


def test_css_strings_and_the_footer_counter():
    assert printing.css_string('a"b\\c</style>') == '"a\\"b\\\\c\\3C /style>"'
    with translation.override("en"):
        assert printing.page_footer_content() == '"Page " counter(page) " of " counter(pages)'


# --- the whole catalog -------------------------------------------------------------------


@pytest.mark.clause("WX 4.1.1")
def test_the_whole_catalog_pdf_has_contents_page_numbers_and_the_twelve_categories(
    client, bundled, django_assert_num_queries
):
    with django_assert_num_queries(3):  # publication stamp, categories, versions
        started = time.perf_counter()
        response = client.get("/services/manual.pdf")
        rendered_in = time.perf_counter() - started

    assert response.status_code == 200
    pdf = response.content
    document = pdfium.PdfDocument(pdf)
    texts = pages_text(pdf)
    tops = list(ServiceCategory.objects.filter(parent__isnull=True).order_by("position"))
    # the twelve categories are the first level of the PDF's bookmarks, in order
    outline = [(b.level, b.get_title(), b.get_dest().get_index()) for b in document.get_toc()]
    assert [title for level, title, _page in outline if level == 0][1:] == [c.name for c in tops]
    # every published item is in it, once, on the page the contents give
    contents = "\n".join(texts[1:5])
    for item in ServiceItem.objects.all():
        line = re.search(r"^\s*" + re.escape(item.name) + r"[ .]*(\d+)\s*$", contents, re.MULTILINE)
        assert line, item.name
        page = int(line.group(1))
        assert item.name in texts[page - 1].splitlines(), (item.name, page)
        assert (1, item.name, page - 1) in outline
    with translation.override("zh-hans"):
        assert footer(5, len(document)) in texts[4]
        assert _("Service flow") in texts[4]
    assert any("Noto" in name or "CJK" in name for name in font_names(pdf))
    # the cover (page 1) carries the platform name, drawn in distinct glyphs
    assert_real_glyphs(glyphs(pdf, "质量服务", save_as="catalog-manual-cover.png"))
    print(f"whole-catalog PDF: {len(document)} pages, {len(pdf)} bytes, {rendered_in:.1f} s")

    # cached: the next request is the stamp query only
    with django_assert_num_queries(1):
        assert client.get("/services/manual.pdf").content == pdf


def test_the_catalog_pdf_follows_publications_and_withdrawals(client, manager, publish_new):
    kept = publish_new(name="计量器具强制检定申请")
    gone = publish_new(name="计量咨询（将撤下）", category="metrology-consulting")
    first = "\n".join(pages_text(client.get("/services/manual.pdf").content))
    assert kept.name in first
    assert gone.name in first

    item_withdraw(actor=manager, item=gone, reason="并入其他事项")
    second = "\n".join(pages_text(client.get("/services/manual.pdf").content))
    assert gone.name not in second

    from onestop.catalog.services import item_publish

    item_update_draft(actor=manager, item=kept, details=details(name="计量器具强制检定申请（新）"))
    unchanged = "\n".join(pages_text(client.get("/services/manual.pdf").content))
    assert "（新）" not in unchanged  # a working copy is not published
    item_publish(actor=manager, item=kept)
    third = "\n".join(pages_text(client.get("/services/manual.pdf").content))
    assert "计量器具强制检定申请（新）" in third


def test_a_second_request_waits_for_the_render_in_progress():
    slot = printing.PdfSlot(slot="test", digest=f"test-{uuid.uuid4()}")
    key = slot.cache_key
    cache.add(f"{key}:rendering", True, 30)
    threading.Timer(0.3, lambda: cache.set(key, b"%PDF-from-the-other-request", 30)).start()

    def must_not_render() -> bytes:
        raise AssertionError("rendered twice")

    try:
        assert printing.stored_pdf(slot, must_not_render) == b"%PDF-from-the-other-request"
    finally:
        cache.delete_many([key, f"{key}:rendering"])


def test_pdf_links_on_the_item_and_index_pages(client, publish_new):
    item = publish_new()

    index = client.get("/services/").content.decode()
    page = client.get(f"/services/items/{item.pk}/").content.decode()

    assert 'href="/services/manual.pdf"' in index
    assert f'href="/services/items/{item.pk}/manual.pdf"' in page
    with translation.override("zh-hans"):
        link = _("Download the operation manual (PDF)")
    assert link in index
    assert link in page

"""The PDF manuals need no login and take seconds to render, so each is
rendered once per catalog version and kept in private media (and the cache in
front of it); renders are rate-limited per client address (WX 4.1.1)."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.catalog import printing
from onestop.catalog.services import item_publish, item_update_draft
from onestop.catalog.tests.conftest import details


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates rendered to PDF (rendering itself is real, just counted)."""
    made: list[str] = []
    real_render = printing.render_pdf

    def counting(template, context):
        made.append(template)
        return real_render(template, context)

    monkeypatch.setattr(printing, "render_pdf", counting)
    return made


@pytest.fixture(autouse=True)
def empty_cache(monkeypatch):
    """empty_cache() gives the PDF code a cache of its own, empty: as a new
    worker (or one after a restart) sees it. Also run once per test, so no
    PDF kept by an earlier test is served."""

    def swap() -> LocMemCache:
        fresh = LocMemCache(f"manual-pdf-{uuid.uuid4()}", {})
        monkeypatch.setattr(printing, "cache", fresh)
        return fresh

    swap()
    return swap


def _stored(settings) -> list[str]:
    root = settings.PRIVATE_MEDIA_ROOT / printing.STORE_DIR
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _address() -> str:
    """A client address of this test alone (the limiter's counters outlive a test)."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


@pytest.mark.clause("WX 4.1.1")
def test_a_second_request_is_served_from_storage_without_rendering(
    client, publish_new, renders, settings, empty_cache
):
    item = publish_new()
    url = f"/services/items/{item.pk}/manual.pdf"
    first = client.get(url).content

    empty_cache()  # another worker, or this one after a restart
    again = client.get(url)

    assert again.status_code == 200
    assert again.content == first
    assert renders == ["catalog/manual_pdf.html"]
    (name,) = _stored(settings)
    assert name.startswith(f"item-{item.pk}-")


@pytest.mark.clause("WX 4.1.1")
def test_a_catalog_change_renders_the_manual_anew_and_drops_the_old_file(
    client, manager, publish_new, renders, settings, empty_cache
):
    item = publish_new(name="计量器具强制检定申请")
    first = client.get("/services/manual.pdf").content
    assert client.get("/services/manual.pdf").content == first
    assert len(renders) == 1
    (old_file,) = _stored(settings)

    item_update_draft(actor=manager, item=item, details=details(name="计量器具强制检定申请（新）"))
    item_publish(actor=manager, item=item)
    empty_cache()
    second = client.get("/services/manual.pdf").content

    assert len(renders) == 2
    assert second != first
    (new_file,) = _stored(settings)  # the superseded PDF is gone
    assert new_file != old_file
    assert new_file.split("/")[0] == old_file.split("/")[0]  # same slot


def test_a_new_layout_version_or_a_day_old_file_renders_again(
    client, publish_new, renders, settings, monkeypatch, empty_cache
):
    item = publish_new()
    url = f"/services/items/{item.pk}/manual.pdf"
    client.get(url)
    (name,) = _stored(settings)

    day_old = time.time() - printing.CACHE_SECONDS - 60
    os.utime(settings.PRIVATE_MEDIA_ROOT / printing.STORE_DIR / name, (day_old, day_old))
    empty_cache()
    client.get(url)
    assert len(renders) == 2

    monkeypatch.setattr(printing, "LAYOUT_VERSION", printing.LAYOUT_VERSION + "-next")
    client.get(url)
    assert len(renders) == 3
    assert len(_stored(settings)) == 1


@pytest.mark.clause("WX 4.1.1")
def test_renders_beyond_the_limit_get_429_with_retry_after_in_chinese(
    client, publish_new, renders, settings
):
    settings.ONESTOP_RATE_LIMITS = {"manual_pdf": "1/h"}
    first, second = publish_new(), publish_new(name="计量器具检定证书补办")
    attacker = _address()

    served = client.get(f"/services/items/{first.pk}/manual.pdf", HTTP_X_REAL_IP=attacker)
    assert served.status_code == 200
    refused = client.get(
        f"/services/items/{second.pk}/manual.pdf",
        HTTP_X_REAL_IP=attacker,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    body = refused.content.decode()
    with translation.override("zh-hans"):
        message = _(
            "Too many requests in a short time. Please wait %(seconds)s seconds and try again."
        ) % {"seconds": refused["Retry-After"]}
    assert message.startswith("短时间内请求过多")
    assert message in body
    assert renders == ["catalog/manual_pdf.html"]  # the refused request rendered nothing
    # a kept PDF is still served to the same client; another client may render
    kept = client.get(f"/services/items/{first.pk}/manual.pdf", HTTP_X_REAL_IP=attacker)
    assert kept.status_code == 200
    other = client.get(f"/services/items/{second.pk}/manual.pdf", HTTP_X_REAL_IP=_address())
    assert other.status_code == 200
    assert len(renders) == 2


def test_a_client_waiting_for_anothers_render_is_not_counted():
    slot = printing.PdfSlot(slot="test", digest=f"test-{uuid.uuid4()}")
    printing.cache.add(f"{slot.cache_key}:rendering", True, 30)
    threading.Timer(0.3, lambda: printing.cache.set(slot.cache_key, b"%PDF-other", 30)).start()
    counted: list[str] = []

    def must_not_render() -> bytes:
        raise AssertionError("rendered twice")

    pdf = printing.stored_pdf(
        slot, must_not_render, before_render=lambda: counted.append("counted")
    )

    assert pdf == b"%PDF-other"
    assert counted == []

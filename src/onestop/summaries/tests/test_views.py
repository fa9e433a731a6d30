"""The pages: who may open them (visitor → login, no permission → 403, another
region → 404), bad input (nothing stored), progress and downloads, the plan
editor and the public plan; query counts pinned."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from onestop.summaries import services
from onestop.summaries.models import AnnualSummary, ImprovementItem, ItemState, SummaryStatus

from .conftest import LAST_YEAR, YEAR, add_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(world, django_capture_on_commit_callbacks) -> AnnualSummary:
    """A finished final summary of last year in Liuzhou."""
    with django_capture_on_commit_callbacks(execute=True):
        made = services.summary_request(
            actor=world.lz_manager, region=world.liuzhou, year=LAST_YEAR
        )
    made.refresh_from_db()
    assert made.status == SummaryStatus.DONE
    return made


@pytest.fixture
def queued(world, django_capture_on_commit_callbacks) -> AnnualSummary:
    """A summary whose task has not started yet."""
    with django_capture_on_commit_callbacks(execute=False):
        return services.summary_request(actor=world.lz_manager, region=world.liuzhou, year=YEAR)


@pytest.fixture
def item(world) -> ImprovementItem:
    return add_item(world, year=LAST_YEAR)


def zh(message) -> str:
    with translation.override("zh-hans"):
        return str(message)


def staff_urls(summary: AnnualSummary, item: ImprovementItem) -> list[tuple[str, str]]:
    """(method, url) of every workbench page of the app."""
    return [
        ("get", reverse("summaries:manage_list")),
        ("get", reverse("summaries:detail", args=[summary.pk])),
        ("post", reverse("summaries:publish", args=[summary.pk])),
        ("get", reverse("summaries:download", args=[summary.pk, "pdf"])),
        ("get", reverse("summaries:plan", args=["450200", LAST_YEAR])),
        ("get", reverse("summaries:item", args=[item.pk])),
        ("post", reverse("summaries:item_move", args=[item.pk, "start"])),
        ("post", reverse("summaries:item_remove", args=[item.pk])),
    ]


# --- who may open what ----------------------------------------------------------------


def test_visitors_are_sent_to_the_workbench_login(client, world, summary, item):
    for method, url in staff_urls(summary, item):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("workbench:login")), url


def test_staff_without_the_permission_get_403(client, world, summary, item, otp_login):
    otp_login(world.station_staff)
    for method, url in staff_urls(summary, item):
        assert getattr(client, method)(url).status_code == 403, url
    client.force_login(world.user)
    assert client.get(reverse("summaries:manage_list")).status_code == 403
    item.refresh_from_db()
    assert item.state == ItemState.PLANNED


@pytest.mark.clause("HM 5.3")
def test_another_regions_summary_plan_and_items_are_not_found(
    client, world, summary, item, otp_login
):
    otp_login(world.wx_manager)
    for method, url in staff_urls(summary, item)[1:]:
        assert getattr(client, method)(url).status_code == 404, url
    page = client.get(reverse("summaries:manage_list")).content.decode()
    assert reverse("summaries:detail", args=[summary.pk]) not in page
    summary.refresh_from_db()
    item.refresh_from_db()
    assert summary.published_at is None
    assert item.state == ItemState.PLANNED
    assert ImprovementItem.objects.filter(pk=item.pk).exists()


# --- requesting a summary -------------------------------------------------------------


@pytest.mark.clause("WX 8.1.3")
def test_requesting_a_summary_shows_it_finished(
    client, world, otp_login, django_capture_on_commit_callbacks
):
    otp_login(world.lz_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("summaries:manage_list"), {"region": "450200", "year": LAST_YEAR}
        )

    made = AnnualSummary.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("summaries:detail", args=[made.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page
    assert 'id="summary-progress" max="100" value="100"' in page
    assert 'http-equiv="refresh"' not in page
    assert reverse("summaries:download", args=[made.pk, "pdf"]) in page
    assert 'id="publish-form"' in page


def test_a_future_year_is_a_form_error_and_nothing_is_stored(client, world, otp_login):
    otp_login(world.lz_manager)
    response = client.post(reverse("summaries:manage_list"), {"region": "450200", "year": YEAR + 1})

    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not AnnualSummary.objects.exists()


def test_a_region_outside_the_scope_is_not_found_and_nothing_is_stored(client, world, otp_login):
    otp_login(world.lz_manager)
    for code in ("320200", "999999"):
        response = client.post(reverse("summaries:manage_list"), {"region": code, "year": 2025})
        assert response.status_code == 404
    assert not AnnualSummary.objects.exists()


def test_a_missing_region_is_a_form_error(client, world, otp_login):
    otp_login(world.lz_manager)
    response = client.post(reverse("summaries:manage_list"), {"year": LAST_YEAR})
    assert response.status_code == 400
    assert not AnnualSummary.objects.exists()


@pytest.mark.clause("WX 8.1.3")
def test_a_second_request_while_one_runs_is_refused_with_a_message(
    client, world, queued, otp_login
):
    otp_login(world.lz_manager)
    response = client.post(reverse("summaries:manage_list"), {"region": "450200", "year": YEAR})

    assert response.status_code == 400
    assert escape(zh(services.SummaryRunning.default_message)) in response.content.decode()
    assert AnnualSummary.objects.count() == 1


@pytest.mark.clause("WX 8.1.3")
def test_a_running_summary_shows_a_refreshing_progress_bar(client, world, queued, otp_login):
    AnnualSummary.objects.filter(pk=queued.pk).update(
        status=SummaryStatus.RUNNING, progress=30, step="analysis"
    )
    otp_login(world.lz_manager)
    url = reverse("summaries:detail", args=[queued.pk])

    page = client.get(url).content.decode()
    assert '<progress id="summary-progress" max="100" value="30">' in page
    assert 'data-step="analysis"' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'data-provisional="true"' in page
    assert "download-pdf" not in page
    # Refreshing can be switched off (WCAG 2.2.1).
    assert 'http-equiv="refresh"' not in client.get(url + "?refresh=off").content.decode()
    assert client.get(reverse("summaries:download", args=[queued.pk, "pdf"])).status_code == 404


def test_the_files_download_as_attachments_to_managers(client, world, summary, otp_login):
    otp_login(world.lz_manager)

    pdf = client.get(reverse("summaries:download", args=[summary.pk, "pdf"]))
    xlsx = client.get(reverse("summaries:download", args=[summary.pk, "xlsx"]))

    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert "柳州市" in unquote(pdf["Content-Disposition"])
    assert pdf["Cache-Control"] == "private, no-store"
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("summaries:download", args=[summary.pk, "doc"])).status_code == 404


@pytest.mark.clause("WX 8.2")
def test_publishing_from_the_page_opens_the_public_plan(client, world, item, otp_login):
    public = reverse("summaries:public_plan", args=["450200", LAST_YEAR])
    assert client.get(public).status_code == 404
    summary = services.summary_request(actor=world.lz_manager, region=world.liuzhou, year=LAST_YEAR)
    services.summary_generate(summary_id=summary.pk)
    otp_login(world.lz_manager)

    response = client.post(reverse("summaries:publish", args=[summary.pk]))

    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.published_at is not None
    client.logout()
    page = client.get(public)
    assert page.status_code == 200
    assert item.problem in page.content.decode()


def test_a_provisional_summary_is_not_published_from_the_page(client, world, otp_login):
    summary = services.summary_request(actor=world.lz_manager, region=world.liuzhou, year=YEAR)
    services.summary_generate(summary_id=summary.pk)
    otp_login(world.lz_manager)

    page = client.get(reverse("summaries:detail", args=[summary.pk])).content.decode()
    response = client.post(reverse("summaries:publish", args=[summary.pk]))

    assert 'id="publish-form"' not in page
    assert response.status_code == 409
    assert 'id="summary-error-message"' in response.content.decode()
    summary.refresh_from_db()
    assert summary.published_at is None


# --- the plan editor -------------------------------------------------------------------


@pytest.mark.clause("WX 8.2")
def test_items_are_added_on_the_plan_page(client, world, otp_login):
    otp_login(world.lz_manager)
    url = reverse("summaries:plan", args=["450200", LAST_YEAR])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "problem": "咨询电话接通率低",
            "measure": "增设坐席，高峰期轮班",
            "owner": "服务中心",
            "due_on": "2026-06-30",
        },
    )

    assert response.status_code == 302
    (added,) = ImprovementItem.objects.all()
    assert (added.plan.year, added.plan.region, added.owner) == (
        LAST_YEAR,
        world.liuzhou,
        "服务中心",
    )
    assert "咨询电话接通率低" in client.get(url).content.decode()


def test_an_incomplete_item_is_a_form_error(client, world, otp_login):
    otp_login(world.lz_manager)
    url = reverse("summaries:plan", args=["450200", LAST_YEAR])
    response = client.post(url, {"problem": "", "measure": "措施", "owner": "", "due_on": "x"})
    assert response.status_code == 400
    assert not ImprovementItem.objects.exists()


def test_adding_to_a_published_plan_is_refused_with_a_message(client, world, item, otp_login):
    from onestop.summaries.models import ImprovementPlan

    ImprovementPlan.objects.update(published_at=item.created_at)
    otp_login(world.lz_manager)
    url = reverse("summaries:plan", args=["450200", LAST_YEAR])

    page = client.get(url).content.decode()
    response = client.post(
        url, {"problem": "迟到的问题", "measure": "措施", "owner": "科室", "due_on": "2026-06-30"}
    )

    assert 'id="item-form"' not in page
    assert response.status_code == 400
    assert escape(zh(services.PlanPublished.default_message)) in response.content.decode()
    assert ImprovementItem.objects.count() == 1


def test_plan_pages_for_future_years_or_unknown_regions_are_not_found(client, world, otp_login):
    otp_login(world.lz_manager)
    assert client.get(reverse("summaries:plan", args=["450200", YEAR + 1])).status_code == 404
    assert client.get(reverse("summaries:plan", args=["450200", 1999])).status_code == 404
    assert client.get(reverse("summaries:plan", args=["999999", LAST_YEAR])).status_code == 404
    opened = client.get(reverse("summaries:plan_open"), {"region": "450202", "year": LAST_YEAR})
    assert opened["Location"] == reverse("summaries:plan", args=["450202", LAST_YEAR])
    assert (
        client.get(reverse("summaries:plan_open"), {"region": "320200", "year": 2025}).status_code
        == 404
    )


@pytest.mark.clause("WX 8.2")
def test_an_item_is_edited_moved_and_rechecked_on_its_page(client, world, item, otp_login):
    otp_login(world.lz_manager)
    url = reverse("summaries:item", args=[item.pk])

    edited = client.post(
        url,
        {"problem": item.problem, "measure": "新的措施", "owner": "计量科", "due_on": "2026-05-31"},
    )
    for action in ("start", "complete"):
        assert (
            client.post(reverse("summaries:item_move", args=[item.pk, action])).status_code == 302
        )
    future = client.post(
        reverse("summaries:item_move", args=[item.pk, "recheck"]),
        {"recheck-note": "复查通过", "recheck-rechecked_on": "2026-12-01"},
    )
    rechecked = client.post(
        reverse("summaries:item_move", args=[item.pk, "recheck"]),
        {"recheck-note": "复查通过", "recheck-rechecked_on": "2026-11-18"},
    )

    assert edited.status_code == 302
    assert future.status_code == 400
    assert rechecked.status_code == 302
    item.refresh_from_db()
    assert (item.measure, item.state, item.recheck_result) == ("新的措施", "rechecked", "复查通过")
    assert item.rechecked_on == dt.date(2026, 11, 18)
    page = client.get(url).content.decode()
    assert 'data-state="rechecked"' in page
    assert 'id="move-' not in page  # no moves left


def test_a_move_not_allowed_now_is_refused_on_the_page(client, world, item, otp_login):
    otp_login(world.lz_manager)
    response = client.post(reverse("summaries:item_move", args=[item.pk, "complete"]))
    assert response.status_code == 400
    assert client.post(reverse("summaries:item_move", args=[item.pk, "fly"])).status_code == 404
    item.refresh_from_db()
    assert item.state == ItemState.PLANNED


def test_an_item_is_removed_from_its_page(client, world, item, otp_login):
    otp_login(world.lz_manager)
    response = client.post(reverse("summaries:item_remove", args=[item.pk]))
    assert response["Location"] == reverse("summaries:plan", args=["450200", LAST_YEAR])
    assert not ImprovementItem.objects.exists()


# --- public ------------------------------------------------------------------------------


@pytest.mark.clause("WX 8.2")
def test_the_public_plan_shows_progress_and_rechecks_but_no_staff(client, world, item):
    services.improvement_item_start(actor=world.lz_manager, item=item)
    services.improvement_item_complete(actor=world.lz_manager, item=item, note="内部备注")
    summary = services.summary_request(actor=world.lz_manager, region=world.liuzhou, year=LAST_YEAR)
    services.summary_generate(summary_id=summary.pk)
    services.summary_publish(actor=world.lz_manager, summary=summary)
    services.improvement_item_recheck(
        actor=world.lz_manager, item=item, result="抽查均按时", rechecked_on=dt.date(2026, 11, 18)
    )

    page = client.get(reverse("summaries:public_plan", args=["450200", LAST_YEAR]))
    listing = client.get(reverse("summaries:public_index")).content.decode()

    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-state="rechecked"' in body
    assert "2026-11-18：抽查均按时" in body
    assert world.lz_manager.display_name not in body
    assert "内部备注" not in body
    assert reverse("summaries:public_plan", args=["450200", LAST_YEAR]) in listing


def test_unpublished_or_unknown_plans_are_not_found(client, world, item):
    assert (
        client.get(reverse("summaries:public_plan", args=["450200", LAST_YEAR])).status_code == 404
    )
    assert (
        client.get(reverse("summaries:public_plan", args=["999999", LAST_YEAR])).status_code == 404
    )
    assert client.get(f"/summaries/450200/{LAST_YEAR}x/").status_code == 404

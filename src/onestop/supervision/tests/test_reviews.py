"""Important service items reviewed regularly (HM 5.4): marking, reviews with
findings, a rating, the effectiveness summary and linked actions; the items
not yet reviewed this quarter; the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onestop.accounts import authz
from onestop.accounts.authz import NotAllowed
from onestop.audit.models import AuditEvent
from onestop.catalog.models import Channel, ItemStatus, ServiceItem
from onestop.core.errors import InvalidInput
from onestop.demands.tests import factories as f
from onestop.supervision import selectors, services
from onestop.supervision.models import ImportantItem, ItemRating, ItemReview

from .conftest import issue

pytestmark = [pytest.mark.django_db, pytest.mark.clause("HM 5.4")]


@pytest.fixture
def service_item(category) -> ServiceItem:
    return ServiceItem.objects.create(
        category=category,
        name="计量器具强制检定",
        summary="工作计量器具强制检定申请",
        conditions="列入强制检定目录的工作计量器具",
        time_limit_working_days=10,
        fees="按物价部门核定标准收费",
        channel=Channel.BOTH,
        handled_by="江阴市计量测试所",
        status=ItemStatus.PUBLISHED,
    )


@pytest.fixture
def wuxi(regions):
    return regions["320200"]


def review_input(region, *, service_item=None, offering=None, **fields) -> services.ReviewInput:
    data = {
        "region": region,
        "service_item": service_item,
        "offering": offering,
        "period_start": dt.date(2026, 7, 1),
        "period_end": dt.date(2026, 9, 30),
        "findings": "抽查 20 件，2 件超时限",
        "rating": ItemRating.ACCEPTABLE,
        "effectiveness": "办理时限总体符合承诺，企业满意度 92%",
        **fields,
    }
    return services.ReviewInput(**data)


def test_marking_an_item_important_once_per_region(wx_supervisor, wuxi, service_item):
    item = services.important_item_mark(
        actor=wx_supervisor, region=wuxi, service_item=service_item, note="涉及民生计量"
    )

    assert item.item_name == service_item.name
    with pytest.raises(InvalidInput):
        services.important_item_mark(actor=wx_supervisor, region=wuxi, service_item=service_item)
    with pytest.raises(InvalidInput):  # neither item nor offering
        services.important_item_mark(actor=wx_supervisor, region=wuxi)
    assert ImportantItem.objects.count() == 1
    assert AuditEvent.objects.filter(action="supervision.item_mark").count() == 1


def test_only_supervisors_of_the_region_mark_and_review(
    hm_supervisor, station_worker, wuxi, service_item
):
    for outsider in (hm_supervisor, station_worker):
        with pytest.raises(NotAllowed):
            services.important_item_mark(actor=outsider, region=wuxi, service_item=service_item)
        with pytest.raises(NotAllowed):
            services.item_review_record(
                actor=outsider, data=review_input(wuxi, service_item=service_item)
            )
    assert not ImportantItem.objects.exists()
    assert not ItemReview.objects.exists()


def test_a_review_records_findings_rating_effectiveness_and_actions(
    wx_supervisor, wuxi, offering, institution
):
    action = issue(wx_supervisor, target=institution)

    review = services.item_review_record(
        actor=wx_supervisor,
        data=review_input(wuxi, offering=offering, corrective_actions=[action]),
    )

    assert review.reviewer == wx_supervisor
    assert review.rating == ItemRating.ACCEPTABLE
    assert list(review.corrective_actions.all()) == [action]
    assert list(action.item_reviews.all()) == [review]
    assert AuditEvent.objects.filter(action="supervision.item_review").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"period_start": dt.date(2026, 10, 1), "period_end": dt.date(2026, 9, 30)}, "period_end"),
        ({"period_end": dt.date(2026, 12, 31)}, "period_end"),  # in the future
        ({"period_start": dt.date(2025, 1, 1)}, "period_end"),  # longer than a year
        ({"findings": " "}, "findings"),
        ({"effectiveness": ""}, "effectiveness"),
        ({"rating": "excellent"}, "rating"),
    ],
)
def test_bad_reviews_are_refused(wx_supervisor, wuxi, service_item, fields, field):
    with pytest.raises(InvalidInput) as refused:
        services.item_review_record(
            actor=wx_supervisor, data=review_input(wuxi, service_item=service_item, **fields)
        )

    assert refused.value.field == field
    assert not ItemReview.objects.exists()


def test_actions_of_another_region_cannot_be_linked(
    wx_supervisor, make_user, regions, service_item
):
    jiangyin_boss = make_user("center_staff", "320281", kind="staff")
    elsewhere = issue(wx_supervisor, target=f.institution(regions["320205"], "锡山检测所"))

    with pytest.raises(InvalidInput):
        services.item_review_record(
            actor=jiangyin_boss,
            data=review_input(
                regions["320281"], service_item=service_item, corrective_actions=[elsewhere]
            ),
        )


def test_items_not_reviewed_this_quarter(
    wx_supervisor, hm_supervisor, wuxi, regions, service_item, offering, django_assert_num_queries
):
    reviewed = services.important_item_mark(
        actor=wx_supervisor, region=wuxi, service_item=service_item
    )
    waiting = services.important_item_mark(actor=wx_supervisor, region=wuxi, offering=offering)
    services.important_item_mark(
        actor=hm_supervisor, region=regions["650500"], service_item=service_item
    )
    # A review of last quarter's period carried out this quarter counts.
    services.item_review_record(
        actor=wx_supervisor, data=review_input(wuxi, service_item=service_item)
    )
    # A review done last quarter does not.
    old = services.item_review_record(
        actor=wx_supervisor, data=review_input(wuxi, offering=offering)
    )
    ItemReview.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=60))
    authz.forget(wx_supervisor)

    with django_assert_num_queries(2):  # role assignments, the items
        unreviewed = selectors.important_items_unreviewed(user=wx_supervisor)

    assert unreviewed == [waiting]
    assert reviewed not in unreviewed


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (dt.date(2026, 11, 18), dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2026, 2, 28), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 6, 30), dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
    ],
)
def test_quarters(day, first, last):
    assert selectors.quarter_of(day) == (first, last)


# --- pages --------------------------------------------------------------------------------------


def test_review_pages_record_and_show_a_review(
    client, otp_login, wx_supervisor, wuxi, service_item, institution
):
    item = services.important_item_mark(actor=wx_supervisor, region=wuxi, service_item=service_item)
    action = issue(wx_supervisor, target=institution)
    otp_login(wx_supervisor)
    listing = client.get(reverse("supervision:reviews")).content.decode()
    assert f'data-item="{item.pk}"' in listing
    assert client.get(reverse("supervision:review_new"), {"item": item.pk}).status_code == 200

    response = client.post(
        reverse("supervision:review_new"),
        {
            "item": item.pk,
            "period_start": "2026-07-01",
            "period_end": "2026-09-30",
            "findings": "抽查 20 件，全部按时办结",
            "rating": "good",
            "effectiveness": "企业满意度 96%",
            "corrective_actions": [action.pk],
        },
    )

    review = ItemReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:review", kwargs={"pk": review.pk})
    page = client.get(response["Location"]).content.decode()
    assert action.number in page
    assert 'data-rating="good"' in page
    listing = client.get(reverse("supervision:reviews")).content.decode()
    assert 'id="unreviewed-none"' in listing


def test_a_bad_review_form_stores_nothing(client, otp_login, wx_supervisor, wuxi, service_item):
    item = services.important_item_mark(actor=wx_supervisor, region=wuxi, service_item=service_item)
    otp_login(wx_supervisor)

    response = client.post(
        reverse("supervision:review_new"),
        {
            "item": item.pk,
            "period_start": "2026-10-01",
            "period_end": "2026-12-31",
            "findings": "x",
            "rating": "good",
            "effectiveness": "y",
        },
    )

    assert response.status_code == 400
    assert not ItemReview.objects.exists()


def test_review_page_is_404_for_other_regions(
    client, otp_login, wx_supervisor, hm_supervisor, wuxi, service_item
):
    review = services.item_review_record(
        actor=wx_supervisor, data=review_input(wuxi, service_item=service_item)
    )
    otp_login(hm_supervisor)

    assert client.get(reverse("supervision:review", kwargs={"pk": review.pk})).status_code == 404


def test_review_list_query_count_is_constant(
    client, otp_login, wx_supervisor, wuxi, service_item, offering, django_assert_num_queries
):
    services.important_item_mark(actor=wx_supervisor, region=wuxi, service_item=service_item)
    services.item_review_record(
        actor=wx_supervisor, data=review_input(wuxi, service_item=service_item)
    )
    otp_login(wx_supervisor)
    url = reverse("supervision:reviews")
    client.get(url)
    # session, user, 2FA device, role assignments, count, page, unreviewed
    # items, the header's current region
    with django_assert_num_queries(8) as few:
        client.get(url)
    services.important_item_mark(actor=wx_supervisor, region=wuxi, offering=offering)
    for _n in range(6):
        services.item_review_record(actor=wx_supervisor, data=review_input(wuxi, offering=offering))

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('data-rating="acceptable"') == 7


def test_review_detail_query_count_is_constant(
    client, otp_login, wx_supervisor, wuxi, service_item, institution, django_assert_num_queries
):
    review = services.item_review_record(
        actor=wx_supervisor,
        data=review_input(
            wuxi,
            service_item=service_item,
            corrective_actions=[issue(wx_supervisor, target=institution)],
        ),
    )
    otp_login(wx_supervisor)
    url = reverse("supervision:review", kwargs={"pk": review.pk})
    client.get(url)
    # session, user, 2FA device, role assignments, the review, its actions,
    # the header's current region
    with django_assert_num_queries(7) as few:
        client.get(url)
    review.corrective_actions.add(*[issue(wx_supervisor, target=institution) for _ in range(4)])

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("ZG-2026-") == 5


def test_marking_and_unmarking_through_the_page(
    client, otp_login, wx_supervisor, hm_supervisor, wuxi, service_item
):
    otp_login(wx_supervisor)
    url = reverse("supervision:important_items")

    response = client.post(url, {"region": wuxi.pk, "service_item": service_item.pk})
    assert response.status_code == 302
    item = ImportantItem.objects.get()
    assert client.post(url, {"region": wuxi.pk}).status_code == 400  # no item named

    otp_login(hm_supervisor)
    unmark = reverse("supervision:item_unmark", kwargs={"pk": item.pk})
    assert client.post(unmark).status_code == 404
    otp_login(wx_supervisor)
    assert client.post(unmark).status_code == 302
    assert not ImportantItem.objects.exists()

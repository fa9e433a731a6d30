"""Every list and detail page of the app takes a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from onestop.summaries import services
from onestop.summaries.models import AnnualSummary, ImprovementItem, ImprovementPlan, SummaryStatus

from .conftest import LAST_YEAR, add_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def summary(world, django_capture_on_commit_callbacks) -> AnnualSummary:
    with django_capture_on_commit_callbacks(execute=True):
        made = services.summary_request(
            actor=world.lz_manager, region=world.liuzhou, year=LAST_YEAR
        )
    made.refresh_from_db()
    return made


@pytest.fixture
def item(world) -> ImprovementItem:
    return add_item(world, year=LAST_YEAR)


def _summaries(world, number: int) -> None:
    for n in range(number):
        AnnualSummary.objects.create(
            region=world.liuzhou if n % 2 else world.chengzhong,
            year=2010 + n,
            period_end=dt.date(2010 + n, 12, 31),
            requested_by=world.lz_manager,
            status=SummaryStatus.DONE,
        )


def test_the_list_takes_a_fixed_number_of_queries(
    client, world, otp_login, django_assert_num_queries
):
    otp_login(world.lz_manager)
    url = reverse("summaries:manage_list")
    _summaries(world, 2)
    client.get(url)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    _summaries(world, 5)
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_detail_page_takes_a_fixed_number_of_queries(
    client, world, summary, otp_login, django_assert_num_queries
):
    otp_login(world.lz_manager)
    url = reverse("summaries:detail", args=[summary.pk])
    client.get(url)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


def test_the_plan_and_item_pages_take_a_fixed_number_of_queries(
    client, world, item, otp_login, django_assert_num_queries
):
    otp_login(world.lz_manager)
    plan_url = reverse("summaries:plan", args=["450200", LAST_YEAR])
    item_url = reverse("summaries:item", args=[item.pk])
    client.get(plan_url)
    with django_assert_num_queries(8):
        assert client.get(plan_url).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(item_url).status_code == 200
    for _n in range(3):
        add_item(world, year=LAST_YEAR)
    services.improvement_item_start(actor=world.lz_manager, item=item)
    services.improvement_item_complete(actor=world.lz_manager, item=item)
    with django_assert_num_queries(8):
        assert client.get(plan_url).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(item_url).status_code == 200


def test_the_public_pages_take_a_fixed_number_of_queries(
    client, world, item, django_assert_num_queries
):
    ImprovementPlan.objects.update(published_at=item.created_at)
    url = reverse("summaries:public_plan", args=["450200", LAST_YEAR])
    client.get(url)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    add_item_published = ImprovementItem.objects.create(
        plan=item.plan,
        number=2,
        problem="又一项",
        measure="措施",
        owner="科室",
        due_on=dt.date(2026, 1, 31),
        created_by=world.lz_manager,
    )
    assert add_item_published.pk
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(reverse("summaries:public_index")).status_code == 200

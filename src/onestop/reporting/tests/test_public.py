"""The published results for everybody (WX 8.1.1): list, page, CSV; no
personal data, latest versions, query counts pinned."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from onestop.reporting import services
from onestop.reporting.models import Snapshot

from .conftest import OCT_1, OCT_31, PRIVATE, at

pytestmark = pytest.mark.django_db

LIST = reverse("reporting:published_list")


def publish(actor, region, **kwargs):
    return services.snapshot_publish(
        actor=actor, region=region, kind="month", start=OCT_1, end=OCT_31, methods=["user"],
        **kwargs,
    )  # fmt: skip


def plain_snapshot(region, user, month, version=1):
    """A snapshot row for paging tests (the tables do not matter there)."""
    start = dt.date(2025, month, 1)
    return Snapshot.objects.create(
        region=region, period_kind="month", start=start, end=start + dt.timedelta(days=27),
        version=version, title=f"2025年{month}月", tables=[], methods=["user"], published_by=user,
    )  # fmt: skip


@pytest.fixture
def published(rolled, wx_center, regions):
    return publish(wx_center, regions["320200"], remarks="按季度公示")


@pytest.mark.clause("WX 8.1.1")
def test_anyone_reads_the_published_page(client, published):
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert published.title in body
    assert 'id="table-institutions"' in body
    assert '<svg id="chart-satisfaction"' in body
    assert "江阴示范检测所" in body
    assert 'id="superseded"' not in body
    assert 'id="replaces"' not in body
    assert "按季度公示" in body


@pytest.mark.clause("WX 8.1.1")
def test_no_personal_data_on_the_page_or_in_the_csv(client, published, wx_center):
    page = client.get(published.get_absolute_url()).content.decode()
    sheet = client.get(reverse("reporting:published_csv", args=[published.pk])).content.decode()
    for text in (page, sheet):
        for private in (*PRIVATE, wx_center.display_name, wx_center.username):
            assert private not in text
        assert "锡山小型计量站" not in text  # below the minimum sample


@pytest.mark.clause("WX 8.1.1")
def test_the_latest_version_replaces_the_earlier_one(client, published, wx_center, regions):
    second = publish(wx_center, regions["320200"])
    listed = client.get(LIST).context["page"].object_list
    assert [s.pk for s in listed] == [second.pk]
    new = client.get(second.get_absolute_url()).content.decode()
    assert 'id="replaces"' in new
    old = client.get(published.get_absolute_url()).content.decode()
    assert 'id="superseded"' in old
    assert f'href="{second.get_absolute_url()}"' in old


def test_the_csv_opens_in_excel_and_neutralises_formulas(client, rolled, wx_center, regions):
    build = rolled.build
    sneaky = build.institution("320281", '=HYPERLINK("http://evil")检测')
    offering = build.offering(sneaky)
    for _ in range(5):
        build.order(offering, "320281", at(19))
    services.figures_rollup(start=OCT_1, end=OCT_31)
    snapshot = publish(wx_center, regions["320200"])

    response = client.get(reverse("reporting:published_csv", args=[snapshot.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == [snapshot.title]
    names = [row[0] for row in rows if row]
    assert '\'=HYPERLINK("http://evil")检测' in names
    assert not any(name.startswith("=") for name in names)
    assert ["江阴示范检测所", "6", "3", "", "10", "3.92", "20.0", "2"] in rows


def test_the_list_is_paged_filtered_and_costs_fixed_queries(
    client, wx_center, regions, django_assert_num_queries
):
    for month in range(1, 4):
        plain_snapshot(regions["320281"], wx_center, month)
    plain_snapshot(regions["650500"], wx_center, 5)
    client.get(LIST)
    # regions with publications, count, page, the header's region
    with django_assert_num_queries(4) as few:
        client.get(LIST)
    for month in range(6, 13):
        plain_snapshot(regions["320200"], wx_center, month)
        plain_snapshot(regions["320205"], wx_center, month)
    for month in range(1, 13):
        plain_snapshot(regions["650502"], wx_center, month)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    page = response.context["page"]
    assert page.paginator.count == 3 + 1 + 14 + 12
    assert len(page.object_list) == 20
    assert 'rel="next"' in response.content.decode()
    wuxi = client.get(LIST, {"region": "320200"}).context["page"]
    assert wuxi.paginator.count == 3 + 14
    second = client.get(LIST, {"page": "2"}).content.decode()
    assert 'rel="prev"' in second


def test_the_page_costs_fixed_queries(
    client, published, wx_center, regions, django_assert_num_queries
):
    client.get(published.get_absolute_url())
    # the snapshot, its versions, the header's region
    with django_assert_num_queries(3) as few:
        client.get(published.get_absolute_url())
    for _ in range(3):
        latest = publish(wx_center, regions["320200"])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(latest.get_absolute_url())


def test_unknown_publications_are_not_found(client, db):
    assert client.get(reverse("reporting:published_detail", args=[999])).status_code == 404
    assert client.get(reverse("reporting:published_csv", args=[999])).status_code == 404
    assert client.get(LIST, {"region": "999999"}).status_code == 200

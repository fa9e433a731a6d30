"""Publishing a period (WX 8.1.1, 8.1.2): who may, which periods, versions,
immutability, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, NotFound
from onestop.reporting import services
from onestop.reporting.models import Snapshot

from .conftest import OCT_1, OCT_31, PRIVATE, table

pytestmark = pytest.mark.django_db

URL = reverse("reporting:publish")
OCTOBER = {
    "region": "320200",
    "kind": "month",
    "year": "2026",
    "month": "10",
    "methods": ["user", "third_party"],
    "remarks": "第三方测评由某大学开展，结论与用户评价一致。",
}


def publish(actor, region, start=OCT_1, end=OCT_31, kind="month", methods=("user",)):
    return services.snapshot_publish(
        actor=actor, region=region, kind=kind, start=start, end=end, methods=list(methods)
    )


@pytest.mark.clause("WX 8.1.1")
@pytest.mark.clause("WX 8.1.2")
def test_center_staff_publish_a_finished_month(client, rolled, wx_center, otp_login):
    otp_login(wx_center)
    response = client.post(URL, OCTOBER)
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == snapshot.get_absolute_url()
    assert (snapshot.region.code, snapshot.start, snapshot.end) == ("320200", OCT_1, OCT_31)
    assert (snapshot.version, snapshot.period_kind) == (1, "month")
    assert snapshot.methods == ["user", "third_party"]
    assert snapshot.published_by == wx_center
    orders = next(t for t in snapshot.tables if t["key"] == "orders")
    assert orders["rows"][0][1] == 8
    event = AuditEvent.objects.get(action="reporting.publish")
    assert event.object_id == str(snapshot.pk)
    assert event.changes["period"] == "2026-10-01..2026-10-31"


def test_the_form_page_opens_with_last_month(client, wx_center, otp_login, regions):
    otp_login(wx_center)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial["month"] == 10


@pytest.mark.clause("WX 8.1.1")
def test_the_snapshot_is_immutable(rolled, wx_center, regions):
    snapshot = publish(wx_center, regions["320200"])
    snapshot.title = "改过的标题"
    with pytest.raises(ValueError, match="immutable"):
        snapshot.save()
    with pytest.raises(ValueError, match="never deleted"):
        snapshot.delete()
    assert Snapshot.objects.get().title != "改过的标题"


def test_the_snapshot_keeps_its_figures_when_the_data_changes(rolled, wx_center, regions):
    snapshot = publish(wx_center, regions["320200"])
    rolled.build.order(
        rolled.build.offering(rolled.a), "320281", dt.datetime(2026, 10, 20, 10, 0, tzinfo=dt.UTC)
    )
    services.figures_rollup(start=OCT_1, end=OCT_31)
    snapshot.refresh_from_db()
    assert table(snapshot.table_list(), "orders").rows[0][1] == 8


@pytest.mark.clause("WX 8.1.1")
def test_publishing_again_adds_a_version_that_replaces_the_first(rolled, wx_center, regions):
    first = publish(wx_center, regions["320200"])
    second = publish(wx_center, regions["320200"], methods=("user", "self"))
    assert (first.version, second.version) == (1, 2)
    assert Snapshot.objects.count() == 2
    # Another region's October is its own series.
    assert publish(wx_center, regions["320281"]).version == 1


@pytest.mark.parametrize(
    ("start", "end", "kind"),
    [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30), "month"),  # not finished
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31), "month"),  # in the future
        (dt.date(2026, 10, 1), dt.date(2026, 12, 31), "quarter"),  # not finished
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31), "year"),  # not finished
        (dt.date(2026, 10, 31), dt.date(2026, 10, 1), "month"),  # end before start
        (dt.date(2026, 10, 5), dt.date(2026, 10, 31), "month"),  # not a whole month
        (dt.date(2026, 10, 1), dt.date(2026, 10, 30), "month"),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 31), "custom"),
    ],
)
def test_unfinished_or_odd_periods_are_refused(rolled, wx_center, regions, start, end, kind):
    with pytest.raises(InvalidInput):
        publish(wx_center, regions["320200"], start=start, end=end, kind=kind)
    assert not Snapshot.objects.exists()
    assert not AuditEvent.objects.filter(action="reporting.publish").exists()


def test_the_current_month_is_refused_on_the_page(client, rolled, wx_center, otp_login):
    otp_login(wx_center)
    response = client.post(URL, {**OCTOBER, "month": "11"})
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert not Snapshot.objects.exists()


def test_a_period_not_yet_counted_is_refused(october, wx_center, regions):
    with pytest.raises(services.FiguresIncomplete):
        publish(wx_center, regions["320200"])
    services.figures_rollup(start=OCT_1, end=dt.date(2026, 10, 20))
    with pytest.raises(services.FiguresIncomplete):
        publish(wx_center, regions["320200"])
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("methods", [[], ["peer_review"], ["user", "user2"]])
def test_the_methods_must_be_known(rolled, wx_center, regions, methods):
    with pytest.raises(InvalidInput):
        publish(wx_center, regions["320200"], methods=methods)


def test_too_long_remarks_are_refused(rolled, wx_center, regions):
    with pytest.raises(InvalidInput):
        services.snapshot_publish(
            actor=wx_center, region=regions["320200"], kind="month", start=OCT_1, end=OCT_31,
            methods=["user"], remarks="长" * 2001,
        )  # fmt: skip


def test_a_region_outside_the_scope_is_not_found(client, rolled, hm_center, otp_login, regions):
    with pytest.raises(NotFound):
        publish(hm_center, regions["320200"])
    otp_login(hm_center)
    assert client.post(URL, OCTOBER).status_code == 404
    assert not Snapshot.objects.exists()


def test_station_staff_may_not_publish(client, rolled, jy_station_staff, otp_login, regions):
    otp_login(jy_station_staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**OCTOBER, "region": "320281"}).status_code == 403
    with pytest.raises(services.authz.NotAllowed):
        publish(jy_station_staff, regions["320281"])
    assert not Snapshot.objects.exists()


@pytest.mark.clause("WX 8.1.1")
def test_the_snapshot_holds_no_personal_data(rolled, wx_center, regions):
    snapshot = publish(wx_center, regions["320200"])
    text = str(snapshot.tables)
    for private in PRIVATE:
        assert private not in text
    assert "锡山小型计量站" not in text  # below the minimum sample
    assert "江阴示范检测所" in text

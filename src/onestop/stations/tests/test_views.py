import datetime as dt

import pytest
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from onestop.accounts.models import Role
from onestop.accounts.services import role_grant
from onestop.stations.models import Station, StationKind, StationStatus, Tier
from onestop.stations.services import opening_hours_set, station_create
from onestop.stations.tests.conftest import LZ_NAME, block, details


@pytest.fixture
def jiangyin(wx_staff, regions):
    station = station_create(
        actor=wx_staff,
        region=regions["320281"],
        tier=Tier.STATION,
        details=details(
            name="江阴市市场监督管理局服务站",
            organisation="质量发展科牵头",
            duties_and_rules="服务投诉及反馈处理制度",
            services="样品统一接收",
            methods="窗口受理、全程代办",
            flow="登记→匹配→服务→回访",
            complaint_phone="0510-8681 2315",
            person_in_charge="陈国强",
            self_service_kiosk=True,
        ),
    )
    today = timezone.localdate().weekday()
    opening_hours_set(
        actor=wx_staff,
        station=station,
        hours=[
            block(today, "08:30", "12:00"),
            block(today, "17:30", "19:00", "extended", "延时服务"),
            block((today + 1) % 7, "07:30", "08:30", "staggered", "错时服务"),
        ],
    )
    return station


def _grow(actor, region, count, start=0):
    for n in range(start, start + count):
        station = station_create(
            actor=actor,
            region=region,
            tier=Tier.STATION,
            details=details(name=f"江阴示范服务站{n:02d}", kind=StationKind.OTHER),
        )
        opening_hours_set(
            actor=actor, station=station, hours=[block(d, "09:00", "17:00") for d in range(7)]
        )


# --- public pages -----------------------------------------------------------------------


@pytest.mark.clause("WX 4.2.4")
@pytest.mark.clause("LZ 6.1.5")
def test_disclosure_page_shows_every_item_and_a_tel_link(client, jiangyin):
    # when a visitor (no login) opens the station's page
    body = client.get(f"/stations/{jiangyin.pk}/").content.decode()

    # then each disclosure item is there, the complaint phone dials
    for text in ("质量发展科牵头", "服务投诉及反馈处理制度", "样品统一接收", "窗口受理、全程代办"):
        assert text in body
    assert "登记→匹配→服务→回访" in body
    assert 'href="tel:0510-86812315"' in body
    assert "陈国强" in body


@pytest.mark.clause("WX 5.3d")
def test_disclosure_page_marks_today_and_extended_and_staggered_hours(client, jiangyin):
    with translation.override("zh-hans"):
        body = client.get(f"/stations/{jiangyin.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        body = body.content.decode()
        today_label = str(WEEKDAYS[timezone.localdate().weekday()])
        extended, staggered = _("Extended hours"), _("Staggered hours")

    today_row = body.split('aria-current="date"', 1)[1].split("</tr>", 1)[0]
    assert today_label in today_row
    assert "17:30–19:00" in today_row
    assert extended in today_row
    assert "延时服务" in today_row
    assert staggered in body
    assert "错时服务" in body
    assert body.count('aria-current="date"') == 1


@pytest.mark.clause("WX 4.2.5")
def test_wuxi_station_pages_carry_the_unified_station_name(client, jiangyin, lz_staff, regions):
    liubei = station_create(
        actor=lz_staff, region=regions["450205"], tier=Tier.STATION, details=details(name=LZ_NAME)
    )
    with translation.override("zh-hans"):
        sign = _("Quality infrastructure one-stop service station")
        wuxi = client.get(f"/stations/{jiangyin.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        liuzhou = client.get(f"/stations/{liubei.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert sign in wuxi.content.decode()
    assert sign not in liuzhou.content.decode()


@pytest.mark.clause("HM 4.1.1.1")
@pytest.mark.clause("HM 4.1.2.2")
def test_pages_link_up_and_down_the_hierarchy(client, hm_center, hm_station):
    center = client.get(f"/stations/{hm_center.pk}/").content.decode()
    station = client.get(f"/stations/{hm_station.pk}/").content.decode()

    assert f'href="/stations/{hm_station.pk}/"' in center
    assert f'href="/stations/{hm_center.pk}/"' in station
    assert hm_station.person_in_charge in station


def test_list_filters_by_region_and_links_to_detail(client, jiangyin, hm_center):
    body = client.get("/stations/?region=320281").content.decode()

    assert f'href="/stations/{jiangyin.pk}/"' in body
    assert hm_center.name not in body


def test_list_defaults_to_the_visitors_region(client, jiangyin, hm_center, settings):
    settings.ONESTOP_DEFAULT_REGION = "650500"

    body = client.get("/stations/").content.decode()

    assert hm_center.name in body
    assert jiangyin.name not in body


@pytest.mark.parametrize(
    "url", ["/stations/999999/", "/stations/?region=999999", "/stations/?region=%3Cscript%3E"]
)
def test_bad_ids_are_404_pages(client, regions, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"<html" in response.content


def test_closed_station_is_404(client, hm_center):
    Station.objects.filter(pk=hm_center.pk).update(status=StationStatus.CLOSED)
    assert client.get(f"/stations/{hm_center.pk}/").status_code == 404


def test_list_query_count_is_constant(client, wx_staff, regions, django_assert_num_queries):
    _grow(wx_staff, regions["320281"], 2)
    client.get("/stations/?region=320281")
    # filter region, stations, today's hours, region choices, the header's current region
    with django_assert_num_queries(5) as few:
        client.get("/stations/?region=320281")
    _grow(wx_staff, regions["320281"], 8, start=2)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/stations/?region=320281").content.decode()
    assert body.count("江阴示范服务站") == 10


def test_detail_query_count_is_constant(
    client, hm_staff, hm_center, regions, django_assert_num_queries
):
    opening_hours_set(actor=hm_staff, station=hm_center, hours=[block(0, "10:00", "14:00")])
    client.get(f"/stations/{hm_center.pk}/")
    # station+region+parent, children, hours, profile, the header's current region
    with django_assert_num_queries(5) as few:
        client.get(f"/stations/{hm_center.pk}/")
    for n in range(6):
        station = station_create(
            actor=hm_staff,
            region=regions["650502"],
            tier=Tier.STATION,
            details=details(name=f"伊州区服务站{n}", parent=hm_center),
        )
        opening_hours_set(
            actor=hm_staff, station=station, hours=[block(d, "10:00", "14:00") for d in range(5)]
        )
    opening_hours_set(
        actor=hm_staff, station=hm_center, hours=[block(d, "10:00", "14:00") for d in range(7)]
    )

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"/stations/{hm_center.pk}/").content.decode()
    assert body.count("伊州区服务站") == 6


# --- workbench -------------------------------------------------------------------------------


def _form(**overrides):
    data = {
        "tier": "station",
        "region": "",
        "name": "江阴市市场监督管理局服务站",
        "kind": "regulator_or_park",
        "parent": "",
        "address": "江阴市澄江中路159号",
        "phone": "0510-86812345",
        "complaint_phone": "0510-12315",
        "person_in_charge": "陈国强",
        "organisation": "质量发展科牵头",
        "duties_and_rules": "岗位职责",
        "services": "样品统一接收",
        "methods": "窗口受理",
        "flow": "登记→服务→回访",
    }
    data.update(overrides)
    return data


def test_center_staff_create_edit_and_close_a_station(client, otp_login, wx_staff, regions):
    otp_login(wx_staff)
    assert client.get("/stations/manage/new/").status_code == 200

    response = client.post("/stations/manage/new/", _form(region=regions["320281"].pk))
    station = Station.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/stations/manage/{station.pk}/"

    response = client.post(f"/stations/manage/{station.pk}/", _form(person_in_charge="周敏"))
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.person_in_charge == "周敏"

    listing = client.get("/stations/manage/").content.decode()
    assert station.name in listing

    assert client.post(f"/stations/manage/{station.pk}/close/").status_code == 302
    station.refresh_from_db()
    assert station.status == StationStatus.CLOSED


@pytest.mark.clause("LZ 6.3.1")
def test_a_wrong_liuzhou_name_is_shown_beside_the_field(client, otp_login, lz_staff, regions):
    otp_login(lz_staff)

    response = client.post(
        "/stations/manage/new/", _form(region=regions["450205"].pk, name="柳北区服务站")
    )

    assert response.status_code == 400
    assert "LZ 6.3.1" in response.content.decode()
    assert not Station.objects.exists()


def test_staff_cannot_pick_a_region_outside_their_scope(client, otp_login, wx_staff, regions):
    otp_login(wx_staff)
    response = client.post("/stations/manage/new/", _form(region=regions["650502"].pk))
    assert response.status_code == 400
    assert not Station.objects.exists()


def test_center_staff_of_another_city_get_404_on_edit(client, otp_login, wx_staff, hm_center):
    otp_login(wx_staff)
    assert client.get(f"/stations/manage/{hm_center.pk}/").status_code == 404
    assert client.post(f"/stations/manage/{hm_center.pk}/close/").status_code == 404
    hm_center.refresh_from_db()
    assert hm_center.status == StationStatus.ACTIVE


def test_station_staff_cannot_open_the_manage_pages(
    client, otp_login, make_user, hm_station, regions
):
    worker = make_user(kind="staff")
    role_grant(
        actor=None, user=worker, role=Role.STATION_STAFF, region=regions["650502"], scope=hm_station
    )
    otp_login(worker)

    assert client.get("/stations/manage/").status_code == 403
    assert client.get(f"/stations/manage/{hm_station.pk}/").status_code == 403


def test_anonymous_visitors_are_sent_to_the_workbench_login(client):
    response = client.get("/stations/manage/")
    assert response.status_code == 302
    assert "/workbench/" in response["Location"]


def test_edit_page_lists_staff_and_hours(
    client, otp_login, make_user, hm_staff, hm_station, regions
):
    worker = make_user(kind="staff", display_name="阿依古丽")
    role_grant(
        actor=None, user=worker, role=Role.STATION_STAFF, region=regions["650502"], scope=hm_station
    )
    opening_hours_set(actor=hm_staff, station=hm_station, hours=[block(0, "10:00", "14:00")])
    otp_login(hm_staff)

    body = client.get(f"/stations/manage/{hm_station.pk}/").content.decode()

    assert "阿依古丽" in body
    assert "10:00–14:00" in body


@pytest.mark.clause("WX 5.3d")
def test_hours_form_saves_extended_saturday_hours(client, otp_login, wx_staff, jiangyin):
    otp_login(wx_staff)
    assert client.get(f"/stations/manage/{jiangyin.pk}/hours/").status_code == 200
    # the three rows on file come back edited (two) and ticked for deletion (one),
    # with an untouched spare row as the browser posts it
    data = {
        "hours-TOTAL_FORMS": "4",
        "hours-INITIAL_FORMS": "3",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "42",
        "hours-0-weekday": "0",
        "hours-0-opens": "08:30",
        "hours-0-closes": "17:30",
        "hours-0-kind": "regular",
        "hours-1-weekday": "5",
        "hours-1-opens": "09:00",
        "hours-1-closes": "12:00",
        "hours-1-kind": "extended",
        "hours-1-note": "周六延时服务",
        "hours-2-weekday": "",
        "hours-2-opens": "",
        "hours-2-closes": "",
        "hours-2-kind": "",
        "hours-2-DELETE": "on",
        "hours-3-weekday": "",
        "hours-3-opens": "",
        "hours-3-closes": "",
        "hours-3-kind": "",
        "hours-3-note": "",
    }

    response = client.post(f"/stations/manage/{jiangyin.pk}/hours/", data)

    assert response.status_code == 302
    saturday = jiangyin.opening_hours.get(weekday=5)
    assert (saturday.opens, saturday.kind, saturday.note) == (
        dt.time(9),
        "extended",
        "周六延时服务",
    )
    assert jiangyin.opening_hours.count() == 2


def test_overlapping_hours_are_shown_not_crashed(client, otp_login, wx_staff, jiangyin):
    otp_login(wx_staff)
    data = {
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "42",
        "hours-0-weekday": "0",
        "hours-0-opens": "08:30",
        "hours-0-closes": "17:30",
        "hours-0-kind": "regular",
        "hours-1-weekday": "0",
        "hours-1-opens": "09:00",
        "hours-1-closes": "12:00",
        "hours-1-kind": "regular",
    }
    response = client.post(f"/stations/manage/{jiangyin.pk}/hours/", data)
    assert response.status_code == 400
    assert jiangyin.opening_hours.count() == 3  # unchanged

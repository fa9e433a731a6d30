"""The statistics dashboard: who may open it, which regions, the period
pickers, the charts, and a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from onestop.reporting.services import figures_rollup

from .conftest import at, cell

pytestmark = pytest.mark.django_db

URL = reverse("reporting:dashboard")
OCTOBER = {"region": "320200", "kind": "month", "year": "2026", "month": "10"}


def test_visitors_go_to_the_login_and_users_are_refused(client, make_user, regions):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]
    client.force_login(make_user("individual", "320281", kind="individual"))
    assert client.get(URL).status_code in (302, 403)


@pytest.mark.clause("HM 5.3")
def test_center_staff_see_the_month_of_their_city(client, rolled, wx_center, otp_login):
    otp_login(wx_center)
    with translation.override("en"):
        response = client.get(URL, OCTOBER)
    assert response.status_code == 200
    tables = response.context["board"].tables
    assert cell(tables, "orders", "Orders placed") == 8
    body = response.content.decode()
    for key in ("demands", "orders", "clocks", "satisfaction", "complaints", "institutions"):
        assert f'id="table-{key}"' in body
    assert 'id="coverage"' in body
    assert "<script" not in body


@pytest.mark.clause("WX 8.1.1")
def test_charts_are_inline_svg_with_a_text_alternative(client, rolled, wx_center, otp_login):
    otp_login(wx_center)
    body = client.get(URL, OCTOBER).content.decode()
    for chart in ("chart-satisfaction", "chart-orders"):
        assert f'<svg id="{chart}" class="chart" role="img"' in body
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in body
        assert f'<desc id="{chart}-desc">' in body
    # the attitude bar: 81.8 % satisfied, printed in the chart and in the table
    assert ">81.8%</text>" in body
    assert "http://" not in body.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_staff_may_pick_a_sub_region(client, rolled, wx_center, otp_login):
    otp_login(wx_center)
    response = client.get(URL, {**OCTOBER, "region": "320205"})
    assert cell(response.context["board"].tables, "orders", "Orders placed") == 2


def test_a_region_outside_the_scope_is_not_found(
    client, rolled, hm_center, jy_station_staff, otp_login
):
    otp_login(hm_center)
    assert client.get(URL, OCTOBER).status_code == 404
    assert client.get(URL, {**OCTOBER, "region": "650500"}).status_code == 200
    otp_login(jy_station_staff)
    assert client.get(URL, OCTOBER).status_code == 404  # the city above the station
    response = client.get(URL, {**OCTOBER, "region": "320281"})
    assert cell(response.context["board"].tables, "orders", "Orders placed") == 6


def test_the_authority_sees_its_city(client, rolled, wx_authority, otp_login):
    otp_login(wx_authority)
    response = client.get(URL, {**OCTOBER, "kind": "quarter", "quarter": "4"})
    assert response.status_code == 200
    assert cell(response.context["board"].tables, "orders", "Orders placed") == 8


def test_without_parameters_the_current_month_of_the_widest_region(
    client, rolled, wx_center, otp_login
):
    otp_login(wx_center)
    response = client.get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert (board.region.code, board.start, board.end) == (
        "320200",
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 30),
    )
    assert board.incomplete  # counted up to 17 November


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "custom", "start": "2026-10-31", "end": "2026-10-01"}, "end"),
        ({"kind": "custom", "start": "2026-10-01", "end": ""}, "end"),
        ({"kind": "custom", "start": "2010-01-01", "end": "2026-10-01"}, "end"),
        ({"kind": "month", "month": ""}, "month"),
        ({"kind": "decade"}, "kind"),
        ({"year": "1900"}, "year"),
    ],
)
def test_bad_periods_are_form_errors(client, rolled, wx_center, otp_login, params, field):
    otp_login(wx_center)
    response = client.get(URL, {**OCTOBER, **params})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["board"] is None


def test_a_region_alone_takes_the_other_defaults(client, rolled, wx_center, otp_login):
    otp_login(wx_center)
    response = client.get(URL, {"region": "320281"})
    board = response.context["board"]
    assert (board.region.code, board.start) == ("320281", dt.date(2026, 11, 1))


def test_a_custom_period(client, rolled, wx_center, otp_login):
    otp_login(wx_center)
    params = {**OCTOBER, "kind": "custom", "start": "2026-10-12", "end": "2026-10-12"}
    response = client.get(URL, params)
    assert cell(response.context["board"].tables, "orders", "Orders placed") == 6


def test_the_dashboard_costs_the_same_queries_for_more_data(
    client, rolled, wx_center, otp_login, django_assert_num_queries
):
    otp_login(wx_center)
    client.get(URL, OCTOBER)
    # session, user, second-factor device, role assignments, regions of the
    # scope, the figures, the orders by month, the questionnaires, the rollup
    # state, the header's region
    with django_assert_num_queries(10) as few:
        client.get(URL, OCTOBER)
    build = rolled.build
    for n in range(11):
        institution = build.institution("320213", f"新增检测机构{n}")
        offering = build.offering(institution)
        for _ in range(5):
            order = build.order(offering, "320213", at(20), completed=at(21))
            build.evaluate(order, {"institution_1": "satisfied"}, at(22), score="4.00")
    figures_rollup(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL, OCTOBER)
    assert cell(response.context["board"].tables, "orders", "Orders placed") == 8 + 55
    assert len(response.context["board"].tables[-2].rows) >= 12


def test_the_board_is_rendered_once_per_rollup(
    client,
    rolled,
    wx_center,
    otp_login,
    settings,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The tables only change when the rollup runs: kept in the cache until then."""
    import uuid

    settings.ONESTOP_STATISTICS_CACHE_SECONDS = 600
    cache = {**settings.CACHES["default"], "KEY_PREFIX": f"board-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": cache}
    otp_login(wx_center)
    first = client.get(URL, OCTOBER).content.decode()
    # Without the figures, the orders by month and the questionnaires.
    with django_assert_num_queries(7):
        again = client.get(URL, OCTOBER).content.decode()
    assert _tables(again) == _tables(first)
    assert "stats-section" in _tables(first)
    build = rolled.build
    institution = build.institution("320213", "新增检测机构")
    for _ in range(5):
        build.order(build.offering(institution), "320213", at(20), completed=at(21))
    with django_capture_on_commit_callbacks(execute=True):
        figures_rollup(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    response = client.get(URL, OCTOBER)
    assert cell(response.context["board"].tables, "orders", "Orders placed") == 8 + 5
    assert "新增检测机构" in response.content.decode()


def _tables(page: str) -> str:
    return page[page.index('id="coverage"') :]

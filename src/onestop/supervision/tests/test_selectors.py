"""Reads for other modules: the actions of a region and period (annual
summary), and who counts as the target."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onestop.demands.tests import factories as f
from onestop.supervision import selectors
from onestop.supervision.models import OVERDUE, CorrectiveAction

from .conftest import issue, make_overdue

pytestmark = [pytest.mark.django_db, pytest.mark.clause("HM 5.1")]


def test_actions_of_a_region_and_period_in_one_query(
    wx_supervisor,
    hm_supervisor,
    institution,
    station,
    station_worker,
    regions,
    django_assert_num_queries,
):
    first = make_overdue(issue(wx_supervisor, target=institution))
    second = issue(wx_supervisor, target=station)
    third = issue(wx_supervisor, target=station_worker)
    earlier = issue(wx_supervisor, target=institution)
    CorrectiveAction.objects.filter(pk=earlier.pk).update(
        issued_at=timezone.now() - dt.timedelta(days=400)
    )
    issue(hm_supervisor, target=f.institution(regions["650502"], "哈密市产品质量检验所"))
    today = timezone.localdate()

    with django_assert_num_queries(1):
        rows = selectors.corrective_actions_in(
            region=regions["320200"], start=dt.date(today.year, 1, 1), end=today
        )
        names = [row.target_name for row in rows]
        states = [row.state for row in rows]

    assert [row.pk for row in rows] == [first.pk, second.pk, third.pk]
    assert names == [institution.name, station.name, str(station_worker)]
    assert states == [OVERDUE, "issued", "issued"]
    assert (
        selectors.corrective_actions_in(region=regions["650500"], start=today, end=today)[
            0
        ].region.code
        == "650502"
    )
    assert (
        selectors.corrective_actions_in(
            region=regions["320200"], start=today + dt.timedelta(days=1), end=today
        )
        == []
    )


def test_the_period_is_in_china_dates(wx_supervisor, institution, regions, time_machine):
    # 23:30 on 31 December in Shanghai is still the old year there.
    time_machine.move_to(dt.datetime(2026, 12, 31, 23, 30, tzinfo=timezone.get_current_timezone()))
    action = issue(wx_supervisor, target=institution, due_on=dt.date(2027, 1, 10))

    in_2026 = selectors.corrective_actions_in(
        region=regions["320200"], start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    )

    assert in_2026 == [action]


def test_target_condition_covers_institution_station_and_person(
    wx_supervisor, institution, station, station_worker, owner
):
    to_institution = issue(wx_supervisor, target=institution)
    to_station = issue(wx_supervisor, target=station)
    to_person = issue(wx_supervisor, target=station_worker)

    assert list(selectors.actions_for_target(user=owner)) == [to_institution]
    assert set(selectors.actions_for_target(user=station_worker)) == {to_station, to_person}
    assert list(selectors.actions_for_target(user=wx_supervisor)) == []
    assert selectors.is_target(owner, to_institution)
    assert not selectors.is_target(owner, to_station)

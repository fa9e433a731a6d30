"""Which SLA clocks are at risk or breached, and who may see them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from onestop.core import services
from onestop.core.selectors import sla_clocks_at_risk, sla_clocks_breached
from onestop.core.workdays import TZ

NOW = dt.datetime(2026, 3, 4, 12, 0, tzinfo=TZ)  # Wednesday


def sh(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def clocks(regions):
    """Clocks in Liuzhou's 城中区 (450202), in Wuxi (320200) and with no region."""

    def clock(name, region_code, started_at, days):
        region = regions[region_code] if region_code else None
        return services.sla_clock_start(
            subject=regions["450200"],
            kind=name,
            working_days=days,
            started_at=started_at,
            region=region,
        )

    made = {
        # due 24:00 Thu 5 Mar, at risk from Wed 4 Mar 04:30
        "liuzhou_at_risk": clock("liuzhou_at_risk", "450202", sh(2026, 3, 2, 9), 3),
        # due 24:00 Thu 26 Feb
        "liuzhou_breached": clock("liuzhou_breached", "450202", sh(2026, 2, 25, 9), 1),
        # due 24:00 Mon 9 Mar, at risk from Fri 6 Mar
        "liuzhou_fresh": clock("liuzhou_fresh", "450202", sh(2026, 3, 4, 9), 3),
        "liuzhou_paused_breached": clock(
            "liuzhou_paused_breached", "450202", sh(2026, 2, 25, 9), 1
        ),
        "liuzhou_paused_at_risk": clock("liuzhou_paused_at_risk", "450202", sh(2026, 3, 2, 9), 3),
        "liuzhou_stopped_breached": clock(
            "liuzhou_stopped_breached", "450202", sh(2026, 2, 24, 9), 1
        ),
        "liuzhou_stopped_at_risk": clock("liuzhou_stopped_at_risk", "450202", sh(2026, 3, 2, 9), 3),
        # due 24:00 Thu 26 Feb / at risk like the Liuzhou one
        "wuxi_breached": clock("wuxi_breached", "320200", sh(2026, 2, 25, 10), 1),
        "wuxi_at_risk": clock("wuxi_at_risk", "320200", sh(2026, 3, 2, 10), 3),
        # due 24:00 Wed 25 Feb
        "nowhere_breached": clock("nowhere_breached", None, sh(2026, 2, 24, 9), 1),
    }
    services.sla_clock_pause(clock=made["liuzhou_paused_breached"], at=sh(2026, 2, 25, 12))
    services.sla_clock_pause(clock=made["liuzhou_paused_at_risk"], at=sh(2026, 3, 4, 5))
    services.sla_clock_stop(clock=made["liuzhou_stopped_breached"], at=sh(2026, 3, 1, 9))
    services.sla_clock_stop(clock=made["liuzhou_stopped_at_risk"], at=sh(2026, 3, 4, 9))
    for key in made:
        made[key].refresh_from_db()
    return made


def kinds(queryset) -> list[str]:
    return [clock.kind for clock in queryset]


def test_fixture_clocks_are_where_the_tests_assume(clocks) -> None:
    assert clocks["liuzhou_at_risk"].at_risk_at == sh(2026, 3, 4, 4, 30)
    assert clocks["liuzhou_at_risk"].due_at == sh(2026, 3, 6)
    assert clocks["liuzhou_breached"].due_at == sh(2026, 2, 27)
    assert clocks["liuzhou_fresh"].at_risk_at > NOW
    assert clocks["nowhere_breached"].due_at == sh(2026, 2, 26)


def test_center_staff_see_their_city_subtree_only(clocks, make_user) -> None:
    # given service-center staff of 柳州市
    staff = make_user("center_staff", "450200")
    # then they see the running clocks of 城中区 (450202), not Wuxi's or region-less ones
    assert kinds(sla_clocks_at_risk(user=staff, now=NOW)) == ["liuzhou_at_risk"]
    assert kinds(sla_clocks_breached(user=staff, now=NOW)) == ["liuzhou_breached"]


def test_staff_of_another_city_see_that_city(clocks, make_user) -> None:
    staff = make_user("center_staff", "320200")
    assert kinds(sla_clocks_at_risk(user=staff, now=NOW)) == ["wuxi_at_risk"]
    assert kinds(sla_clocks_breached(user=staff, now=NOW)) == ["wuxi_breached"]


def test_district_authority_sees_its_district(clocks, make_user) -> None:
    authority = make_user("authority", "450202")
    assert kinds(sla_clocks_at_risk(user=authority, now=NOW)) == ["liuzhou_at_risk"]
    assert kinds(sla_clocks_breached(user=authority, now=NOW)) == ["liuzhou_breached"]


def test_sysadmin_sees_all_ordered_by_due(clocks, make_user) -> None:
    admin = make_user("sysadmin")
    assert kinds(sla_clocks_at_risk(user=admin, now=NOW)) == ["liuzhou_at_risk", "wuxi_at_risk"]
    assert kinds(sla_clocks_breached(user=admin, now=NOW)) == [
        "nowhere_breached",
        "liuzhou_breached",
        "wuxi_breached",
    ]


@pytest.mark.parametrize(("role", "region"), [("enterprise", "450200"), (None, None)])
def test_users_without_sla_view_see_none(clocks, make_user, role, region) -> None:
    user = make_user(role, region)
    assert not sla_clocks_at_risk(user=user, now=NOW).exists()
    assert not sla_clocks_breached(user=user, now=NOW).exists()


def test_paused_and_stopped_clocks_are_excluded(clocks, make_user) -> None:
    admin = make_user("sysadmin")
    listed = set(kinds(sla_clocks_at_risk(user=admin, now=NOW))) | set(
        kinds(sla_clocks_breached(user=admin, now=NOW))
    )
    for name in (
        "liuzhou_paused_breached",
        "liuzhou_paused_at_risk",
        "liuzhou_stopped_breached",
        "liuzhou_stopped_at_risk",
    ):
        assert name not in listed
    # once resumed, the paused one is breached again
    services.sla_clock_resume(clock=clocks["liuzhou_paused_breached"], at=sh(2026, 3, 2, 9))
    assert "liuzhou_paused_breached" in kinds(sla_clocks_breached(user=admin, now=NOW))


def test_boundaries_of_at_risk_and_breached(clocks, make_user) -> None:
    staff = make_user("center_staff", "450200")
    clock = clocks["liuzhou_at_risk"]
    # just before the half-way mark: neither
    before = clock.at_risk_at - dt.timedelta(microseconds=1)
    assert kinds(sla_clocks_at_risk(user=staff, now=before)) == []
    # from the half-way mark: at risk
    assert kinds(sla_clocks_at_risk(user=staff, now=clock.at_risk_at)) == ["liuzhou_at_risk"]
    # the last instant before 24:00 of the last day: still at risk, not breached
    last = clock.due_at - dt.timedelta(microseconds=1)
    assert "liuzhou_at_risk" in kinds(sla_clocks_at_risk(user=staff, now=last))
    assert "liuzhou_at_risk" not in kinds(sla_clocks_breached(user=staff, now=last))
    # at 24:00: breached, no longer "at risk"
    assert "liuzhou_at_risk" not in kinds(sla_clocks_at_risk(user=staff, now=clock.due_at))
    assert "liuzhou_at_risk" in kinds(sla_clocks_breached(user=staff, now=clock.due_at))


def test_now_defaults_to_the_current_time(clocks, make_user) -> None:
    staff = make_user("center_staff", "450200")
    with time_machine.travel(NOW, tick=False):
        assert kinds(sla_clocks_at_risk(user=staff)) == ["liuzhou_at_risk"]
        assert kinds(sla_clocks_breached(user=staff)) == ["liuzhou_breached"]
    with time_machine.travel(sh(2026, 3, 2, 10), tick=False):
        assert kinds(sla_clocks_at_risk(user=staff)) == []

"""Follow-up visits (HM 4.3.4.2, WX 7.2.2.2.4): scheduled once per completed
order, recorded by the station or the center, issues turned into demands."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.accounts.authz import NotAllowed
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.demands.models import Demand, DemandSource, Visit
from onestop.enterprises.models import MemberRole, Membership
from onestop.fieldwork import selectors, services
from onestop.fieldwork.models import FollowUp, FollowUpMethod, IssueAction
from onestop.fieldwork.selectors import FollowUpView
from onestop.fieldwork.tests.conftest import enterprise_in, make_order
from onestop.notifications.models import Notification

pytestmark = [pytest.mark.clause("HM 4.3.4.2"), pytest.mark.clause("WX 7.2.2.2.4")]


@pytest.fixture
def proxied(world):
    world.order.proxy_station = world.station
    world.order.save()
    return world.order


def record(world, follow_up, **fields):
    values = {
        "actor": world.staff,
        "follow_up": follow_up,
        "method": FollowUpMethod.PHONE,
        "content": "询问校准结果是否满意",
        "outcome": "满意",
    }
    values.update(fields)
    return services.follow_up_record(**values)


def test_scheduled_five_working_days_later_once_per_order(world, proxied):
    # Wednesday 18 November → Thu, Fri, Mon, Tue, Wed
    first = services.follow_up_schedule(order=proxied)
    again = services.follow_up_schedule(order=proxied)

    assert first.due_on == dt.date(2026, 11, 25)
    assert again.pk == first.pk
    assert FollowUp.objects.count() == 1
    assert first.station == world.station
    assert first.region == proxied.region


def test_a_given_date_and_the_center_when_no_station_handled_it(world):
    follow_up = services.follow_up_schedule(order=world.order, due_on=dt.date(2026, 12, 1))

    assert follow_up.due_on == dt.date(2026, 12, 1)
    assert follow_up.station is None


def test_the_station_that_did_proxy_work_follows_up(world):
    services.proxy_task_create(
        actor=world.wx_center, order=world.order, station=world.station2, title="代办送检"
    )
    assert services.follow_up_schedule(order=world.order).station == world.station2


def test_a_demand_can_be_followed_up_too(world):
    from onestop.demands.models import ContactMethod
    from onestop.demands.services import demand_register

    demand = demand_register(
        actor=world.staff,
        requester=world.user,
        contact_name="赵先生",
        contact_phone="13800138011",
        contact_method=ContactMethod.PHONE,
        category=world.category,
        title="压力表校准需求",
        description="需要校准 5 只压力表",
        region=world.order.region,
        source=DemandSource.PHONE,
        station=world.station,
    )
    follow_up = services.follow_up_schedule(demand=demand)
    assert follow_up.station == world.station
    assert services.follow_up_schedule(demand=demand).pk == follow_up.pk
    with pytest.raises(InvalidInput):
        services.follow_up_schedule()


def test_recorded_once_by_the_station_that_owns_it(world, proxied):
    follow_up = services.follow_up_schedule(order=proxied)
    with pytest.raises(NotAllowed):
        record(world, follow_up, actor=world.staff2)
    with pytest.raises(NotAllowed):
        record(world, follow_up, actor=world.hm_center)

    done = record(world, follow_up, method=FollowUpMethod.ON_SITE)

    assert done.done_by == world.staff
    assert done.done_at is not None
    assert done.method == FollowUpMethod.ON_SITE
    with pytest.raises(InvalidTransition):
        record(world, follow_up)


def test_the_centers_own_follow_ups_are_not_for_station_staff(world):
    follow_up = services.follow_up_schedule(order=world.order)
    with pytest.raises(NotAllowed):
        record(world, follow_up)
    assert record(world, follow_up, actor=world.wx_center).done_by == world.wx_center


def test_bad_records(world, proxied):
    follow_up = services.follow_up_schedule(order=proxied)
    with pytest.raises(InvalidInput) as caught:
        record(world, follow_up, method="letter")
    assert caught.value.field == "method"
    with pytest.raises(InvalidInput) as caught:
        record(world, follow_up, content="")
    assert caught.value.field == "content"
    with pytest.raises(InvalidInput) as caught:
        record(world, follow_up, issues_action=IssueAction.DEMAND)
    assert caught.value.field == "issues_found"
    with pytest.raises(InvalidInput) as caught:
        record(world, follow_up, issues_found="还需检定天平", issues_action=IssueAction.DEMAND)
    assert caught.value.field == "demand_title"
    follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_issues_by_phone_become_a_new_demand(world, proxied):
    follow_up = services.follow_up_schedule(order=proxied)

    done = record(
        world,
        follow_up,
        issues_found="企业还需检定 2 台电子天平",
        issues_action=IssueAction.DEMAND,
        demand_title="电子天平检定",
    )

    demand = Demand.objects.get(pk=done.new_demand_id)
    assert demand.title == "电子天平检定"
    assert demand.description == "企业还需检定 2 台电子天平"
    assert demand.requester == world.user
    assert demand.registered_by == world.staff
    assert demand.source == DemandSource.PHONE
    assert demand.station == world.station


def test_issues_found_on_site_at_an_enterprise_are_a_visit(world, regions):
    enterprise = enterprise_in(
        regions["320281"], name="江阴示范精密机械有限公司", uscc="91320281MA1X2Y3W5C"
    )
    Membership.objects.create(enterprise=enterprise, user=world.user, role=MemberRole.OWNER)
    order = make_order(world.user, world.offering, region=regions["320281"], enterprise=enterprise)
    order.proxy_station = world.station
    order.save()
    follow_up = services.follow_up_schedule(order=order)

    done = record(
        world,
        follow_up,
        method=FollowUpMethod.ON_SITE,
        issues_found="车间温湿度记录不全，计量器具台账缺失",
        issues_action=IssueAction.DEMAND,
        demand_title="计量管理咨询",
    )

    demand = done.new_demand
    assert demand.source == DemandSource.VISIT
    visit = Visit.objects.get(pk=demand.visit_id)
    assert visit.station == world.station
    assert visit.enterprise == enterprise
    assert list(visit.staff.all()) == [world.staff]


@pytest.mark.clause("WX 7.4.2")
def test_issues_meant_as_complaints_become_a_registered_complaint(world, proxied):
    from onestop.complaints.models import Complaint, ComplaintStatus

    follow_up = services.follow_up_schedule(order=proxied)

    done = record(
        world, follow_up, issues_found="机构未按期出具报告", issues_action=IssueAction.COMPLAINT
    )

    assert done.issues_action == IssueAction.COMPLAINT
    assert done.new_demand is None
    assert not Demand.objects.exists()
    complaint = Complaint.objects.get(follow_up=done)
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.institution == proxied.institution
    assert complaint.registered_by == world.staff
    assert "机构未按期出具报告" in complaint.content


def test_due_follow_ups_are_announced_once(world, proxied, regions):
    mine = services.follow_up_schedule(order=proxied, due_on=dt.date(2026, 11, 18))
    center = services.follow_up_schedule(
        order=make_order(world.other_user, world.offering, region=regions["320281"]),
        due_on=dt.date(2026, 11, 17),
    )
    services.follow_up_schedule(
        order=make_order(world.user, world.offering, region=regions["320281"]),
        due_on=dt.date(2026, 11, 30),
    )

    announced = services.follow_ups_due(dt.date(2026, 11, 18))

    assert {f.pk for f in announced} == {mine.pk, center.pk}
    to_station = Notification.objects.get(recipient=world.staff, kind="fieldwork.follow_up_due")
    assert to_station.url == f"/fieldwork/manage/follow-ups/{mine.pk}/"
    assert (
        Notification.objects.filter(
            recipient=world.wx_center, kind="fieldwork.follow_up_due"
        ).count()
        == 1
    )
    assert services.follow_ups_due(dt.date(2026, 11, 18)) == []
    assert Notification.objects.filter(kind="fieldwork.follow_up_due").count() == 2


def test_queue_due_today_overdue_upcoming_and_by_station(world, proxied, regions):
    today = services.follow_up_schedule(order=proxied, due_on=dt.date(2026, 11, 18))
    late = services.follow_up_schedule(
        order=make_order(world.user, world.offering, region=regions["320281"]),
        due_on=dt.date(2026, 11, 16),
    )
    later = services.follow_up_schedule(
        order=make_order(world.user, world.offering, region=regions["320281"]),
        due_on=dt.date(2026, 11, 27),
    )
    day = dt.date(2026, 11, 18)

    def ids(view, user=world.wx_center, station=""):
        return [
            f.pk
            for f in selectors.follow_up_queue(user=user, view=view, station=station, today=day)
        ]

    assert ids(FollowUpView.TODAY) == [today.pk]
    assert ids(FollowUpView.OVERDUE) == [late.pk]
    assert ids(FollowUpView.UPCOMING) == [later.pk]
    assert ids(FollowUpView.OVERDUE, station="center") == [late.pk]
    assert ids(FollowUpView.TODAY, station=str(world.station.pk)) == [today.pk]
    assert ids(FollowUpView.TODAY, station=str(world.station2.pk)) == []
    # station staff see their station's only; the Hami center sees nothing here
    assert ids(FollowUpView.OVERDUE, user=world.staff) == []
    assert ids(FollowUpView.TODAY, user=world.staff) == [today.pk]
    assert ids(FollowUpView.TODAY, user=world.hm_center) == []
    record(world, today)
    assert ids(FollowUpView.DONE) == [today.pk]

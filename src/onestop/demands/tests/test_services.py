"""The demand services: who may do what, the state machine, the clocks of
WX 7.2.2.2.1, and what each step writes (event, audit row, notices)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onestop.accounts import authz
from onestop.audit.models import AuditEvent
from onestop.core import workdays
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.models import SlaClock, SlaOutcome
from onestop.core.sla_watch import sla_clocks_check
from onestop.demands import selectors, services
from onestop.demands.models import (
    RECOMMENDATION_CLOCK,
    RESPONSE_CLOCK,
    ContactMethod,
    Demand,
    DemandEvent,
    DemandSource,
    DemandStatus,
    Docking,
    Recommendation,
)
from onestop.demands.tests import factories as f
from onestop.demands.tests.conftest import publish, sh
from onestop.documents.errors import UploadRejected
from onestop.enterprises.models import EnterpriseStatus
from onestop.institutions.models import InstitutionStatus, OfferingStatus
from onestop.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db


def clock(demand: Demand, kind: str) -> SlaClock:
    return SlaClock.objects.get(subject_id=str(demand.pk), kind=kind)


def kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True)
    )


def events(demand: Demand) -> list[str]:
    return list(demand.events.order_by("id").values_list("kind", flat=True))


def audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- publishing (WX 5.1 b, 7.2.2.1.1) ---------------------------------------------------------


@pytest.mark.clause("WX 5.1b")
@pytest.mark.clause("WX 7.2.2.1.1")
@pytest.mark.clause("HM 4.3.2.1")
@pytest.mark.clause("WX 7.2.2.2.1")
def test_a_verified_person_publishes_and_both_clocks_start(person, center, calibration, jiangyin):
    demand = publish(person, calibration, jiangyin, desired_date=dt.date(2026, 11, 30))

    assert demand.number == "XQ2026111800001"
    assert demand.status == DemandStatus.PUBLISHED
    assert demand.source == DemandSource.ONLINE
    assert demand.requester == person
    assert demand.enterprise is None
    # Wednesday 10:00: respond by Thursday 24:00, recommend by Monday 24:00.
    assert clock(demand, RESPONSE_CLOCK).due_at == sh(2026, 11, 20)
    assert clock(demand, RECOMMENDATION_CLOCK).due_at == sh(2026, 11, 24)
    assert events(demand) == ["publish"]
    assert audited("demands.publish") == 1
    assert kinds(person) == ["demands.published"]
    assert Delivery.objects.filter(notification__recipient=person, channel="sms").count() == 1
    assert kinds(center) == ["demands.new"]  # nobody else is responsible yet


@pytest.mark.clause("WX 5.1b")
def test_a_member_of_a_verified_enterprise_publishes_for_it(
    company_owner, company, calibration, jiangyin
):
    demand = publish(company_owner, calibration, jiangyin)

    assert demand.enterprise == company
    assert services.publisher_enterprise(company_owner) == (True, company)


def test_people_not_verified_cannot_publish(unverified, make_user, jiangyin, calibration):
    pending = f.enterprise(jiangyin, name="待审核企业", status=EnterpriseStatus.PENDING)
    member = make_user("enterprise", "320281", kind="enterprise")
    f.member(member, pending)

    for user in (unverified, member):
        with pytest.raises(services.NotVerified):
            publish(user, calibration, jiangyin)

    assert not Demand.objects.exists()
    assert not SlaClock.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "校"}, "title"),
        ({"description": "太短"}, "description"),
        ({"description": "<script>alert(1)</script> 压力表校准需求"}, "description"),
        ({"desired_date": dt.date(2026, 11, 17)}, "desired_date"),
        ({"contact_phone": ""}, "contact_phone"),
        ({"contact_phone": "call me"}, "contact_phone"),
        ({"contact_method": "pigeon"}, "contact_method"),
        ({"contact_name": " "}, "contact_name"),
        ({"category": None}, "category"),
        ({"region": None}, "region"),
        ({"attachments": [f.png(f"{n}.png") for n in range(6)]}, "attachments"),
    ],
)
def test_bad_input_is_refused_on_its_field(person, calibration, jiangyin, overrides, field):
    category = overrides.pop("category", calibration)
    region = overrides.pop("region", jiangyin)

    with pytest.raises(InvalidInput) as caught:
        publish(person, category, region, **overrides)

    assert caught.value.field == field
    assert not Demand.objects.exists()
    assert not SlaClock.objects.exists()


def test_e_mail_contact_needs_an_address_on_the_account(company_owner, calibration, jiangyin):
    with pytest.raises(InvalidInput) as caught:
        publish(company_owner, calibration, jiangyin, contact_method=ContactMethod.EMAIL)
    assert caught.value.field == "contact_method"

    demand = publish(
        company_owner, calibration, jiangyin, contact_method=ContactMethod.INBOX, contact_phone=""
    )
    assert demand.contact_method == ContactMethod.INBOX


def test_attachments_are_kept_privately(person, stranger, calibration, jiangyin):
    from onestop.documents.selectors import document_can_read

    demand = publish(person, calibration, jiangyin, attachments=[f.png("nameplate.png")])

    attachment = demand.attachments.get()
    assert attachment.document.owner == person
    assert document_can_read(person, attachment.document)
    assert not document_can_read(stranger, attachment.document)


def test_a_bad_attachment_refuses_the_whole_demand(person, calibration, jiangyin):
    exe = SimpleUploadedFile(
        "report.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"
    )

    with pytest.raises(UploadRejected) as caught:
        publish(person, calibration, jiangyin, attachments=[exe])

    assert caught.value.field == "attachments"
    assert not Demand.objects.exists()


# --- the clocks across the calendar (WX 7.2.2.2.1) --------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
def test_published_friday_evening_response_due_end_of_next_working_day(
    person, calibration, jiangyin, time_machine
):
    # Friday 2026-09-25 is the Mid-Autumn Festival holiday in the State
    # Council's 2026 schedule; the weekend follows. The next working day is
    # Monday 28 September: the response is due at its end (24:00 = 29th 00:00),
    # the recommendation at the end of the third working day, Wednesday 30th.
    start = sh(2026, 9, 25, 17)
    time_machine.move_to(start, tick=False)
    calendar = workdays.load_calendar()
    assert not calendar.is_workday(dt.date(2026, 9, 25))

    demand = publish(person, calibration, jiangyin)

    response = clock(demand, RESPONSE_CLOCK)
    recommendation = clock(demand, RECOMMENDATION_CLOCK)
    assert response.due_at == calendar.add_workdays(start, 1) == sh(2026, 9, 29)
    assert recommendation.due_at == calendar.add_workdays(start, 3) == sh(2026, 10, 1)
    assert demand.number == "XQ2026092500001"


@pytest.mark.clause("WX 7.2.2.2.1")
def test_clocks_skip_the_national_day_holiday_and_count_its_adjusted_saturday(
    person, calibration, jiangyin, time_machine
):
    # Published on Wednesday 30 September: 1-8 October are holidays; Friday
    # 9 October and the adjusted Saturday 10 October are working days.
    start = sh(2026, 9, 30, 10)
    time_machine.move_to(start, tick=False)

    demand = publish(person, calibration, jiangyin)

    calendar = workdays.load_calendar()
    assert (
        clock(demand, RESPONSE_CLOCK).due_at == calendar.add_workdays(start, 1) == sh(2026, 10, 9)
    )
    assert (
        clock(demand, RECOMMENDATION_CLOCK).due_at
        == calendar.add_workdays(start, 3)
        == sh(2026, 10, 11)
    )


def test_a_year_without_holiday_data_refuses_and_writes_nothing(
    person, calibration, jiangyin, time_machine
):
    time_machine.move_to(sh(2099, 12, 30, 10), tick=False)

    with pytest.raises(workdays.CalendarNotCovered):
        publish(person, calibration, jiangyin, attachments=[f.png()])

    assert not Demand.objects.exists()
    assert not SlaClock.objects.exists()


def test_numbers_run_per_china_day(person, calibration, jiangyin, time_machine):
    first = publish(person, calibration, jiangyin)
    second = publish(person, calibration, jiangyin)
    # 23:30 UTC on the 18th is already the 19th in Shanghai.
    time_machine.move_to(dt.datetime(2026, 11, 18, 16, 30, tzinfo=dt.UTC), tick=False)
    third = publish(person, calibration, jiangyin)

    assert [first.number, second.number, third.number] == [
        "XQ2026111800001",
        "XQ2026111800002",
        "XQ2026111900001",
    ]


# --- registering and visits (WX 7.2.2.1, HM 4.3.2) --------------------------------------------


def register(actor, category, region, **overrides):
    values = {
        "prospect_name": "江阴某阀门厂",
        "contact_name": "李厂长",
        "contact_phone": "0510-86000000",
        "contact_method": ContactMethod.PHONE,
        "title": "阀门压力试验",
        "description": "阀门出厂前需要做压力试验，想找有资质的机构。",
        "source": DemandSource.PHONE,
    }
    values.update(overrides)
    return services.demand_register(actor=actor, category=category, region=region, **values)


@pytest.mark.clause("WX 7.2.2.1.1")
@pytest.mark.clause("HM 4.3.2.3")
def test_station_staff_register_a_phone_demand_for_a_prospect(
    worker, colleague, station, calibration, jiangyin
):
    demand = register(worker, calibration, jiangyin)

    assert demand.requester is None
    assert demand.prospect_name == "江阴某阀门厂"
    assert demand.registered_by == worker
    assert demand.station == station  # the registering staff's own station
    assert demand.source == DemandSource.PHONE
    assert clock(demand, RESPONSE_CLOCK).due_at == sh(2026, 11, 20)
    assert events(demand) == ["register"]
    assert audited("demands.register") == 1
    # The station is responsible: the colleague is told, the one who typed it in is not.
    assert kinds(colleague) == ["demands.new"]
    assert kinds(worker) == []


@pytest.mark.clause("HM 4.3.2.3")
def test_a_demand_for_a_registered_enterprise_follows_its_owner(
    worker, company, company_owner, calibration, jiangyin
):
    demand = register(
        worker,
        calibration,
        jiangyin,
        prospect_name="",
        enterprise=company,
        source=DemandSource.ON_SITE,
    )

    assert demand.enterprise == company
    assert demand.requester == company_owner
    assert kinds(company_owner) == ["demands.registered"]
    assert selectors.demand_for_user(user=company_owner, number=demand.number) == demand


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source": DemandSource.ONLINE}, "source"),
        ({"source": DemandSource.VISIT}, "visit"),
        ({"prospect_name": ""}, "prospect_name"),
        ({"contact_method": ContactMethod.INBOX}, "contact_method"),
        ({"contact_phone": ""}, "contact_phone"),
    ],
)
def test_register_refuses_bad_input(worker, calibration, jiangyin, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        register(worker, calibration, jiangyin, **overrides)
    assert caught.value.field == field
    assert not Demand.objects.exists()


def test_register_outside_one_s_region_or_station_is_refused(
    worker, center, regions, calibration, jiangyin
):
    with pytest.raises(authz.NotAllowed):
        register(worker, calibration, regions["450202"])
    far_station = f.station(regions["320205"], name="锡山区服务站")
    with pytest.raises(InvalidInput) as caught:
        register(center, calibration, jiangyin, station=far_station)
    assert caught.value.field == "station"
    assert not Demand.objects.exists()


@pytest.mark.clause("WX 7.2.2.1.2")
@pytest.mark.clause("HM 4.3.2.2")
def test_a_station_records_a_visit_and_the_needs_found_become_demands(
    worker, colleague, station, company, company_owner, calibration, categories
):
    visit = services.visit_record(
        actor=worker,
        station=station,
        visited_on=dt.date(2026, 11, 17),
        needs_found="企业新上两条产线，压力表需定期校准；出口产品需检测报告。",
        enterprise=company,
        staff=[colleague],
        needs=[
            services.FoundNeed(
                category=calibration,
                title="压力表定期校准",
                description="两条产线约 40 块压力表需要每年校准。",
                contact_name="设备科王工",
                contact_phone="13900001111",
            ),
            services.FoundNeed(
                category=categories["testing-products"],
                title="出口产品检测",
                description="出口欧盟的阀门需要第三方检测报告。",
                contact_name="外贸部刘经理",
                contact_phone="13900002222",
            ),
        ],
    )

    demands = list(visit.demands.order_by("id"))
    assert [d.source for d in demands] == [DemandSource.VISIT, DemandSource.VISIT]
    assert {d.station for d in demands} == {station}
    assert {d.requester for d in demands} == {company_owner}
    assert set(visit.staff.all()) == {worker, colleague}
    assert audited("demands.visit_record") == 1
    assert SlaClock.objects.filter(kind=RESPONSE_CLOCK).count() == 2


def test_visits_are_recorded_by_the_station_s_own_staff_or_the_center(
    worker, center, station, jiangyin, company
):
    other = f.station(jiangyin, name="江阴高新区服务点")
    values = {
        "visited_on": dt.date(2026, 11, 17),
        "needs_found": "无明确需求。",
        "enterprise": company,
    }

    with pytest.raises(authz.NotAllowed):
        services.visit_record(actor=worker, station=other, **values)
    assert services.visit_record(actor=center, station=other, **values).station == other
    with pytest.raises(InvalidInput) as future:
        services.visit_record(
            actor=worker, station=station, **{**values, "visited_on": dt.date(2026, 11, 19)}
        )
    assert future.value.field == "visited_on"
    with pytest.raises(InvalidInput) as nobody:
        services.visit_record(actor=worker, station=station, **{**values, "enterprise": None})
    assert nobody.value.field == "prospect_name"


# --- claiming and assigning -------------------------------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
def test_one_claim_wins_the_next_is_refused_with_the_winner_s_name(
    demand, worker, colleague, person
):
    services.demand_claim(actor=worker, demand=demand)

    with pytest.raises(services.AlreadyClaimed) as caught:
        services.demand_claim(actor=colleague, demand=demand)

    demand.refresh_from_db()
    assert demand.assigned_to == worker
    assert str(worker) in caught.value.message
    assert events(demand) == ["publish", "claim"]
    assert audited("demands.claim") == 1
    assert kinds(person)[-1] == "demands.claimed"
    with pytest.raises(services.AlreadyClaimed):
        services.demand_claim(actor=worker, demand=demand)


def test_staff_of_another_region_cannot_touch_the_demand(demand, lz_center):
    for act in (
        lambda: services.demand_claim(actor=lz_center, demand=demand),
        lambda: services.demand_respond(actor=lz_center, demand=demand, note="已联系"),
        lambda: services.demand_escalate(actor=lz_center, demand=demand, reason="无法处理"),
        lambda: services.demand_close(actor=lz_center, demand=demand, note="关闭"),
    ):
        with pytest.raises(authz.NotAllowed):
            act()
    demand.refresh_from_db()
    assert demand.status == DemandStatus.PUBLISHED
    assert demand.assigned_to is None
    assert events(demand) == ["publish"]


def test_the_center_assigns_several_demands_at_once(
    person, center, worker, station, calibration, jiangyin
):
    demands = [publish(person, calibration, jiangyin) for _n in range(3)]

    done = services.demand_assign(actor=center, demands=demands, staff=worker, note="请跟进")

    assert [d.assigned_to for d in done] == [worker] * 3
    assert {d.station for d in done} == {station}
    assert kinds(worker) == ["demands.assigned"] * 3
    assert audited("demands.assign") == 3


def test_bulk_assign_is_all_or_nothing(person, center, worker, calibration, jiangyin):
    first, second = (publish(person, calibration, jiangyin) for _n in range(2))
    services.demand_cancel(user=person, demand=second)

    with pytest.raises(InvalidTransition) as caught:
        services.demand_assign(actor=center, demands=[first, second], staff=worker)

    assert second.number in caught.value.message
    first.refresh_from_db()
    assert first.assigned_to is None
    assert audited("demands.assign") == 0


def test_assigning_is_for_the_center_and_to_people_who_can_handle_it(
    demand, worker, center, lz_center, station
):
    with pytest.raises(authz.NotAllowed):
        services.demand_assign(actor=worker, demands=[demand], staff=worker)
    with pytest.raises(InvalidInput) as caught:
        services.demand_assign(actor=center, demands=[demand], staff=lz_center)
    assert caught.value.field == "staff"
    # To a station only: its staff are told, nobody in particular holds it.
    services.demand_assign(actor=center, demands=[demand], station=station)
    demand.refresh_from_db()
    assert (demand.station, demand.assigned_to) == (station, None)
    assert kinds(worker) == ["demands.assigned"]


# --- responding and recommending (WX 7.2.2.2.1) -----------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
def test_responding_stops_the_response_clock_only(demand, worker, person):
    services.demand_respond(actor=worker, demand=demand, note="已电话联系，确认需求。")

    demand.refresh_from_db()
    assert demand.status == DemandStatus.RESPONDED
    assert demand.assigned_to == worker
    assert demand.responded_at is not None
    response = clock(demand, RESPONSE_CLOCK)
    assert response.stopped_at is not None
    assert response.outcome == SlaOutcome.MET
    assert clock(demand, RECOMMENDATION_CLOCK).stopped_at is None
    assert events(demand) == ["publish", "respond"]
    assert kinds(person)[-1] == "demands.responded"


def test_a_late_response_is_recorded_as_breached(demand, worker, time_machine):
    time_machine.move_to(sh(2026, 11, 20, 9), tick=False)

    services.demand_respond(actor=worker, demand=demand, note="已联系。")

    assert clock(demand, RESPONSE_CLOCK).outcome == SlaOutcome.BREACHED


def test_responding_twice_or_with_no_note_is_refused(demand, worker):
    with pytest.raises(InvalidInput):
        services.demand_respond(actor=worker, demand=demand, note=" ")
    services.demand_respond(actor=worker, demand=demand, note="已联系。")
    with pytest.raises(InvalidTransition):
        services.demand_respond(actor=worker, demand=demand, note="再次联系。")
    assert events(demand) == ["publish", "respond"]


@pytest.mark.clause("WX 7.2.2.2.1")
def test_recommending_stops_the_clock_and_keeps_the_engine_s_reasons(
    responded, worker, person, offering, other_offering
):
    sent = services.demand_recommend(
        actor=worker,
        demand=responded,
        picks=[
            services.Pick(offering_id=other_offering.pk, position=2),
            services.Pick(offering_id=offering.pk, position=1),
        ],
        note="可先电话咨询。",
    )

    assert [r.offering for r in sent] == [offering, other_offering]
    assert [r.position for r in sent] == [1, 2]
    first = sent[0]
    assert first.institution == offering.institution
    assert set(first.explanation["parts"]) == {
        "category",
        "text",
        "region",
        "qualification",
        "rating",
        "credit",
        "load",
    }
    assert float(first.score) == pytest.approx(first.explanation["total"], abs=0.001)
    responded.refresh_from_db()
    assert responded.status == DemandStatus.RECOMMENDED
    assert clock(responded, RECOMMENDATION_CLOCK).outcome == SlaOutcome.MET
    assert kinds(person)[-1] == "demands.recommended"
    assert Delivery.objects.filter(
        notification__recipient=person, notification__kind="demands.recommended"
    ).exists()


def test_a_second_batch_follows_the_first(recommended, worker, regions, calibration):
    third = f.offering(f.institution(regions["320214"], "新吴示范计量所"), calibration)

    [added] = services.demand_recommend(
        actor=worker, demand=recommended, picks=[services.Pick(third.pk, 1)]
    )

    assert added.position == 3
    assert events(recommended).count("recommend") == 2


def test_recommending_needs_a_response_first(demand, worker, offering):
    with pytest.raises(InvalidTransition):
        services.demand_recommend(
            actor=worker, demand=demand, picks=[services.Pick(offering.pk, 1)]
        )
    assert not Recommendation.objects.exists()
    assert clock(demand, RECOMMENDATION_CLOCK).stopped_at is None


@pytest.mark.parametrize("problem", ["none", "twice", "withdrawn", "suspended", "again"])
def test_bad_picks_are_refused(
    recommended, responded, worker, offering, other_offering, regions, calibration, problem
):
    fresh = f.offering(f.institution(regions["320214"], "新吴示范计量所"), calibration)
    picks = {
        "none": [],
        "twice": [services.Pick(fresh.pk, 1), services.Pick(fresh.pk, 2)],
        "withdrawn": [services.Pick(fresh.pk, 1)],
        "suspended": [services.Pick(fresh.pk, 1)],
        "again": [services.Pick(offering.pk, 1)],
    }[problem]
    if problem == "withdrawn":
        fresh.status = OfferingStatus.WITHDRAWN
        fresh.save()
    if problem == "suspended":
        fresh.institution.status = InstitutionStatus.SUSPENDED
        fresh.institution.save()
    before = Recommendation.objects.count()

    with pytest.raises(InvalidInput) as caught:
        services.demand_recommend(actor=worker, demand=recommended, picks=picks)

    assert caught.value.field == "picks"
    assert Recommendation.objects.count() == before


@pytest.mark.clause("WX 7.2.2.2.3")
def test_an_institution_outside_the_platform_is_referred_and_the_user_told(
    responded, worker, person
):
    referral = services.recommendation_add_external(
        actor=worker,
        demand=responded,
        name="上海某特种检测中心",
        contact="021-60000000",
        note="平台内暂无可做该项目的机构。",
    )

    assert referral.institution is None
    assert referral.external_name == "上海某特种检测中心"
    responded.refresh_from_db()
    assert responded.status == DemandStatus.REFERRED
    assert clock(responded, RECOMMENDATION_CLOCK).stopped_at is not None
    assert kinds(person)[-1] == "demands.referred"
    notice = Notification.objects.filter(recipient=person, kind="demands.referred").get()
    assert "021-60000000" in notice.body
    assert audited("demands.refer") == 1


def test_a_referral_needs_a_response_and_a_name(demand, worker):
    with pytest.raises(InvalidTransition):
        services.recommendation_add_external(
            actor=worker, demand=demand, name="某中心", contact="电话 123"
        )
    services.demand_respond(actor=worker, demand=demand, note="已联系。")
    with pytest.raises(InvalidInput) as caught:
        services.recommendation_add_external(
            actor=worker, demand=demand, name="", contact="电话 123"
        )
    assert caught.value.field == "external_name"


# --- docking (WX 7.2.2.2.2) -------------------------------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.2")
def test_accepting_a_recommendation_docks_and_introduces_both_sides(
    recommended, person, worker, offering, other_offering, provider_person
):
    chosen = recommended.recommendations.get(offering=offering)

    docking = services.demand_accept_recommendation(
        user=person, demand=recommended, recommendation=chosen
    )

    recommended.refresh_from_db()
    assert recommended.status == DemandStatus.DOCKED
    assert docking.recommendation == chosen
    chosen.refresh_from_db()
    assert chosen.accepted_at is not None
    assert recommended.recommendations.get(offering=other_offering).declined_at is not None
    # The institution's people are told and can read the requester's contact.
    assert kinds(provider_person) == ["demands.docked"]
    [docked] = selectors.dockings_for_institution(institution=offering.institution)
    assert docked.demand.contact_phone == "13812345678"
    # The user is told the institution's phone and address.
    notice = Notification.objects.filter(recipient=person, kind="demands.docked").get()
    assert offering.institution.service_phone in notice.body
    assert kinds(worker)[-1] == "demands.docked"
    assert audited("demands.accept") == 1


def test_accepting_is_for_the_requester_and_only_once(
    recommended, person, stranger, worker, offering, other_offering
):
    chosen = recommended.recommendations.get(offering=offering)
    with pytest.raises(authz.NotAllowed):
        services.demand_accept_recommendation(
            user=stranger, demand=recommended, recommendation=chosen
        )

    services.demand_accept_recommendation(user=person, demand=recommended, recommendation=chosen)
    other = recommended.recommendations.get(offering=other_offering)
    with pytest.raises(InvalidTransition):
        services.demand_accept_recommendation(user=person, demand=recommended, recommendation=other)
    assert Docking.objects.count() == 1


def test_an_outside_or_suspended_institution_cannot_be_accepted(
    recommended, person, worker, offering
):
    referral = services.recommendation_add_external(
        actor=worker, demand=recommended, name="外部检测中心", contact="021-1234567"
    )
    with pytest.raises(InvalidTransition):
        services.demand_accept_recommendation(
            user=person, demand=recommended, recommendation=referral
        )

    institution = offering.institution
    institution.status = InstitutionStatus.SUSPENDED
    institution.save()
    chosen = recommended.recommendations.get(offering=offering)
    with pytest.raises(InvalidTransition):
        services.demand_accept_recommendation(
            user=person, demand=recommended, recommendation=chosen
        )
    assert not Docking.objects.exists()


def test_another_demand_s_recommendation_cannot_be_accepted(
    recommended, person, calibration, jiangyin, offering
):
    mine = publish(person, calibration, jiangyin)
    theirs = recommended.recommendations.get(offering=offering)
    with pytest.raises(InvalidTransition):
        services.demand_accept_recommendation(user=person, demand=mine, recommendation=theirs)


@pytest.mark.clause("WX 7.2.2.2.2")
@pytest.mark.clause("HM 4.3.3.2")
def test_staff_record_the_agreed_project_period_and_price(
    recommended, person, worker, offering, provider_person
):
    from decimal import Decimal

    chosen = recommended.recommendations.get(offering=offering)
    with pytest.raises(InvalidTransition):
        services.docking_record(actor=worker, demand=recommended, project="压力表校准 20 块")
    services.demand_accept_recommendation(user=person, demand=recommended, recommendation=chosen)

    with pytest.raises(InvalidInput) as backwards:
        services.docking_record(
            actor=worker,
            demand=recommended,
            project="压力表校准 20 块",
            expected_start=dt.date(2026, 11, 25),
            expected_end=dt.date(2026, 11, 20),
        )
    assert backwards.value.field == "expected_end"
    with pytest.raises(InvalidInput) as negative:
        services.docking_record(
            actor=worker, demand=recommended, project="压力表校准", price=Decimal("-1")
        )
    assert negative.value.field == "price"

    docking = services.docking_record(
        actor=worker,
        demand=recommended,
        project="压力表校准 20 块",
        expected_start=dt.date(2026, 11, 23),
        expected_end=dt.date(2026, 11, 27),
        price=Decimal("1600.00"),
    )

    assert (docking.project, docking.price, docking.recorded_by) == (
        "压力表校准 20 块",
        Decimal("1600.00"),
        worker,
    )
    assert events(recommended)[-1] == "docking_record"
    assert kinds(provider_person)[-1] == "demands.docking_recorded"
    assert AuditEvent.objects.get(action="demands.docking_record").changes["price"] == [
        None,
        "1600.00",
    ]


# --- escalation (HM 4.3.3.2) ------------------------------------------------------------------


@pytest.mark.clause("HM 4.3.3.2")
def test_an_escalated_demand_goes_to_the_center_with_its_history(demand, worker, center, lz_center):
    services.demand_claim(actor=worker, demand=demand)

    services.demand_escalate(actor=worker, demand=demand, reason="本站无相关检测资源。")

    demand.refresh_from_db()
    assert demand.escalated_at is not None
    assert demand.assigned_to is None
    assert kinds(center)[-1] == "demands.escalated"
    assert list(selectors.escalation_queue(user=center)) == [demand]
    assert list(selectors.escalation_queue(user=lz_center)) == []
    # The station no longer acts on it; the center does, with the history intact.
    with pytest.raises(InvalidTransition):
        services.demand_respond(actor=worker, demand=demand, note="已联系")
    services.demand_claim(actor=center, demand=demand)
    services.demand_respond(actor=center, demand=demand, note="中心已联系企业。")
    assert events(demand) == ["publish", "claim", "escalate", "claim", "respond"]
    with pytest.raises(InvalidTransition):
        services.demand_escalate(actor=center, demand=demand, reason="再次上报")


# --- withdrawing and closing ------------------------------------------------------------------


def test_the_requester_withdraws_and_the_clocks_stop(demand, person, stranger, center):
    with pytest.raises(authz.NotAllowed):
        services.demand_cancel(user=stranger, demand=demand)

    services.demand_cancel(user=person, demand=demand, reason="已自行找到机构")

    demand.refresh_from_db()
    assert demand.status == DemandStatus.CANCELLED
    assert not SlaClock.objects.filter(subject_id=str(demand.pk), stopped_at__isnull=True).exists()
    assert kinds(center)[-1] == "demands.cancelled"
    with pytest.raises(InvalidTransition):
        services.demand_claim(actor=center, demand=demand)


def test_an_over_long_withdrawal_reason_is_refused_not_cut(demand, person):
    with pytest.raises(InvalidInput):
        services.demand_cancel(user=person, demand=demand, reason="原" * 501)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.PUBLISHED


def test_no_withdrawal_after_docking(recommended, person, offering):
    chosen = recommended.recommendations.get(offering=offering)
    services.demand_accept_recommendation(user=person, demand=recommended, recommendation=chosen)

    with pytest.raises(InvalidTransition):
        services.demand_cancel(user=person, demand=recommended)

    recommended.refresh_from_db()
    assert recommended.status == DemandStatus.DOCKED


def test_staff_close_a_demand_with_a_note(demand, worker, person):
    services.demand_close(actor=worker, demand=demand, note="企业表示暂不需要。")

    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED
    assert kinds(person)[-1] == "demands.closed"
    with pytest.raises(InvalidTransition):
        services.demand_close(actor=worker, demand=demand, note="再关一次")
    assert list(DemandEvent.objects.filter(demand=demand).values_list("to_status", flat=True)) == [
        DemandStatus.PUBLISHED,
        DemandStatus.CLOSED,
    ]


# --- who the clock notices go to --------------------------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
def test_clock_notices_go_to_whoever_is_responsible(
    person, worker, colleague, center, calibration, jiangyin
):
    online = publish(person, calibration, jiangyin)
    registered = register(worker, calibration, jiangyin)
    taken = services.demand_claim(actor=colleague, demand=publish(person, calibration, jiangyin))

    assert selectors.responsible(online) == [center]
    assert set(selectors.responsible(registered)) == {worker, colleague}
    assert selectors.responsible(taken) == [colleague]

    # Thursday 06:00: half of the response time is used on all three.
    result = sla_clocks_check(now=sh(2026, 11, 19, 6))

    assert result.at_risk == 3
    at_risk = Notification.objects.filter(kind="sla.at_risk")
    assert at_risk.filter(recipient=worker).count() == 1  # the registered one
    assert at_risk.filter(recipient=colleague).count() == 2  # registered + taken
    assert at_risk.filter(recipient=center).count() == 3  # the supervisors see all
    assert at_risk.filter(url=taken.staff_url).exists()

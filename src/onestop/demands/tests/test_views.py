"""The demand pages through HTTP: the whole flow (publish → claim → respond →
recommend → accept → docking), who may open what, and query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from onestop.catalog.models import ServiceCategory
from onestop.core.models import SlaClock
from onestop.demands import services
from onestop.demands.models import (
    RECOMMENDATION_CLOCK,
    RESPONSE_CLOCK,
    ContactMethod,
    Demand,
    DemandSource,
    DemandStatus,
    Docking,
    Recommendation,
    Visit,
)
from onestop.demands.tests import factories as f
from onestop.demands.tests.conftest import publish

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(otp_login):
    """A client logged into the workbench (password and second factor)."""

    def make(user) -> Client:
        client = Client()
        otp_login(user, client=client)
        return client

    return make


def text(response) -> str:
    return response.content.decode()


# --- the whole flow (WX App. A, the branch without a match) ----------------------------------


@pytest.mark.clause("WX 5.1b")
@pytest.mark.clause("WX 5.1c")
@pytest.mark.clause("WX 5.1d")
@pytest.mark.clause("WX 7.2.2.2.1")
@pytest.mark.clause("WX 7.2.2.2.2")
def test_publish_claim_respond_recommend_accept_dock(
    person, worker, provider_person, offering, other_offering, calibration, jiangyin, staff_client
):
    user = login(person)
    assert user.get(reverse("demands:publish")).status_code == 200
    published = user.post(
        reverse("demands:publish"),
        {
            "category": calibration.pk,
            "title": "压力表校准",
            "description": "我公司有 20 块一般压力表需要校准，量程 0-1.6MPa。",
            "region": jiangyin.pk,
            "desired_date": "2026-11-30",
            "contact_name": "张明",
            "contact_method": ContactMethod.PHONE,
            "contact_phone": "13812345678",
            "attachments": [f.png("nameplate.png")],
        },
    )
    demand = Demand.objects.get()
    assert published.status_code == 302
    assert published["Location"] == reverse("demands:detail", args=[demand.number])
    assert demand.attachments.count() == 1

    staff = staff_client(worker)
    queue = staff.get(reverse("demands:manage_queue"))
    assert demand.number in text(queue)
    assert staff.post(reverse("demands:manage_claim", args=[demand.number])).status_code == 302
    responded = staff.post(
        reverse("demands:manage_respond", args=[demand.number]), {"note": "已电话联系，确认需求。"}
    )
    assert responded.status_code == 302

    page = staff.get(reverse("demands:manage_recommend", args=[demand.number]))
    assert page.status_code == 200
    assert f'data-offering="{offering.pk}"' in text(page)
    assert f'data-offering="{other_offering.pk}"' in text(page)
    sent = staff.post(
        reverse("demands:manage_recommend", args=[demand.number]),
        {
            "pick": [offering.pk, other_offering.pk],
            f"position_{offering.pk}": "2",
            f"position_{other_offering.pk}": "1",
            "note": "两家均可上门。",
            "send": "1",
        },
    )
    assert sent.status_code == 302
    assert list(Recommendation.objects.values_list("offering_id", flat=True)) == [
        other_offering.pk,
        offering.pk,
    ]

    detail = user.get(reverse("demands:detail", args=[demand.number]))
    chosen = Recommendation.objects.get(offering=offering)
    accept_url = reverse("demands:accept", args=[demand.number, chosen.pk])
    assert accept_url in text(detail)
    assert user.post(accept_url).status_code == 302
    docked = user.get(reverse("demands:detail", args=[demand.number]))
    assert 'id="institution-phone"' in text(docked)
    assert offering.institution.service_phone in text(docked)

    provider = login(provider_person)
    dockings = provider.get(reverse("demands:dockings"))
    assert demand.number in text(dockings)
    # Masked until asked for; asking shows it and is on the record.
    assert "13812345678" not in text(dockings)
    assert "138****5678" in text(dockings)
    shown = provider.post(reverse("demands:docking_contact", args=[demand.number]))
    assert 'href="tel:13812345678"' in text(shown)

    recorded = staff.post(
        reverse("demands:manage_docking", args=[demand.number]),
        {
            "project": "压力表校准 20 块",
            "expected_start": "2026-11-23",
            "expected_end": "2026-11-27",
            "price": "1600",
        },
    )
    assert recorded.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.DOCKED
    assert Docking.objects.get().project == "压力表校准 20 块"
    assert list(demand.events.values_list("kind", flat=True)) == [
        "publish",
        "claim",
        "respond",
        "recommend",
        "accept",
        "docking_record",
    ]
    clocks = SlaClock.objects.filter(subject_id=str(demand.pk))
    assert {c.kind: c.outcome for c in clocks} == {
        RESPONSE_CLOCK: "met",
        RECOMMENDATION_CLOCK: "met",
    }


@pytest.mark.clause("WX 7.2.2.1.1")
@pytest.mark.clause("WX 5.1a")
def test_a_consultation_asked_online_is_answered_by_staff(
    person, worker, categories, jiangyin, staff_client
):
    """Online consultation (WX 5.1 a): a question is a demand in a consulting
    category; it gets the 1-working-day response clock and staff answer it."""
    consulting = ServiceCategory.objects.create(
        code="metrology-consulting", name="计量咨询", parent=categories["metrology"], position=3
    )
    user = login(person)
    asked = user.post(
        reverse("demands:publish"),
        {
            "category": consulting.pk,
            "title": "电子秤需要强制检定吗？",
            "description": "我店用于贸易结算的电子秤是否属于强制检定范围，应向哪里申请？",
            "region": jiangyin.pk,
            "contact_name": "张明",
            "contact_method": ContactMethod.INBOX,
        },
    )
    assert asked.status_code == 302
    demand = Demand.objects.get()
    assert demand.category == consulting
    staff = staff_client(worker)
    assert demand.number in text(staff.get(reverse("demands:manage_queue")))
    staff.post(reverse("demands:manage_claim", args=[demand.number]))
    answer = "属于强制检定范围，请向江阴市市场监督管理局服务站申请，可在线预约。"
    staff.post(reverse("demands:manage_respond", args=[demand.number]), {"note": answer})
    demand.refresh_from_db()
    assert demand.response_note == answer
    assert answer in text(user.get(reverse("demands:detail", args=[demand.number])))


def test_staff_register_a_demand_received_by_phone(worker, calibration, jiangyin, staff_client):
    staff = staff_client(worker)
    response = staff.post(
        reverse("demands:manage_register"),
        {
            "source": DemandSource.PHONE,
            "prospect_name": "江阴某阀门厂",
            "category": calibration.pk,
            "title": "阀门压力试验",
            "description": "阀门出厂前需要做压力试验，想找有资质的机构。",
            "region": jiangyin.pk,
            "contact_name": "李厂长",
            "contact_method": ContactMethod.PHONE,
            "contact_phone": "0510-86000000",
        },
    )
    demand = Demand.objects.get()
    assert response.status_code == 302
    assert response["Location"] == demand.staff_url
    assert (demand.registered_by, demand.source) == (worker, DemandSource.PHONE)


def test_register_errors_stay_on_the_form(worker, calibration, jiangyin, staff_client):
    response = staff_client(worker).post(
        reverse("demands:manage_register"),
        {
            "source": DemandSource.PHONE,
            "category": calibration.pk,
            "title": "阀门压力试验",
            "description": "阀门出厂前需要做压力试验。",
            "region": jiangyin.pk,
            "contact_name": "李厂长",
            "contact_method": ContactMethod.PHONE,
            "contact_phone": "0510-86000000",
        },
    )
    assert response.status_code == 400
    assert 'href="#id_prospect_name"' in text(response)
    assert not Demand.objects.exists()


@pytest.mark.clause("WX 7.2.2.1.2")
@pytest.mark.clause("HM 4.3.2.2")
def test_a_visit_with_a_demand_found_on_it(
    worker, colleague, station, company, calibration, staff_client
):
    staff = staff_client(worker)
    response = staff.post(
        reverse("demands:manage_visit_new"),
        {
            "station": station.pk,
            "visited_on": "2026-11-17",
            "enterprise_uscc": company.uscc,
            "staff": [colleague.pk],
            "needs_found": "新上产线，压力表需定期校准。",
            "need_category": calibration.pk,
            "need_title": "压力表定期校准",
            "need_description": "两条产线约 40 块压力表需要每年校准。",
            "need_contact_name": "设备科王工",
            "need_contact_method": ContactMethod.PHONE,
            "need_contact_phone": "13900001111",
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("demands:manage_visit", args=[visit.pk])
    demand = visit.demands.get()
    assert demand.source == DemandSource.VISIT
    page = staff.get(reverse("demands:manage_visit", args=[visit.pk]))
    assert demand.number in text(page)
    listed = staff.get(reverse("demands:manage_visits"), {"station": station.pk})
    assert reverse("demands:manage_visit", args=[visit.pk]) in text(listed)


def test_a_second_claim_shows_who_has_it(demand, worker, colleague, staff_client):
    staff_client(worker).post(reverse("demands:manage_claim", args=[demand.number]))

    response = staff_client(colleague).post(reverse("demands:manage_claim", args=[demand.number]))

    assert response.status_code == 409
    assert str(worker) in text(response)
    demand.refresh_from_db()
    assert demand.assigned_to == worker


def test_bulk_assign_from_the_queue(person, center, worker, calibration, jiangyin, staff_client):
    demands = [publish(person, calibration, jiangyin) for _n in range(3)]
    staff = staff_client(center)
    queue = staff.get(reverse("demands:manage_queue"))
    assert 'id="bulk-assign"' in text(queue)

    response = staff.post(
        reverse("demands:manage_assign"),
        {
            "ids": [d.pk for d in demands[:2]],
            "staff": worker.pk,
            "next": "/demands/manage/?clock=new",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/demands/manage/?clock=new"
    assert [d.assigned_to_id for d in Demand.objects.order_by("id")] == [worker.pk, worker.pk, None]


def test_the_queue_filters_by_clock_state(
    person, worker, calibration, jiangyin, staff_client, time_machine
):
    from onestop.demands.tests.conftest import sh

    early = publish(person, calibration, jiangyin)
    time_machine.move_to(sh(2026, 11, 19, 8), tick=False)  # half of early's response time used
    late = publish(person, calibration, jiangyin)
    staff = staff_client(worker)

    def numbers(clock: str) -> set[str]:
        page = text(staff.get(reverse("demands:manage_queue"), {"clock": clock}))
        return set(re.findall(r'data-number="(XQ\d+)"', page))

    assert numbers("at_risk") == {early.number}
    assert numbers("new") == {late.number}
    assert numbers("breached") == set()
    time_machine.move_to(sh(2026, 11, 20, 1), tick=False)
    staff = staff_client(worker)  # a new session: the old one timed out
    assert numbers("breached") == {early.number}
    page = text(staff.get(reverse("demands:manage_queue"), {"clock": "breached"}))
    assert 'data-kind="demand_response" data-state="breached"' in page


def test_recommend_errors_keep_the_page(responded, worker, offering, staff_client):
    staff = staff_client(worker)
    url = reverse("demands:manage_recommend", args=[responded.number])

    nothing = staff.post(url, {"send": "1"})
    bad_position = staff.post(
        url, {"send": "1", "pick": [offering.pk], f"position_{offering.pk}": "x"}
    )

    assert nothing.status_code == bad_position.status_code == 400
    assert not Recommendation.objects.exists()


def test_staff_add_an_institution_by_name(responded, worker, regions, categories, staff_client):
    far = f.offering(
        f.institution(regions["320205"], "锡山纺织检测所"),
        categories["testing-products"],
        name="纺织品检测",
        scope="纺织品",
    )
    page = staff_client(worker).post(
        reverse("demands:manage_recommend", args=[responded.number]),
        {"add": "锡山纺织", "search": "1"},
    )
    assert page.status_code == 200
    assert f'data-offering="{far.pk}"' in text(page)
    assert f'name="added" value="{far.pk}"' in text(page)


@pytest.mark.clause("WX 7.2.2.2.3")
def test_refer_to_an_outside_institution(responded, worker, person, staff_client):
    response = staff_client(worker).post(
        reverse("demands:manage_refer", args=[responded.number]),
        {"external_name": "上海某特种检测中心", "external_contact": "021-60000000", "note": ""},
    )
    assert response.status_code == 302
    page = text(login(person).get(reverse("demands:detail", args=[responded.number])))
    assert "上海某特种检测中心" in page
    assert "021-60000000" in page


@pytest.mark.clause("HM 4.3.3.2")
def test_escalate_then_the_center_sees_it(demand, worker, center, staff_client):
    response = staff_client(worker).post(
        reverse("demands:manage_escalate", args=[demand.number]), {"reason": "本站无法解决。"}
    )
    assert response.status_code == 302
    page = staff_client(center).get(reverse("demands:manage_escalations"))
    assert demand.number in text(page)


def test_the_user_withdraws_and_close_by_staff(person, worker, calibration, jiangyin, staff_client):
    first = publish(person, calibration, jiangyin)
    second = publish(person, calibration, jiangyin)

    withdrawn = login(person).post(reverse("demands:cancel", args=[first.number]), {"reason": ""})
    closed = staff_client(worker).post(
        reverse("demands:manage_close", args=[second.number]), {"note": "企业暂不需要。"}
    )
    empty = staff_client(worker).post(reverse("demands:manage_close", args=[second.number]), {})

    assert withdrawn.status_code == closed.status_code == 302
    assert empty.status_code == 400
    statuses = dict(Demand.objects.values_list("number", "status"))
    assert statuses == {first.number: DemandStatus.CANCELLED, second.number: DemandStatus.CLOSED}


def test_not_verified_users_see_why_and_cannot_post(unverified, calibration, jiangyin):
    client = login(unverified)
    page = client.get(reverse("demands:publish"))
    refused = client.post(
        reverse("demands:publish"),
        {"category": calibration.pk, "title": "压力表校准", "region": jiangyin.pk},
    )
    assert 'id="not-verified"' in text(page)
    assert refused.status_code == 403
    assert not Demand.objects.exists()


def test_attachments_open_for_handling_staff_and_the_docked_institution(
    recommended,
    person,
    worker,
    lz_center,
    provider_person,
    offering,
    staff_client,
    calibration,
    jiangyin,
):
    demand = publish(person, calibration, jiangyin, attachments=[f.png()])
    document = demand.attachments.get().document
    url = document.get_absolute_url()

    assert staff_client(worker).get(url).status_code == 200
    assert staff_client(lz_center).get(url).status_code == 404
    assert login(provider_person).get(url).status_code == 404  # not docked with it


# --- who may open what ---------------------------------------------------------------------------


@pytest.fixture
def world(recommended, person, worker, station, company):
    visit = services.visit_record(
        actor=worker,
        station=station,
        visited_on=dt.date(2026, 11, 17),
        needs_found="无明确需求。",
        enterprise=company,
    )
    number = recommended.number
    recommendation = recommended.recommendations.first()
    return {
        "demand": recommended,
        "visit": visit,
        "staff_get": [
            reverse("demands:manage_queue"),
            reverse("demands:manage_register"),
            reverse("demands:manage_visits"),
            reverse("demands:manage_visit_new"),
            reverse("demands:manage_visit", args=[visit.pk]),
            reverse("demands:manage_detail", args=[number]),
            reverse("demands:manage_recommend", args=[number]),
        ],
        "staff_post": [
            reverse("demands:manage_claim", args=[number]),
            reverse("demands:manage_respond", args=[number]),
            reverse("demands:manage_refer", args=[number]),
            reverse("demands:manage_docking", args=[number]),
            reverse("demands:manage_escalate", args=[number]),
            reverse("demands:manage_close", args=[number]),
            reverse("demands:manage_assign"),
        ],
        "user_get": [
            reverse("demands:publish"),
            reverse("demands:mine"),
            reverse("demands:detail", args=[number]),
            reverse("demands:dockings"),
        ],
        "user_post": [
            reverse("demands:accept", args=[number, recommendation.pk]),
            reverse("demands:cancel", args=[number]),
        ],
    }


def _snapshot() -> tuple:
    return (
        list(Demand.objects.order_by("id").values_list("status", "assigned_to", "escalated_at")),
        Recommendation.objects.filter(accepted_at__isnull=False).count(),
        Docking.objects.count(),
    )


def test_anonymous_visitors_are_sent_to_log_in(world, client):
    before = _snapshot()
    for url in world["staff_get"] + world["staff_post"]:
        method = client.post if url in world["staff_post"] else client.get
        response = method(url, {"note": "x", "ids": [world["demand"].pk]})
        assert response.status_code == 302, url
        assert reverse("workbench:login") in response["Location"], url
    for url in world["user_get"] + world["user_post"]:
        method = client.post if url in world["user_post"] else client.get
        response = method(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"], url
    assert _snapshot() == before


def test_users_without_the_permission_are_refused_the_workbench(
    world, person, make_user, otp_login
):
    authority = make_user("authority", "320200", kind="staff")
    before = _snapshot()
    for user in (person, authority):
        client = Client()
        if user is authority:
            otp_login(user, client=client)
        else:
            client.force_login(user)
        for url in world["staff_get"]:
            assert client.get(url).status_code == 403, (user, url)
        for url in world["staff_post"]:
            assert (
                client.post(url, {"note": "x", "ids": [world["demand"].pk]}).status_code == 403
            ), url
    assert client.get(reverse("demands:manage_escalations")).status_code == 403
    assert _snapshot() == before


def test_station_staff_do_not_open_the_center_s_escalations(world, worker, staff_client):
    assert staff_client(worker).get(reverse("demands:manage_escalations")).status_code == 403


def test_staff_without_a_second_factor_go_to_verify_it(world, worker):
    client = login(worker)
    response = client.get(reverse("demands:manage_queue"))
    assert response.status_code == 302
    assert "/2fa/" in response["Location"] or "2fa" in response["Location"]


def test_staff_of_another_region_find_nothing(world, lz_center, staff_client):
    client = staff_client(lz_center)
    demand = world["demand"]
    before = _snapshot()
    queue = client.get(reverse("demands:manage_queue"))
    assert demand.number not in text(queue)
    for url in world["staff_get"][4:]:  # the visit, the demand, its recommend page
        assert client.get(url).status_code == 404, url
    for url in world["staff_post"][:-1]:
        assert (
            client.post(url, {"note": "已联系", "reason": "x", "project": "x"}).status_code == 404
        )
    assigned = client.post(
        reverse("demands:manage_assign"), {"ids": [demand.pk], "staff": lz_center.pk}
    )
    assert assigned.status_code in (302, 404)
    assert _snapshot() == before


def test_another_user_cannot_see_or_act_on_the_demand(world, stranger, company_owner):
    demand = world["demand"]
    before = _snapshot()
    for user in (stranger, company_owner):
        client = login(user)
        assert demand.number not in text(client.get(reverse("demands:mine")))
        assert client.get(reverse("demands:detail", args=[demand.number])).status_code == 404
        for url in world["user_post"]:
            assert client.post(url).status_code == 404, url
        # Not an institution's person: no docked demands page.
        assert client.get(reverse("demands:dockings")).status_code == 404
    assert _snapshot() == before


def test_another_institution_does_not_see_a_docking(world, person, offering, make_user, regions):
    chosen = world["demand"].recommendations.get(offering=offering)
    services.demand_accept_recommendation(
        user=person, demand=world["demand"], recommendation=chosen
    )
    rival_person = make_user("enterprise", "320205", kind="enterprise")
    f.institution(regions["320205"], "另一家检测所", people=[rival_person])

    page = login(rival_person).get(reverse("demands:dockings"))

    assert page.status_code == 200
    assert world["demand"].number not in text(page)
    assert "13812345678" not in text(page)


def test_get_is_not_allowed_on_actions(world, person, worker, staff_client):
    for url in world["user_post"]:
        assert login(person).get(url).status_code == 405
    for url in world["staff_post"]:
        assert staff_client(worker).get(url).status_code == 405


# --- query counts --------------------------------------------------------------------------------


def _count(client, url, django_assert_num_queries, n, **params):
    client.get(url, params)  # the session's first request stores the region; not counted
    with django_assert_num_queries(n):
        response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_user_pages_cost_a_fixed_number_of_queries(
    recommended, person, calibration, jiangyin, provider_person, offering, django_assert_num_queries
):
    client = login(person)
    mine = reverse("demands:mine")
    detail = reverse("demands:detail", args=[recommended.number])
    _count(client, mine, django_assert_num_queries, 5)
    _count(client, detail, django_assert_num_queries, 8)
    for _n in range(4):
        publish(person, calibration, jiangyin, attachments=[f.png()])
    chosen = recommended.recommendations.get(offering=offering)
    services.demand_accept_recommendation(user=person, demand=recommended, recommendation=chosen)
    _count(client, mine, django_assert_num_queries, 5)
    _count(client, detail, django_assert_num_queries, 8)
    _count(login(provider_person), reverse("demands:dockings"), django_assert_num_queries, 6)


def test_staff_pages_cost_a_fixed_number_of_queries(
    world,
    person,
    worker,
    center,
    regions,
    calibration,
    jiangyin,
    staff_client,
    django_assert_num_queries,
):
    staff = staff_client(worker)
    manager = staff_client(center)
    demand = world["demand"]
    pages = {
        reverse("demands:manage_queue"): 9,
        reverse("demands:manage_detail", args=[demand.number]): 11,
        reverse("demands:manage_visits"): 9,
        reverse("demands:manage_visit", args=[world["visit"].pk]): 8,
        # the ranking reads the candidates' credit grades (onestop.supervision): one query
        reverse("demands:manage_recommend", args=[demand.number]): 15,
    }
    # The service center also gets the assign forms (stations, people).
    center_pages = {
        reverse("demands:manage_queue"): 13,
        reverse("demands:manage_detail", args=[demand.number]): 15,
        reverse("demands:manage_escalations"): 7,
    }
    escalated = publish(person, calibration, jiangyin)
    services.demand_escalate(actor=worker, demand=escalated, reason="本站无法解决")

    def check() -> None:
        for url, n in pages.items():
            _count(staff, url, django_assert_num_queries, n)
        for url, n in center_pages.items():
            _count(manager, url, django_assert_num_queries, n)

    check()
    for _n in range(5):
        more = publish(person, calibration, jiangyin, attachments=[f.png()])
        services.demand_escalate(actor=worker, demand=more, reason="本站无法解决")
        services.visit_record(
            actor=worker,
            station=world["visit"].station,
            visited_on=dt.date(2026, 11, 16),
            needs_found="回访",
            prospect_name=f"企业{_n}",
            staff=[center],
        )
    extra = [
        f.offering(f.institution(regions[code], f"新增计量所{code}"), calibration)
        for code in ("320214", "320211")
    ]
    services.demand_recommend(
        actor=worker, demand=demand, picks=[services.Pick(o.pk, n) for n, o in enumerate(extra, 1)]
    )
    check()


@pytest.mark.clause("WX 7.2.2.2.1")
def test_deadlines_read_as_24_00_of_their_day(demand, person, worker, staff_client):
    staff_page = text(
        staff_client(worker).get(reverse("demands:manage_detail", args=[demand.number]))
    )
    user_page = text(login(person).get(reverse("demands:detail", args=[demand.number])))

    # Published Wednesday 10:00: respond by Thursday 24:00, recommend by Monday 24:00.
    assert "2026-11-19 24:00" in staff_page
    assert "2026-11-23 24:00" in staff_page
    assert "2026-11-19 24:00" in user_page


def test_a_demand_is_claimed_straight_from_the_queue(demand, worker, staff_client):
    staff = staff_client(worker)
    claim_url = reverse("demands:manage_claim", args=[demand.number])
    assert claim_url in text(staff.get(reverse("demands:manage_queue")))

    assert staff.post(claim_url).status_code == 302

    demand.refresh_from_db()
    assert demand.assigned_to == worker
    assert claim_url not in text(staff.get(reverse("demands:manage_queue")))


@pytest.mark.clause("WX 7.2.2.2.2")
def test_the_contact_number_is_masked_until_staff_ask_and_each_ask_is_audited(
    staff_client, worker, demand, provider_person, other_offering
):
    from onestop.audit.models import AuditEvent

    staff = staff_client(worker)
    page = text(staff.get(reverse("demands:manage_detail", args=[demand.number])))
    assert "13812345678" not in page
    assert "138****5678" in page
    url = reverse("demands:manage_contact", args=[demand.number])
    assert f'action="{url}"' in page
    assert staff.get(url).status_code == 405
    shown = staff.post(url)
    assert shown.status_code == 200
    assert 'href="tel:13812345678"' in text(shown)
    [event] = AuditEvent.objects.filter(action="demands.contact_revealed")
    assert (event.actor_id, event.changes) == (worker.pk, {"number": demand.number, "as": "staff"})
    # An institution's person the demand was not docked with learns nothing.
    outsider = login(provider_person)
    refused = outsider.post(reverse("demands:docking_contact", args=[demand.number]))
    assert refused.status_code == 404
    assert "13812345678" not in text(refused)
    assert AuditEvent.objects.filter(action="demands.contact_revealed").count() == 1

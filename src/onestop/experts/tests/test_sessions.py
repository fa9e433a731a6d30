"""Online Q&A sessions given by experts of the pool (HM 4.3.3.1)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from onestop.accounts.models import Role, User
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError
from onestop.experts.models import (
    Availability,
    Channel,
    Expert,
    QaRegistration,
    QaSession,
    SessionStatus,
)
from onestop.experts.services import (
    SessionDetails,
    qa_register,
    qa_session_cancel,
    qa_session_create,
    qa_unregister,
)
from onestop.notifications.models import Notification

# Online expert consultation (the "quality clinic" of WX 5.3 a).
pytestmark = [pytest.mark.clause("HM 4.3.3.1"), pytest.mark.clause("WX 5.3a")]

JOIN = "https://meeting.example.cn/j/7788123456"


def _details(expert, **overrides) -> SessionDetails:
    start = timezone.now() + timedelta(days=3)
    values = {
        "expert": expert,
        "topic": "计量器具周期检定答疑",
        "channel": Channel.VIDEO,
        "starts_at": start,
        "ends_at": start + timedelta(hours=1, minutes=30),
        "capacity": 20,
        "join_info": JOIN,
        "description": "压力表、衡器的检定周期与送检流程",
    }
    values.update(overrides)
    return SessionDetails(**values)


@pytest.fixture
def make_session(make_expert, lz_staff, regions):
    def make(expert=None, region_code="450200", **overrides) -> QaSession:
        return qa_session_create(
            actor=lz_staff,
            region=regions[region_code],
            details=_details(expert or make_expert(), **overrides),
        )

    return make


@pytest.fixture
def session(make_session):
    return make_session()


@pytest.fixture
def enterprise_user(make_user, regions):
    return make_user(Role.ENTERPRISE, "450200", kind="enterprise")


@pytest.fixture
def other_user(make_user, regions):
    return make_user(Role.INDIVIDUAL, "450200")


# --- services ---------------------------------------------------------------------------


def test_center_staff_schedule_a_session(session, lz_staff, regions):
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert session.region == regions["450200"]
    assert session.created_by == lz_staff
    assert session.join_info == JOIN
    event = AuditEvent.objects.get(action="experts.qa_session_create")
    assert event.object_id == str(session.pk)
    assert JOIN not in str(event.changes)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_at": timezone.now() - timedelta(minutes=1)}, "starts_at"),
        ({"ends_at": timezone.now() + timedelta(days=3)}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 501}, "capacity"),
        ({"join_info": "  "}, "join_info"),
        ({"topic": ""}, "topic"),
        ({"topic": "题" * 101}, "topic"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_a_session_breaking_a_rule_is_refused(make_session, make_expert, overrides, field):
    expert = make_expert()
    with pytest.raises(InvalidInput) as caught:
        make_session(expert=expert, **overrides)
    assert caught.value.field == field
    assert not QaSession.objects.exists()


def test_an_unavailable_or_removed_expert_cannot_give_a_session(make_session, make_expert):
    busy = make_expert(availability=Availability.UNAVAILABLE)
    gone = make_expert()
    Expert.objects.filter(pk=gone.pk).update(active=False)
    for expert in (busy, gone):
        with pytest.raises(InvalidInput) as caught:
            make_session(expert=expert)
        assert caught.value.field == "expert"
    # limited availability is enough
    make_session(expert=make_expert(availability=Availability.LIMITED))


def test_an_expert_of_another_citys_pool_is_refused(make_session, make_expert):
    with pytest.raises(InvalidInput):
        make_session(expert=make_expert(region_code="650500"))
    # a district's expert serves the city's session
    make_session(expert=make_expert(region_code="450205"))


def test_staff_of_another_city_cannot_schedule_or_cancel(hm_staff, make_expert, session, regions):
    with pytest.raises(PermissionDeniedError):
        qa_session_create(actor=hm_staff, region=regions["450200"], details=_details(make_expert()))
    with pytest.raises(PermissionDeniedError):
        qa_session_cancel(actor=hm_staff, session=session, reason="越权")
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_register_and_unregister(session, enterprise_user):
    registration = qa_register(user=enterprise_user, session=session, question=" 检定周期？ ")
    assert registration.question == "检定周期？"
    assert AuditEvent.objects.filter(action="experts.qa_register").count() == 1

    qa_unregister(user=enterprise_user, session=session)
    registration.refresh_from_db()
    assert registration.cancelled_at is not None
    assert AuditEvent.objects.filter(action="experts.qa_unregister").count() == 1
    with pytest.raises(InvalidTransition):
        qa_unregister(user=enterprise_user, session=session)

    # the place can be taken again
    again = qa_register(user=enterprise_user, session=session)
    assert again.pk != registration.pk


def test_a_second_registration_by_the_same_user_is_refused(session, enterprise_user):
    qa_register(user=enterprise_user, session=session)
    with pytest.raises(InvalidTransition) as caught:
        qa_register(user=enterprise_user, session=session, question="再报一次")
    assert caught.value.message == gettext("You have already registered for this session.")
    assert QaRegistration.objects.filter(session=session).count() == 1


def test_a_full_session_is_refused(make_session, make_user, enterprise_user, other_user):
    session = make_session(capacity=1)
    qa_register(user=enterprise_user, session=session)
    with pytest.raises(InvalidTransition):
        qa_register(user=other_user, session=session)
    # a place given back can be taken
    qa_unregister(user=enterprise_user, session=session)
    qa_register(user=other_user, session=session)
    assert QaRegistration.objects.filter(cancelled_at__isnull=True).get().user == other_user


def test_no_registration_once_started_or_cancelled(make_session, lz_staff, enterprise_user):
    started = make_session()
    QaSession.objects.filter(pk=started.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(InvalidTransition):
        qa_register(user=enterprise_user, session=started)

    cancelled = make_session()
    qa_session_cancel(actor=lz_staff, session=cancelled, reason="专家临时出差")
    with pytest.raises(InvalidTransition):
        qa_register(user=enterprise_user, session=cancelled)
    assert not QaRegistration.objects.exists()


def test_a_long_question_is_refused(session, enterprise_user):
    with pytest.raises(InvalidInput) as caught:
        qa_register(user=enterprise_user, session=session, question="问" * 501)
    assert caught.value.field == "question"


def test_cancelling_tells_everyone_still_registered(
    session, lz_staff, enterprise_user, other_user, make_user
):
    withdrew = make_user(Role.INDIVIDUAL, "450200")
    qa_register(user=enterprise_user, session=session)
    qa_register(user=other_user, session=session)
    qa_register(user=withdrew, session=session)
    qa_unregister(user=withdrew, session=session)

    qa_session_cancel(actor=lz_staff, session=session, reason="专家临时出差")

    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.cancel_reason == "专家临时出差"
    told = Notification.objects.filter(kind="experts.qa_session_cancelled")
    assert {n.recipient_id for n in told} == {enterprise_user.pk, other_user.pk}
    assert all(n.url == f"/experts/sessions/{session.pk}/" for n in told)
    assert all(n.body == "专家临时出差" for n in told)
    assert AuditEvent.objects.filter(action="experts.qa_session_cancel").count() == 1
    with pytest.raises(InvalidTransition):
        qa_session_cancel(actor=lz_staff, session=session, reason="再次取消")


def test_cancelling_needs_a_reason_and_a_future_session(make_session, lz_staff):
    session = make_session()
    with pytest.raises(InvalidInput):
        qa_session_cancel(actor=lz_staff, session=session, reason=" ")
    QaSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(InvalidTransition):
        qa_session_cancel(actor=lz_staff, session=session, reason="太晚了")


# --- public pages -------------------------------------------------------------------------


def _topics(body: str) -> set[str]:
    return set(re.findall(r'<a href="/experts/sessions/\d+/">([^<]+)</a>', body))


def test_the_list_shows_upcoming_sessions_without_how_to_join(
    client, make_session, make_expert, lz_staff, enterprise_user
):
    expert = make_expert(name="黄立新", title="高级工程师")
    shown = make_session(expert=expert, topic="即将开始", capacity=3)
    qa_register(user=enterprise_user, session=shown)
    past = make_session(topic="已经结束")
    QaSession.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=2)
    )
    qa_session_cancel(actor=lz_staff, session=make_session(topic="已取消"), reason="改期")
    removed = make_session(topic="专家已移出")
    Expert.objects.filter(pk=removed.expert_id).update(active=False)

    response = client.get("/experts/sessions/")

    assert response.status_code == 200
    body = response.content.decode()
    assert _topics(body) == {"即将开始"}
    assert "黄立新" in body
    assert "高级工程师" in body
    assert 'data-places-left="2"' in body
    assert JOIN not in body
    assert "meeting.example.cn" not in body


def test_anonymous_visitors_see_a_login_link_and_no_join_info(client, session):
    body = client.get(f"/experts/sessions/{session.pk}/").content.decode()
    assert 'id="login-to-register"' in body
    assert f"/accounts/login/?next=/experts/sessions/{session.pk}/" in body.replace("%2F", "/")
    assert 'id="register-form"' not in body
    assert "meeting.example.cn" not in body


def test_a_user_registers_sees_how_to_join_and_can_withdraw(client, session, enterprise_user):
    client.force_login(enterprise_user)
    body = client.get(f"/experts/sessions/{session.pk}/").content.decode()
    assert 'id="register-form"' in body
    assert "meeting.example.cn" not in body

    response = client.post(
        f"/experts/sessions/{session.pk}/register/", {"question": "衡器多久检定一次？"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/experts/sessions/{session.pk}/"
    body = client.get(f"/experts/sessions/{session.pk}/").content.decode()
    assert 'id="join-info"' in body
    assert JOIN in body
    assert f'action="/experts/sessions/{session.pk}/unregister/"' in body

    response = client.post(f"/experts/sessions/{session.pk}/unregister/")
    assert response.status_code == 302
    body = client.get(f"/experts/sessions/{session.pk}/").content.decode()
    assert "meeting.example.cn" not in body
    assert 'id="register-form"' in body


def test_a_second_registration_through_the_page_is_refused(client, session, enterprise_user):
    qa_register(user=enterprise_user, session=session)
    client.force_login(enterprise_user)
    response = client.post(f"/experts/sessions/{session.pk}/register/", {"question": "再来"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert QaRegistration.objects.count() == 1


def test_a_full_session_shows_no_form(client, make_session, enterprise_user, other_user):
    session = make_session(capacity=1)
    qa_register(user=enterprise_user, session=session)
    client.force_login(other_user)
    body = client.get(f"/experts/sessions/{session.pk}/").content.decode()
    assert 'id="session-full"' in body
    assert 'id="register-form"' not in body
    assert "meeting.example.cn" not in body
    response = client.post(f"/experts/sessions/{session.pk}/register/", {})
    assert response.status_code == 400
    assert QaRegistration.objects.count() == 1


def test_join_info_is_hidden_from_other_users_and_shown_to_staff(
    client, otp_login, session, enterprise_user, other_user, lz_staff, hm_staff
):
    qa_register(user=enterprise_user, session=session)
    url = f"/experts/sessions/{session.pk}/"
    client.force_login(other_user)
    assert "meeting.example.cn" not in client.get(url).content.decode()
    otp_login(hm_staff)
    assert "meeting.example.cn" not in client.get(url).content.decode()
    otp_login(lz_staff)
    assert JOIN in client.get(url).content.decode()
    assert JOIN in client.get(f"/experts/manage/sessions/{session.pk}/").content.decode()


def test_the_api_never_gives_how_to_join(client, session, enterprise_user):
    qa_register(user=enterprise_user, session=session)
    client.force_login(enterprise_user)  # even for the registered user
    listing = client.get("/api/v1/experts/sessions")
    detail = client.get(f"/api/v1/experts/sessions/{session.pk}")
    assert listing.status_code == 200
    assert detail.status_code == 200
    assert [s["id"] for s in listing.json()["results"]] == [session.pk]
    assert detail.json()["places_left"] == 19
    assert detail.json()["channel"] == "video"
    for response in (listing, detail):
        text = response.content.decode()
        assert "meeting.example.cn" not in text
        assert "join" not in text
    assert client.get("/api/v1/experts/sessions/999999").status_code == 404


def test_unknown_and_hidden_sessions_are_404(client, session):
    Expert.objects.filter(pk=session.expert_id).update(active=False)
    assert client.get(f"/experts/sessions/{session.pk}/").status_code == 404
    assert client.get("/experts/sessions/999999/").status_code == 404


def test_a_cancelled_session_page_says_so(client, session, lz_staff, enterprise_user):
    qa_register(user=enterprise_user, session=session)
    qa_session_cancel(actor=lz_staff, session=session, reason="专家临时出差")
    client.force_login(enterprise_user)
    body = client.get(f"/experts/sessions/{session.pk}/").content.decode()
    assert 'id="session-cancelled"' in body
    assert "专家临时出差" in body
    assert f'action="/experts/sessions/{session.pk}/unregister/"' not in body


def test_anonymous_posts_go_to_the_login(client, session):
    for action in ("register", "unregister"):
        response = client.post(f"/experts/sessions/{session.pk}/{action}/", {"question": "?"})
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not QaRegistration.objects.exists()
    assert client.get(f"/experts/sessions/{session.pk}/register/").status_code == 405


def test_unregistering_without_a_place_is_refused(client, session, other_user):
    client.force_login(other_user)
    assert client.post(f"/experts/sessions/{session.pk}/unregister/").status_code == 409


def test_expert_pages_link_to_the_sessions(client, session, make_expert):
    assert 'href="/experts/sessions/"' in client.get("/experts/?region=").content.decode()
    body = client.get(f"/experts/{session.expert_id}/").content.decode()
    assert f'href="/experts/sessions/{session.pk}/"' in body
    other = make_expert()
    body = client.get(f"/experts/{other.pk}/").content.decode()
    assert f'href="/experts/sessions/{session.pk}/"' not in body


def test_list_query_count_is_constant(
    client, make_session, enterprise_user, django_assert_num_queries
):
    qa_register(user=enterprise_user, session=make_session())
    client.get("/experts/sessions/")
    # count, page (sessions+experts+regions+categories+places), header region
    with django_assert_num_queries(3) as few:
        client.get("/experts/sessions/")
    for _n in range(8):
        qa_register(user=enterprise_user, session=make_session(category=None))

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/experts/sessions/").content.decode()
    assert len(_topics(body)) == 1  # one topic, nine sessions
    assert body.count("data-session=") == 9


def test_detail_query_count_is_pinned(client, session, enterprise_user, django_assert_num_queries):
    qa_register(user=enterprise_user, session=session)
    url = f"/experts/sessions/{session.pk}/"
    client.get(url)
    with django_assert_num_queries(2):  # session, header region
        client.get(url)
    client.force_login(enterprise_user)
    client.get(url)
    # login session, user, session, registration, join info, header region
    with django_assert_num_queries(6) as few:
        body = client.get(url).content.decode()
    assert JOIN in body
    for _n in range(5):
        qa_register(user=User.objects.create_user(username=f"r{_n}"), session=session)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


# --- the workbench ------------------------------------------------------------------------


def _form(expert, regions, **overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=5)).replace(second=0, microsecond=0)
    data = {
        "region": regions["450200"].pk,
        "expert": expert.pk,
        "topic": "小微企业计量需求答疑",
        "description": "",
        "category": "metrology",
        "channel": "wechat",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "30",
        "join_info": "微信群：柳州计量答疑群（扫码入群）",
    }
    data.update(overrides)
    return data


def test_staff_schedule_see_registrations_and_cancel(
    client, otp_login, lz_staff, make_expert, regions, enterprise_user, other_user
):
    expert = make_expert(name="蒙晓东")
    otp_login(lz_staff)
    assert client.get("/experts/manage/sessions/new/").status_code == 200
    response = client.post("/experts/manage/sessions/new/", _form(expert, regions))
    session = QaSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/experts/manage/sessions/{session.pk}/"
    assert session.channel == Channel.WECHAT
    assert session.category.code == "metrology"

    qa_register(user=enterprise_user, session=session, question="如何申请计量器具型式批准？")
    qa_register(user=other_user, session=session)
    body = client.get("/experts/manage/sessions/").content.decode()
    assert 'data-taken="2"' in body
    body = client.get(f"/experts/manage/sessions/{session.pk}/").content.decode()
    assert "如何申请计量器具型式批准？" in body
    assert body.count("data-registration=") == 2

    assert client.get(f"/experts/manage/sessions/{session.pk}/cancel/").status_code == 200
    response = client.post(f"/experts/manage/sessions/{session.pk}/cancel/", {"reason": "改期"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert Notification.objects.filter(kind="experts.qa_session_cancelled").count() == 2


def test_a_past_start_is_shown_beside_the_field(client, otp_login, lz_staff, make_expert, regions):
    otp_login(lz_staff)
    past = timezone.localtime(timezone.now() - timedelta(days=1))
    response = client.post(
        "/experts/manage/sessions/new/",
        _form(
            make_expert(),
            regions,
            starts_at=past.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(past + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 400
    field = response.content.decode().split('for="id_starts_at"', 1)[1].split("</div>", 1)[0]
    assert 'class="field-error"' in field
    assert not QaSession.objects.exists()


def test_the_form_offers_no_unavailable_or_foreign_expert(
    client, otp_login, lz_staff, make_expert, regions
):
    busy = make_expert(name="韦忙碌", availability=Availability.UNAVAILABLE)
    make_expert(name="哈密人", region_code="650500")
    make_expert(name="韦可约")
    otp_login(lz_staff)
    body = client.get("/experts/manage/sessions/new/").content.decode()
    assert "韦可约" in body
    assert "韦忙碌" not in body
    assert "哈密人" not in body
    response = client.post("/experts/manage/sessions/new/", _form(busy, regions))
    assert response.status_code == 400
    assert not QaSession.objects.exists()


MANAGE_URLS = [
    ("get", "/experts/manage/sessions/"),
    ("get", "/experts/manage/sessions/new/"),
    ("post", "/experts/manage/sessions/new/"),
    ("get", "/experts/manage/sessions/{id}/"),
    ("get", "/experts/manage/sessions/{id}/cancel/"),
    ("post", "/experts/manage/sessions/{id}/cancel/"),
]


def _call(client, method, url, session, regions):
    url = url.format(id=session.pk)
    if method == "get":
        return client.get(url)
    return client.post(url, {**_form(session.expert, regions), "reason": "越权"})


def _unchanged(session):
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert QaSession.objects.count() == 1


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_manage_anonymous_go_to_the_workbench_login(client, session, regions, method, url):
    response = _call(client, method, url, session, regions)
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/login/")
    _unchanged(session)


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_manage_enterprise_users_are_refused(
    client, enterprise_user, session, regions, method, url
):
    client.force_login(enterprise_user)
    assert _call(client, method, url, session, regions).status_code == 403
    _unchanged(session)


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_manage_station_staff_are_refused(
    client, otp_login, station_worker, session, regions, method, url
):
    otp_login(station_worker)
    assert _call(client, method, url, session, regions).status_code == 403
    _unchanged(session)


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_manage_staff_of_another_city_see_nothing(
    client, otp_login, hm_staff, session, regions, method, url
):
    otp_login(hm_staff)
    response = _call(client, method, url, session, regions)
    if "{id}" in url:
        assert response.status_code == 404
    else:
        # their own (empty) list, or a form that cannot choose Liuzhou or its expert
        assert response.status_code in (200, 400)
        assert session.topic not in response.content.decode()
    _unchanged(session)


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_manage_staff_without_a_verified_second_factor_go_to_2fa(
    client, lz_staff, session, regions, method, url
):
    client.force_login(lz_staff)
    response = _call(client, method, url, session, regions)
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/2fa/")
    _unchanged(session)


def test_manage_pages_have_constant_queries(
    client, otp_login, lz_staff, make_session, enterprise_user, django_assert_num_queries
):
    session = make_session()
    qa_register(user=enterprise_user, session=session, question="问题一")
    otp_login(lz_staff)
    client.get("/experts/manage/sessions/")
    with django_assert_num_queries(7) as listing:
        client.get("/experts/manage/sessions/")
    client.get(f"/experts/manage/sessions/{session.pk}/")
    with django_assert_num_queries(7) as detail:
        client.get(f"/experts/manage/sessions/{session.pk}/")
    for n in range(5):
        extra = make_session()
        qa_register(user=enterprise_user, session=extra)
        qa_register(
            user=User.objects.create_user(username=f"q{n}", password="pw-for-tests-1"),
            session=session,
        )
    with django_assert_num_queries(len(listing.captured_queries)):
        client.get("/experts/manage/sessions/")
    with django_assert_num_queries(len(detail.captured_queries)):
        body = client.get(f"/experts/manage/sessions/{session.pk}/").content.decode()
    assert body.count("data-registration=") == 6

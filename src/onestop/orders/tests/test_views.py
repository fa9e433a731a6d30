"""The order pages: ordering from the offering page through login (WX App. A
"是否为会员"), the user's orders and order page with its timeline
(HM 4.3.4.1, WX 5.1 d), the institution's queue and the staff's queue."""

from __future__ import annotations

import re

import pytest

from onestop.institutions.models import InstitutionStatus, OfferingStatus
from onestop.orders import services
from onestop.orders.models import Order, OrderStatus
from onestop.orders.tests.conftest import png

pytestmark = pytest.mark.django_db

S = OrderStatus


def html(response) -> str:
    return response.content.decode()


def timeline(body: str) -> list[str]:
    block = re.search(r'<ol class="timeline" id="timeline">(.*?)</ol>', body, re.S)
    assert block is not None
    return re.findall(r'<li data-to="([a-z_]*)" data-kind="([a-z]+)">', block.group(1))


# --- from the offering page to an order (WX App. A) ----------------------------------------------


@pytest.mark.clause("WX A")
def test_the_offering_page_has_the_order_button_and_ways_to_log_in_or_register(client, offering):
    body = html(client.get(f"/institutions/offerings/{offering.pk}/"))
    target = f"/orders/new/{offering.pk}/"
    assert f'id="order-online-link" href="{target}"' in body
    assert f"/accounts/login/?next={target}" in body
    assert f"/accounts/register/?next={target}" in body


def test_the_button_adds_no_query_to_the_offering_page(client, offering, django_assert_num_queries):
    client.get(f"/institutions/offerings/{offering.pk}/")
    # offering with institution/category/qualification, stations, header's region
    with django_assert_num_queries(3):
        client.get(f"/institutions/offerings/{offering.pk}/")


def test_no_button_while_the_qualification_is_expired(client, offering, cma):
    cma.valid_to = cma.valid_from
    cma.save()
    body = html(client.get(f"/institutions/offerings/{offering.pk}/"))
    assert 'id="expired-notice"' in body
    assert "order-online-link" not in body


@pytest.mark.clause("WX A")
def test_a_visitor_logs_in_and_comes_back_to_the_order_form(client, offering, customer):
    target = f"/orders/new/{offering.pk}/"
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={target}"

    logged_in = client.post(
        "/accounts/login/",
        {"username": customer.username, "password": "pw-for-tests-1", "next": target},
    )
    assert logged_in.status_code == 302
    assert logged_in["Location"] == target
    form = client.get(target)
    assert form.status_code == 200
    assert 'id="order-form"' in html(form)


@pytest.mark.clause("WX A")
def test_a_verified_user_orders_and_lands_on_the_order_page(client, offering, customer):
    client.force_login(customer)
    response = client.post(
        f"/orders/new/{offering.pk}/",
        {
            "description": "校准一般压力表 3 只，需出具证书。",
            "contact_name": "赵先生",
            "customer": "self",
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.number}/"
    assert (order.user, order.enterprise, order.contact_name) == (customer, None, "赵先生")


def test_an_enterprise_account_orders_for_its_enterprise(client, offering, buyer, buyer_enterprise):
    client.force_login(buyer)
    form = html(client.get(f"/orders/new/{offering.pk}/"))
    assert f'value="{buyer_enterprise.pk}"' in form
    client.post(
        f"/orders/new/{offering.pk}/",
        {
            "description": "校准一般压力表 3 只。",
            "contact_name": "周主任",
            "customer": str(buyer_enterprise.pk),
        },
    )
    assert Order.objects.get().enterprise == buyer_enterprise


def test_bad_order_input_shows_the_form_again(client, offering, customer):
    client.force_login(customer)
    response = client.post(
        f"/orders/new/{offering.pk}/", {"description": "短", "contact_name": "", "customer": "self"}
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in html(response)
    assert not Order.objects.exists()


@pytest.mark.clause("WX A")
def test_an_unverified_user_is_sent_to_verification(client, offering, unverified):
    client.force_login(unverified)
    body = html(client.get(f"/orders/new/{offering.pk}/"))
    assert 'id="verification-required"' in body
    assert 'href="/verification/"' in body
    assert 'id="order-form"' not in body
    response = client.post(
        f"/orders/new/{offering.pk}/", {"description": "校准压力表 3 只。", "contact_name": "钱"}
    )
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_withdrawn_offering_or_suspended_institution_takes_no_order(
    client, offering, institution, customer
):
    client.force_login(customer)
    offering.status = OfferingStatus.WITHDRAWN
    offering.save()
    response = client.get(f"/orders/new/{offering.pk}/")
    assert response.status_code == 409
    assert 'id="not-orderable"' in html(response)
    posted = client.post(
        f"/orders/new/{offering.pk}/",
        {"description": "校准压力表 3 只。", "contact_name": "赵", "customer": "self"},
    )
    assert posted.status_code == 409
    offering.status = OfferingStatus.PUBLISHED
    offering.save()
    institution.status = InstitutionStatus.SUSPENDED
    institution.save()
    assert client.get(f"/orders/new/{offering.pk}/").status_code == 409
    institution.status = InstitutionStatus.PENDING
    institution.save()
    assert client.get(f"/orders/new/{offering.pk}/").status_code == 404
    assert not Order.objects.exists()


# --- the user's pages --------------------------------------------------------------------


def test_my_orders_lists_mine_only_newest_first(client, place, customer, stranger):
    first, second = place(customer), place(customer)
    other = place(stranger)
    client.force_login(customer)
    body = html(client.get("/orders/mine/"))
    assert body.index(second.number) < body.index(first.number)
    assert other.number not in body


def test_my_orders_costs_the_same_queries_for_2_or_25_orders(
    client, place, customer, django_assert_num_queries
):
    for _ in range(2):
        place(customer)
    client.force_login(customer)
    client.get("/orders/mine/")
    # session, user, memberships, count, page, the header's current region
    with django_assert_num_queries(6) as few:
        client.get("/orders/mine/")
    for _ in range(23):
        place(customer)
    with django_assert_num_queries(len(few.captured_queries)):
        body = html(client.get("/orders/mine/"))
    assert body.count('href="/orders/DD') == 20
    assert 'rel="next"' in body


@pytest.mark.clause("HM 4.3.4.1")
@pytest.mark.clause("WX 5.1d")
def test_the_order_page_shows_the_timeline_the_date_and_only_allowed_actions(
    client, order, customer, lab_owner
):
    services.order_accept(actor=lab_owner, order=order)
    client.force_login(customer)
    body = html(client.get(f"/orders/{order.number}/"))

    assert timeline(body) == [("submitted", "transition"), ("accepted", "transition")]
    assert re.search(r'<time datetime="2026-11-18T10:00:\d\d\+0800">2026-11-18 10:00</time>', body)
    assert '<time datetime="2026-11-25">2026-11-25</time>' in body
    assert "检测所王经理" in body  # who accepted
    assert 'id="action-cancel"' in body
    for other in ("accept", "decline", "start", "deliver", "complete"):
        assert f'id="action-{other}"' not in body


def test_order_page_query_count_is_constant(
    client, order, customer, lab_owner, django_assert_num_queries
):
    client.force_login(customer)
    client.get(f"/orders/{order.number}/")
    # session, user, memberships, order, events, messages, files, clock, header's region
    with django_assert_num_queries(9) as few:
        client.get(f"/orders/{order.number}/")
    services.order_accept(actor=lab_owner, order=order)
    for n in range(5):
        services.order_message_post(actor=customer, order=order, body=f"第{n}条测试消息")
        services.order_attach(actor=lab_owner, order=order, kind="other", upload=png())
    services.order_start(actor=lab_owner, order=order)
    with django_assert_num_queries(len(few.captured_queries) - 1):  # no running clock now
        body = html(client.get(f"/orders/{order.number}/"))
    assert body.count("条测试消息") == 5


def test_another_users_order_is_not_found_and_nothing_is_leaked(client, order, stranger, customer):
    client.force_login(stranger)
    for url in (f"/orders/{order.number}/", "/orders/DD2099010100001/"):
        response = client.get(url)
        assert response.status_code == 404
        assert order.description not in html(response)
    for url, data in (
        (f"/orders/{order.number}/act/cancel/", {"cancel-note": ""}),
        (f"/orders/{order.number}/messages/", {"body": "你好"}),
        (f"/orders/{order.number}/attachments/", {"kind": "other", "file": png()}),
    ):
        assert client.post(url, data).status_code == 404
    order.refresh_from_db()
    assert order.status == S.SUBMITTED
    assert not order.messages.exists()
    assert not order.attachments.exists()


def test_a_colleague_sees_the_enterprise_order(client, place, buyer, colleague):
    order = place(buyer)
    client.force_login(colleague)
    assert client.get(f"/orders/{order.number}/").status_code == 200
    assert order.number in html(client.get("/orders/mine/"))


def test_the_user_cancels_from_the_page(client, order, customer):
    client.force_login(customer)
    response = client.post(f"/orders/{order.number}/act/cancel/", {"cancel-note": "不需要了"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert order.events.last().note == "不需要了"


def test_moves_the_user_may_not_make_change_nothing(client, order, customer):
    client.force_login(customer)
    forbidden = client.post(f"/orders/{order.number}/act/accept/", {"accept-note": ""})
    assert forbidden.status_code == 403
    wrong_state = client.post(f"/orders/{order.number}/act/complete/", {"complete-note": ""})
    assert wrong_state.status_code == 409
    assert 'id="action-errors"' in html(wrong_state)
    unknown = client.post(f"/orders/{order.number}/act/explode/", {})
    assert unknown.status_code == 400
    order.refresh_from_db()
    assert order.status == S.SUBMITTED
    assert order.events.count() == 1


def test_a_missing_reason_shows_the_form_again(client, order, customer, lab_owner):
    services.order_accept(actor=lab_owner, order=order)
    services.order_start(actor=lab_owner, order=order)
    services.order_attach(actor=lab_owner, order=order, kind="report", upload=png())
    services.order_deliver(actor=lab_owner, order=order)
    client.force_login(customer)
    response = client.post(f"/orders/{order.number}/act/rework/", {"rework-note": ""})
    assert response.status_code == 400
    assert 'id="action-rework"' in html(response)
    assert Order.objects.get(pk=order.pk).status == S.DELIVERED


@pytest.mark.clause("HM 4.3.4.1")
def test_messages_from_the_page(client, order, customer):
    client.force_login(customer)
    sent = client.post(f"/orders/{order.number}/messages/", {"body": "请尽快联系我"})
    assert sent.status_code == 302
    assert order.messages.get().body == "请尽快联系我"
    empty = client.post(f"/orders/{order.number}/messages/", {"body": ""})
    assert empty.status_code == 400
    assert order.messages.count() == 1


# --- attachments and who may download them ---------------------------------------------------


@pytest.fixture
def delivered_report(client, order, lab_owner):
    services.order_accept(actor=lab_owner, order=order)
    services.order_start(actor=lab_owner, order=order)
    client.force_login(lab_owner)
    response = client.post(
        f"/orders/institution/{order.number}/attachments/",
        {"kind": "report", "file": png("校准证书.png")},
    )
    assert response.status_code == 302
    attachment = order.attachments.get()
    assert attachment.kind == "report"
    client.logout()
    return attachment.document


def test_the_report_is_read_by_the_user_the_institution_and_overseeing_staff_only(
    client, otp_login, delivered_report, customer, lab_member, stranger, wx_center, lz_center
):
    url = delivered_report.get_absolute_url()
    for reader in (customer, lab_member):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    # Staff: only after the second factor, and only over the order's region.
    client.force_login(wx_center)
    assert client.get(url).status_code == 404
    otp_login(wx_center)
    assert client.get(url).status_code == 200
    otp_login(lz_center)
    assert client.get(url).status_code == 404


def test_the_user_may_not_upload_a_report(client, order, customer):
    client.force_login(customer)
    response = client.post(
        f"/orders/{order.number}/attachments/", {"kind": "report", "file": png()}
    )
    assert response.status_code == 400
    assert not order.attachments.exists()
    ok = client.post(f"/orders/{order.number}/attachments/", {"kind": "other", "file": png()})
    assert ok.status_code == 302


def test_a_file_that_is_not_a_document_is_refused(client, order, customer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(customer)
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(f"/orders/{order.number}/attachments/", {"kind": "other", "file": fake})
    assert response.status_code in (400, 415)
    assert not order.attachments.exists()


# --- the institution's side ------------------------------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
def test_the_institution_queue_shows_the_deadline_and_accepts_in_one_click(
    client, order, lab_member
):
    client.force_login(lab_member)
    body = html(client.get("/orders/institution/"))
    assert order.number in body
    assert "2026-11-20 00:00" in body  # due at 24:00 on Thursday
    response = client.post(
        f"/orders/institution/{order.number}/act/accept/",
        {"accept-note": "", "next": "/orders/institution/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/orders/institution/"
    assert Order.objects.get(pk=order.pk).status == S.ACCEPTED


def test_the_institution_queue_filters_by_status(client, place, customer, lab_owner):
    waiting = place(customer)
    accepted = services.order_accept(actor=lab_owner, order=place(customer))
    declined = services.order_decline(actor=lab_owner, order=place(customer), reason="满额")
    client.force_login(lab_owner)
    open_ = html(client.get("/orders/institution/"))
    assert waiting.number in open_
    assert accepted.number in open_
    assert declined.number not in open_
    only = html(client.get("/orders/institution/?status=declined"))
    assert declined.number in only
    assert waiting.number not in only
    everything = html(client.get("/orders/institution/?status=all"))
    assert all(o.number in everything for o in (waiting, accepted, declined))


def test_the_institution_queue_query_count_is_constant(
    client, place, customer, lab_owner, django_assert_num_queries
):
    place(customer)
    client.force_login(lab_owner)
    client.get("/orders/institution/")
    # session, user, institution, count, page (with clocks), the header's region
    with django_assert_num_queries(6) as few:
        client.get("/orders/institution/")
    for _ in range(24):
        place(customer)
    with django_assert_num_queries(len(few.captured_queries)):
        body = html(client.get("/orders/institution/"))
    assert len(set(re.findall(r'href="/orders/institution/(DD\d+)/"', body))) == 20


def test_the_institution_side_is_for_its_people_only(
    client, order, customer, stranger, other_lab_owner
):
    for someone in (customer, stranger, other_lab_owner):
        client.force_login(someone)
        assert client.get(f"/orders/institution/{order.number}/").status_code == 404
        assert client.post(f"/orders/institution/{order.number}/act/accept/", {}).status_code == 404
    for someone in (customer, stranger):
        client.force_login(someone)
        assert client.get("/orders/institution/").status_code == 404
    client.force_login(other_lab_owner)
    assert order.number not in html(client.get("/orders/institution/"))
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED


@pytest.fixture
def other_lab_owner(make_user, regions):
    """The owner of another active institution (in Liuzhou)."""
    from onestop.institutions.models import Institution, InstitutionKind
    from onestop.orders.tests.conftest import enterprise_in, join

    enterprise = enterprise_in(regions["450202"], name="柳州检测", uscc="91450200MA5K6L7N8N")
    Institution.objects.create(
        enterprise=enterprise,
        name="柳州示范检测中心",
        kind=InstitutionKind.TESTING_LAB,
        region=regions["450202"],
        address="柳州",
        service_phone="0772-1234567",
        status=InstitutionStatus.ACTIVE,
        agreement_version="2026-1",
        agreement_accepted_at=enterprise.created_at,
        applied_at=enterprise.created_at,
    )
    user = make_user("enterprise", "450202", kind="enterprise")
    join(user, enterprise)
    return user


# --- staff ---------------------------------------------------------------------------------


def test_staff_see_the_orders_of_their_regions_only(
    client, otp_login, place, customer, stranger, wx_center, lz_center, wx_authority
):
    jiangyin, liuzhou = place(customer), place(stranger)
    otp_login(wx_center)
    body = html(client.get("/orders/manage/"))
    assert jiangyin.number in body
    assert liuzhou.number not in body
    otp_login(wx_authority)
    assert jiangyin.number in html(client.get("/orders/manage/"))
    otp_login(lz_center)
    body = html(client.get("/orders/manage/"))
    assert liuzhou.number in body
    assert jiangyin.number not in body
    assert client.get(f"/orders/manage/{jiangyin.number}/").status_code == 404


def test_the_staff_queue_filters(
    client, otp_login, place, customer, buyer, lab_owner, jy_station_staff, wx_center, time_machine
):
    late = place(customer)
    time_machine.move_to("2026-11-20 09:00 +08:00", tick=True)
    fresh = place(buyer)
    accepted = services.order_accept(actor=lab_owner, order=place(customer))
    services.order_escalate(actor=jy_station_staff, order=accepted, reason="价格争议")
    otp_login(wx_center)

    def numbers(query: str) -> set[str]:
        body = html(client.get(f"/orders/manage/?{query}"))
        return set(re.findall(r'href="/orders/manage/(DD\d+)/"', body))

    assert numbers("") == {late.number, fresh.number, accepted.number}
    assert numbers("status=accepted") == {accepted.number}
    assert numbers("clock=breached") == {late.number}
    assert numbers("clock=running") == {fresh.number}
    assert numbers("escalated=on") == {accepted.number}
    assert numbers(f"institution={accepted.institution_id}&status=open") == {
        late.number,
        fresh.number,
        accepted.number,
    }
    assert "row-breached" in html(client.get("/orders/manage/?clock=breached"))


def test_the_staff_queue_query_count_is_constant(
    client, otp_login, place, customer, wx_center, django_assert_num_queries
):
    place(customer)
    otp_login(wx_center)
    client.get("/orders/manage/")
    # session, user, 2FA device, roles, the scope's regions, capped count, the
    # page's ids, its rows, the header's region
    with django_assert_num_queries(9) as few:
        client.get("/orders/manage/")
    for _ in range(25):
        place(customer)
    with django_assert_num_queries(len(few.captured_queries)):
        body = html(client.get("/orders/manage/?status=submitted"))
    assert body.count('href="/orders/manage/DD') == 20
    count = re.search(r'<p id="count">(.*?)</p>', html(client.get("/orders/manage/")), re.S)
    assert count is not None
    assert re.findall(r"\d+", count.group(1)) == ["26"]


def test_the_staff_queue_filters_by_part_of_the_institution_s_name(
    client, otp_login, place, customer, wx_center
):
    order = place(customer)
    otp_login(wx_center)
    name = order.institution.name
    body = html(client.get("/orders/manage/", {"institution_name": name[1:4]}))
    assert f'href="/orders/manage/{order.number}/"' in body
    body = html(client.get("/orders/manage/", {"institution_name": "不存在的机构名称"}))
    assert order.number not in body
    too_long = client.get("/orders/manage/", {"institution_name": "长" * 101})
    assert order.number in html(too_long)  # the filter is refused and said so, the queue stays
    assert "has-error" in html(too_long)


def test_staff_order_page_offers_station_tools_to_fieldwork_staff_only(
    client, otp_login, order, jy_station_staff, wx_authority, station
):
    otp_login(wx_authority)
    body = html(client.get(f"/orders/manage/{order.number}/"))
    assert 'id="proxy-form"' not in body
    assert 'id="escalate-form"' not in body
    assert (
        client.post(f"/orders/manage/{order.number}/escalate/", {"reason": "无法处理"}).status_code
        == 403
    )
    otp_login(jy_station_staff)
    body = html(client.get(f"/orders/manage/{order.number}/"))
    assert 'id="proxy-form"' in body
    assert 'id="escalate-form"' in body
    response = client.post(f"/orders/manage/{order.number}/proxy/", {"station": station.pk})
    assert response.status_code == 302
    escalated = client.post(f"/orders/manage/{order.number}/escalate/", {"reason": "无法协调"})
    assert escalated.status_code == 302
    order.refresh_from_db()
    assert order.proxy_station == station
    assert order.escalated_at is not None
    # On the user's behalf, the station now sees the user's moves.
    assert 'id="action-cancel"' in html(client.get(f"/orders/manage/{order.number}/"))


def test_staff_order_page_query_count_is_constant(
    client, otp_login, order, customer, jy_station_staff, station, django_assert_num_queries
):
    otp_login(jy_station_staff)
    client.get(f"/orders/manage/{order.number}/")
    # session, user, 2FA device, roles, order, events, messages, files, clock,
    # stations (proxy form), the header's region
    with django_assert_num_queries(11) as few:
        client.get(f"/orders/manage/{order.number}/")
    for n in range(4):
        services.order_message_post(actor=customer, order=order, body=f"消息{n}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/orders/manage/{order.number}/")


# --- authorisation for every URL ------------------------------------------------------------


def _urls(number: str, offering_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/orders/new/{offering_id}/"),
        ("get", "/orders/mine/"),
        ("get", f"/orders/{number}/"),
        ("post", f"/orders/{number}/act/cancel/"),
        ("post", f"/orders/{number}/messages/"),
        ("post", f"/orders/{number}/attachments/"),
        ("get", "/orders/institution/"),
        ("get", f"/orders/institution/{number}/"),
        ("post", f"/orders/institution/{number}/act/accept/"),
        ("post", f"/orders/institution/{number}/messages/"),
        ("post", f"/orders/institution/{number}/attachments/"),
        ("get", "/orders/manage/"),
        ("get", f"/orders/manage/{number}/"),
        ("post", f"/orders/manage/{number}/act/cancel/"),
        ("post", f"/orders/manage/{number}/messages/"),
        ("post", f"/orders/manage/{number}/attachments/"),
        ("post", f"/orders/manage/{number}/escalate/"),
        ("post", f"/orders/manage/{number}/proxy/"),
    ]


def test_anonymous_visitors_are_sent_to_log_in_everywhere(client, order, offering):
    for method, url in _urls(order.number, offering.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        login = "/workbench/login/" if url.startswith("/orders/manage/") else "/accounts/login/"
        assert response["Location"].startswith(login), url
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED


def test_public_users_get_no_staff_page(client, order, customer):
    client.force_login(customer)
    for method, url in _urls(order.number, order.offering_id):
        if url.startswith("/orders/manage/"):
            assert getattr(client, method)(url).status_code == 403, url


def test_staff_need_the_second_factor(client, order, wx_center):
    client.force_login(wx_center)
    response = client.get("/orders/manage/")
    assert response.status_code == 302
    assert "/workbench/2fa/" in response["Location"] or "2fa" in response["Location"]
    assert client.get(f"/orders/manage/{order.number}/").status_code == 302


def test_staff_of_another_region_change_nothing(client, otp_login, order, lz_center):
    otp_login(lz_center)
    for method, url in _urls(order.number, order.offering_id):
        if url.startswith("/orders/manage/") and method == "post":
            assert client.post(url, {"reason": "x", "body": "x"}).status_code in (403, 404), url
    order.refresh_from_db()
    assert (order.status, order.escalated_at, order.proxy_station) == (S.SUBMITTED, None, None)
    assert not order.messages.exists()


def test_the_institution_page_of_an_order_offers_accept_and_decline(client, order, lab_member):
    client.force_login(lab_member)
    body = html(client.get(f"/orders/institution/{order.number}/"))
    assert 'id="action-accept"' in body
    assert 'id="action-decline"' in body
    assert 'id="action-cancel"' not in body  # the institution declines instead
    assert order.description in body
    declined = client.post(
        f"/orders/institution/{order.number}/act/decline/", {"decline-note": "本月检定计划已满"}
    )
    assert declined.status_code == 302
    assert Order.objects.get(pk=order.pk).status == S.DECLINED


@pytest.mark.clause("HM 4.3.3.2")
def test_the_escalation_reason_stays_with_staff(
    client, otp_login, order, customer, jy_station_staff, wx_center
):
    services.order_escalate(
        actor=jy_station_staff, order=order, reason="内部协调意见：机构报价偏高"
    )
    client.force_login(customer)
    body = html(client.get(f"/orders/{order.number}/"))
    assert ("", "escalated") in timeline(body)
    assert "内部协调意见" not in body
    otp_login(wx_center)
    staff_body = html(client.get(f"/orders/manage/{order.number}/"))
    assert "内部协调意见" in staff_body
    assert 'id="escalation"' in staff_body

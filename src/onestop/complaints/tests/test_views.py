"""The complainant's pages and the workbench pages: authorisation, forms, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop.audit.models import AuditEvent
from onestop.complaints import services
from onestop.complaints.models import Complaint, ComplaintStatus, Target

S = ComplaintStatus


def _form(about, **overrides):
    data = {
        "target": Target.INSTITUTION,
        "institution": str(about.pk),
        "station": "",
        "order": "",
        "type": "quality",
        "content": "出具的校准证书数据有误，机构拒绝更正。",
        "request": "更正证书并说明原因。",
    }
    data.update(overrides)
    return data


# --- the complainant ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/complaints/new/",
        "/complaints/mine/",
        "/complaints/TS-2026-000001/",
        "/complaints/institution/",
    ],
)
def test_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_staff_pages_send_visitors_to_the_workbench_login(client):
    response = client.get(reverse("complaints:manage_queue"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("workbench:login"))


@pytest.mark.clause("WX 7.4.2")
def test_a_user_files_a_complaint_and_sees_it_with_its_number(client, customer, institution, order):
    client.force_login(customer)
    form = client.get(reverse("complaints:new") + f"?order={order.number}")
    assert form.status_code == 200
    assert f'value="{order.number}" selected' in form.content.decode()

    response = client.post(reverse("complaints:new"), _form(institution, order=order.number))

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == complaint.get_absolute_url()
    assert complaint.order == order
    page = client.get(response.url)
    assert page.status_code == 200
    assert complaint.number in page.content.decode()


def test_someone_elses_order_on_the_form_is_not_found(client, stranger, order, institution):
    client.force_login(stranger)
    assert client.get(reverse("complaints:new") + f"?order={order.number}").status_code == 404
    posted = client.post(reverse("complaints:new"), _form(institution, order=order.number))
    assert posted.status_code == 404
    assert Complaint.objects.count() == 0


@pytest.mark.clause("WX 7.4.2")
def test_an_institution_that_is_not_there_is_a_form_error_audited(client, customer, institution):
    client.force_login(customer)
    response = client.post(
        reverse("complaints:new"), _form(institution, institution=str(institution.pk + 500))
    )
    assert response.status_code == 400
    assert response.context["form"].errors["institution"]
    assert Complaint.objects.count() == 0
    assert AuditEvent.objects.filter(action="complaints.refused").count() == 1


@pytest.mark.clause("WX 7.4.2")
def test_a_3_mb_complaint_is_refused_and_nothing_is_stored(client, customer, institution):
    client.force_login(customer)
    response = client.post(
        reverse("complaints:new"), _form(institution, content="投" * (3 * 1024 * 1024))
    )
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_my_complaints_are_paged_in_a_fixed_number_of_queries(
    client, customer, file, django_assert_num_queries
):
    for _ in range(3):
        file()
    client.force_login(customer)
    client.get(reverse("complaints:mine"))  # the session starts its clocks once
    with django_assert_num_queries(5):
        response = client.get(reverse("complaints:mine"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3


def test_my_complaint_page_in_a_fixed_number_of_queries(
    client, customer, complaint, advance, django_assert_num_queries
):
    advance(complaint, "fed_back")
    client.force_login(customer)
    client.get(complaint.get_absolute_url())  # the session starts its clocks once
    with django_assert_num_queries(7):
        response = client.get(complaint.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="action-close"' in html
    assert "机构已补发证书并致歉。" in html  # the feedback
    # The institution's raw response and the center's conclusion stay internal.
    assert "设备故障" not in html
    assert "投诉属实，机构已整改。" not in html


def test_another_users_complaint_is_not_found(client, stranger, complaint):
    client.force_login(stranger)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    url = reverse("complaints:act", args=[complaint.number, "withdraw"])
    assert client.post(url, {"withdraw-note": ""}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == S.RECEIVED


@pytest.mark.clause("HM 5.6")
def test_the_complainant_closes_with_satisfaction_and_reopens(client, customer, complaint, advance):
    advance(complaint, "fed_back")
    client.force_login(customer)
    close = reverse("complaints:act", args=[complaint.number, "close"])
    missing = client.post(close, {"close-note": ""})
    assert missing.status_code == 400
    done = client.post(close, {"close-satisfaction": "satisfied", "close-note": "谢谢"})
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.satisfaction) == (S.CLOSED, "satisfied")
    reopen = reverse("complaints:act", args=[complaint.number, "reopen"])
    assert client.post(reopen, {"reopen-note": "证书仍有错误"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == S.INVESTIGATING


def test_a_move_no_longer_possible_says_why(client, customer, complaint, advance):
    advance(complaint, "forwarded")
    client.force_login(customer)
    response = client.post(
        reverse("complaints:act", args=[complaint.number, "withdraw"]), {"withdraw-note": ""}
    )
    assert response.status_code == 409
    assert response.context["orphan_errors"]


# --- the workbench -------------------------------------------------------------------------


def test_the_queue_is_region_scoped_paged_and_shows_the_clock(
    client, otp_login, wx_center, lz_center, file, django_assert_num_queries
):
    complaints = [file() for _ in range(3)]
    otp_login(wx_center)
    client.get(reverse("complaints:manage_queue"))  # the session starts its clocks once
    with django_assert_num_queries(7):
        response = client.get(reverse("complaints:manage_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(c.number in html for c in complaints)
    assert "2026-11-28 00:00" in html  # the investigation due time
    # The Liuzhou center sees none of Jiangyin's.
    otp_login(lz_center)
    response = client.get(reverse("complaints:manage_queue"))
    assert response.context["page"].paginator.count == 0


def test_the_queue_filters_by_status(client, otp_login, wx_center, file, advance):
    open_one, closed_one = file(), file()
    advance(closed_one, "closed")
    otp_login(wx_center)
    default = client.get(reverse("complaints:manage_queue"))
    assert [c.number for c in default.context["page"]] == [open_one.number]
    closed = client.get(reverse("complaints:manage_queue") + "?status=closed")
    assert [c.number for c in closed.context["page"]] == [closed_one.number]
    everything = client.get(reverse("complaints:manage_queue") + "?status=all")
    assert everything.context["page"].paginator.count == 2


def test_the_staff_page_in_a_fixed_number_of_queries_with_the_complainant(
    client, otp_login, wx_center, complaint, customer, django_assert_num_queries
):
    otp_login(wx_center)
    client.get(complaint.staff_url)  # the session starts its clocks once
    with django_assert_num_queries(9):
        response = client.get(complaint.staff_url)
    assert response.status_code == 200
    html = response.content.decode()
    # Never anonymous to the center.
    assert customer.display_name in html
    assert 'id="action-acknowledge"' in html
    assert 'id="action-not_accept"' in html


def test_the_center_of_another_region_gets_not_found(client, otp_login, lz_center, complaint):
    otp_login(lz_center)
    assert client.get(complaint.staff_url).status_code == 404
    url = reverse("complaints:manage_act", args=[complaint.number, "acknowledge"])
    assert client.post(url, {"acknowledge-note": ""}).status_code == 404


def test_station_staff_see_their_stations_complaints_only(
    client, otp_login, scoped_station_staff, station, other_station, institution, wx_center
):
    values = {
        "channel": "station",
        "complainant_name": "顾先生",
        "complainant_phone": "13900000051",
        "target": Target.INSTITUTION,
        "institution_id": institution.pk,
        "complaint_type": "other",
        "content": "内容",
        "request": "诉求",
    }
    ours = services.complaint_register(
        actor=scoped_station_staff, received_at_station=station, **values
    )
    theirs = services.complaint_register(
        actor=wx_center, received_at_station=other_station, **values
    )
    otp_login(scoped_station_staff)
    page = client.get(ours.staff_url)
    assert page.status_code == 200
    assert 'id="actions"' not in page.content.decode()  # they register; the center handles
    assert client.get(theirs.staff_url).status_code == 404
    queue = client.get(reverse("complaints:manage_queue"))
    assert [c.number for c in queue.context["page"]] == [ours.number]
    act = reverse("complaints:manage_act", args=[ours.number, "acknowledge"])
    assert client.post(act, {"acknowledge-note": ""}).status_code == 403


def test_the_phone_is_masked_without_personal_data_permission(
    client, otp_login, jy_station_staff, station, with_mobile, institution
):
    complaint = services.complaint_register(
        actor=jy_station_staff,
        channel="station",
        received_at_station=station,
        complainant=with_mobile,
        target=Target.INSTITUTION,
        institution_id=institution.pk,
        complaint_type="other",
        content="内容",
        request="诉求",
    )
    otp_login(jy_station_staff)
    html = client.get(complaint.staff_url).content.decode()
    assert "139****5678" in html
    assert "13912345678" not in html


@pytest.mark.clause("WX 7.4.3")
def test_the_center_forwards_and_concludes_from_the_page(
    client, otp_login, wx_center, complaint, advance
):
    otp_login(wx_center)
    base = complaint.number
    assert (
        client.post(reverse("complaints:manage_act", args=[base, "acknowledge"]), {}).status_code
        == 302
    )
    forward = client.post(
        reverse("complaints:manage_act", args=[base, "forward"]), {"forward-note": "请核实"}
    )
    assert forward.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == S.FORWARDED
    # Forwarding again is not in the table: the page says so.
    refused = client.post(
        reverse("complaints:manage_act", args=[base, "forward"]), {"forward-note": "再次"}
    )
    assert refused.status_code == 409
    # An institution that does not answer cannot hold the complaint up.
    concluded = client.post(
        reverse("complaints:manage_act", args=[base, "conclude"]),
        {"conclude-note": "机构逾期未答复，经调查投诉属实。", "conclude-upheld": "yes"},
    )
    assert concluded.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == S.CONCLUDED
    assert complaint.upheld is True


def test_a_conclusion_without_a_decision_is_a_form_error(
    client, otp_login, wx_center, complaint, advance
):
    advance(complaint, "investigating")
    otp_login(wx_center)
    response = client.post(
        reverse("complaints:manage_act", args=[complaint.number, "conclude"]),
        {"conclude-note": "结论"},
    )
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.status == S.INVESTIGATING


@pytest.mark.clause("WX 7.4.2")
def test_staff_register_a_phone_complaint_on_the_page(
    client, otp_login, jy_station_staff, station, with_mobile, institution
):
    otp_login(jy_station_staff)
    assert client.get(reverse("complaints:manage_register")).status_code == 200
    response = client.post(
        reverse("complaints:manage_register"),
        {
            **_form(institution),
            "channel": "station",
            "received_at_station": str(station.pk),
            "complainant_mobile": "139 1234 5678",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == complaint.staff_url
    assert complaint.complainant == with_mobile
    assert complaint.registered_by == jy_station_staff


def test_an_unknown_mobile_number_is_a_form_error(
    client, otp_login, jy_station_staff, station, institution
):
    otp_login(jy_station_staff)
    response = client.post(
        reverse("complaints:manage_register"),
        {**_form(institution), "channel": "phone", "complainant_mobile": "13700000000"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["complainant_mobile"]


def test_station_staff_cannot_pick_another_station(
    client, otp_login, scoped_station_staff, other_station, institution
):
    otp_login(scoped_station_staff)
    response = client.post(
        reverse("complaints:manage_register"),
        {
            **_form(institution),
            "channel": "station",
            "received_at_station": str(other_station.pk),
            "complainant_name": "顾先生",
            "complainant_phone": "13900000051",
        },
    )
    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_users_without_complaint_permissions_get_403(client, otp_login, wx_authority):
    otp_login(wx_authority)
    assert client.get(reverse("complaints:manage_queue")).status_code == 403

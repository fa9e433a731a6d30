import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from onestop.audit.models import AuditEvent
from onestop.audit.services import audit_record
from onestop.core.models import CalendarDay, CalendarYear


def totp_code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


STAFF_ROLES = ["institution_staff", "expert", "station_staff", "center_staff", "authority"]


def test_anonymous_users_are_sent_to_the_workbench_login(client, db):
    response = client.get("/workbench/audit/")

    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/login/?next=")


@pytest.mark.clause("WX 4.1.2d")
@pytest.mark.parametrize("role", ["enterprise", "individual"])
def test_public_users_cannot_log_in_to_the_workbench(client, make_user, regions, role):
    make_user(role, "450202", username="pub", password="pw-for-tests-1")

    response = client.post("/workbench/login/", {"username": "pub", "password": "pw-for-tests-1"})

    assert response.status_code == 200
    assert "该账号没有工作台权限" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_log_in_to_the_workbench(client, make_user, regions, role):
    staff = make_user(role, "450200", username="staff", password="pw-for-tests-1")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)

    response = client.post("/workbench/login/", {"username": "staff", "password": "pw-for-tests-1"})
    verified = client.post("/workbench/2fa/verify/", {"code": totp_code(device)})

    assert response.status_code == 302
    assert response["Location"] == "/workbench/2fa/verify/"
    assert verified.status_code == 302
    assert verified["Location"] == "/workbench/"
    assert client.get("/workbench/").status_code == 200


@pytest.mark.clause("WX 4.1.2d")
@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("enterprise", "/workbench/", 403),
        ("station_staff", "/workbench/audit/", 403),
        ("station_staff", "/workbench/sla/", 200),
        ("expert", "/workbench/sla/", 403),
        ("center_staff", "/workbench/audit/", 200),
        ("center_staff", "/workbench/calendar/", 403),
        ("authority", "/workbench/audit/", 200),
        ("sysadmin", "/workbench/calendar/", 200),
    ],
)
def test_each_page_checks_its_permission(client, otp_login, make_user, regions, role, url, status):
    otp_login(make_user(role, None if role == "sysadmin" else "450200"))

    response = client.get(url)

    assert response.status_code == status
    if status == 403:
        assert "无权" in response.content.decode()


def test_forged_role_parameters_change_nothing(client, otp_login, make_user, regions):
    otp_login(make_user("station_staff", "450202"))

    response = client.get("/workbench/audit/?role=sysadmin&as=sysadmin")
    posted = client.post(
        "/workbench/calendar/days/",
        {"date": "2027-01-01", "is_workday": "0", "name": "元旦", "role": "sysadmin"},
    )

    assert response.status_code == 403
    assert posted.status_code == 403
    assert not CalendarDay.objects.exists()


def test_django_admin_is_for_system_administrators_only(client, otp_login, make_user, regions):
    otp_login(make_user("center_staff", "450200", is_staff=True))

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_audit_page_shows_only_the_readers_regions(
    client, otp_login, make_user, regions, django_assert_max_num_queries
):
    for n in range(30):
        audit_record(action="demo.lz", region=regions["450202"], changes={"n": n})
    audit_record(action="demo.wx", region=regions["320281"])
    otp_login(make_user("center_staff", "450200"))

    with django_assert_max_num_queries(8):
        response = client.get("/workbench/audit/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "demo.lz" in body
    assert "demo.wx" not in body


def test_audit_page_query_count_does_not_grow_with_rows(
    client, otp_login, make_user, regions, django_assert_num_queries
):
    reader = make_user("sysadmin")
    otp_login(reader)
    client.get("/workbench/audit/")  # warm the session
    audit_record(action="demo.a", region=regions["450202"])
    # One more query than before two-factor: OTPMiddleware loads the session's device.
    with django_assert_num_queries(7) as first:
        client.get("/workbench/audit/")
    for _ in range(40):
        audit_record(action="demo.b", region=regions["450202"])

    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/workbench/audit/")


@pytest.mark.parametrize(
    "query",
    [
        "date_from=2026-13-01",
        "date_from=yesterday",
        "region=999999",
        "date_from=2026-05-02&date_to=2026-05-01",
    ],
)
def test_audit_filter_rejects_bad_input_with_a_clear_error(
    client, otp_login, make_user, regions, query
):
    otp_login(make_user("sysadmin"))

    response = client.get(f"/workbench/audit/?{query}")

    assert response.status_code == 400
    assert "请修改以下内容" in response.content.decode()


def test_audit_filter_by_action_and_date(client, otp_login, make_user, regions):
    with time_machine.travel(dt.datetime(2026, 10, 8, 9, tzinfo=dt.UTC)):
        audit_record(action="calendar.day_set", region=regions["450202"])
    audit_record(action="accounts.role_grant", region=regions["450202"])
    otp_login(make_user("sysadmin"))

    body = client.get(
        "/workbench/audit/?action=calendar&date_from=2026-10-08&date_to=2026-10-08"
    ).content.decode()

    assert "calendar.day_set" in body
    assert "accounts.role_grant" not in body


def test_admin_enters_2027_through_the_workbench(client, otp_login, make_user, regions):
    otp_login(make_user("sysadmin"))

    client.post(
        "/workbench/calendar/days/", {"date": "2027-01-01", "is_workday": "0", "name": "元旦"}
    )
    declared = client.post(
        "/workbench/calendar/years/", {"year": "2027", "source": "国办发明电〔2026〕X号"}
    )

    assert declared.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    assert AuditEvent.objects.filter(action="calendar.year_declare").exists()
    page = client.get("/workbench/calendar/?year=2027").content.decode()
    assert "2027-01-01" in page
    assert "元旦" in page
    assert "由管理员录入" in page


@pytest.mark.parametrize("year", ["abc", "1800", "-1", ""])
def test_calendar_page_falls_back_to_next_year_on_a_bad_year(
    client, otp_login, make_user, regions, year
):
    otp_login(make_user("sysadmin"))

    response = client.get(f"/workbench/calendar/?year={year}")

    assert response.status_code == 200
    assert f'value="{timezone.localdate().year + 1}"' in response.content.decode()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/workbench/calendar/days/", {"date": "2027-02-30", "is_workday": "0"}),
        ("/workbench/calendar/days/", {"date": "1899-01-01", "is_workday": "0"}),
        ("/workbench/calendar/days/", {"date": "2027-01-01", "is_workday": "maybe"}),
        ("/workbench/calendar/years/", {"year": "2026"}),
        ("/workbench/calendar/years/", {"year": "2028"}),
        ("/workbench/calendar/years/", {"year": "twenty"}),
    ],
)
def test_calendar_forms_reject_bad_input(client, otp_login, make_user, regions, url, data):
    otp_login(make_user("sysadmin"))

    response = client.post(url, data)

    assert response.status_code == 400
    assert "请修改以下内容" in response.content.decode()
    assert not CalendarYear.objects.exists()


@time_machine.travel(dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC))
def test_dashboard_warns_from_november_that_next_year_is_missing(
    client, otp_login, make_user, regions
):
    otp_login(make_user("center_staff", "450200"))

    body = client.get("/workbench/").content.decode()

    assert "2027年的节假日安排尚未录入工作日历" in body


@time_machine.travel(dt.datetime(2026, 10, 21, 10, tzinfo=dt.UTC))
def test_dashboard_does_not_warn_before_november(client, otp_login, make_user, regions):
    otp_login(make_user("center_staff", "450200"))

    assert "尚未录入工作日历" not in client.get("/workbench/").content.decode()


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("center_staff", ["/workbench/audit/", "/workbench/sla/"], ["/workbench/calendar/"]),
        ("station_staff", ["/workbench/sla/"], ["/workbench/audit/", "/workbench/calendar/"]),
        ("expert", [], ["/workbench/sla/", "/workbench/audit/", "/workbench/calendar/"]),
        ("sysadmin", ["/workbench/audit/", "/workbench/calendar/"], []),
    ],
)
def test_navigation_offers_only_what_the_user_may_open(
    client, otp_login, make_user, regions, role, shown, hidden
):
    otp_login(make_user(role, None if role == "sysadmin" else "450200"))

    body = client.get("/workbench/").content.decode()

    for url in shown:
        assert f'href="{url}"' in body
    for url in hidden:
        assert f'href="{url}"' not in body


def test_audit_log_names_actions_in_chinese(client, otp_login, make_user, regions):
    otp_login(make_user("sysadmin"))
    audit_record(action="auth.login_failed", actor_label="someone")

    body = client.get("/workbench/audit/").content.decode()

    assert "登录失败" in body


def test_deadline_page_query_count_does_not_grow_with_clocks(
    client, otp_login, make_user, regions, django_assert_num_queries
):
    from onestop.core.services import sla_clock_start

    otp_login(make_user("center_staff", "450200"))
    started = dt.datetime(2026, 9, 1, 9, tzinfo=dt.UTC)  # long overdue by now

    def start_clocks(codes):
        for code in codes:
            sla_clock_start(
                subject=regions[code],
                kind="test_obligation",
                working_days=1,
                started_at=started,
                region=regions[code],
            )

    start_clocks(["450202"])
    client.get("/workbench/sla/")
    with django_assert_num_queries(7) as few:  # 6 + the OTP device (OTPMiddleware)
        response = client.get("/workbench/sla/")
    assert response.content.decode().count("test_obligation") == 1
    start_clocks(["450203", "450204", "450205", "450206", "450222"])

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/workbench/sla/")

    assert response.content.decode().count("test_obligation") == 6


def test_django_admin_needs_the_second_factor_too(client, make_user, regions, otp_login):
    admin = make_user("sysadmin", None, is_superuser=True, is_staff=True)
    client.force_login(admin)

    assert client.get("/admin/").status_code == 302
    otp_login(admin)
    assert client.get("/admin/").status_code == 200


def test_the_overview_lists_the_queues_the_user_may_work(
    client, otp_login, make_user, regions, django_assert_max_num_queries
):
    center = make_user("center_staff", "450200")
    otp_login(center)
    with django_assert_max_num_queries(24):
        page = client.get("/workbench/").content.decode()
    assert 'id="queues"' in page
    for link in (
        "/demands/manage/?status=published",
        "/demands/manage/escalations/",
        "/orders/manage/?status=submitted",
        "/fieldwork/manage/tasks/?view=overdue",
        "/complaints/manage/?status=received",
        "/evaluations/manage/cases/?status=open",
        "/evaluations/manage/appeals/?status=pending",
        "/supervision/actions/?overdue=on",
    ):
        assert link in page


def test_each_role_sees_only_the_queues_it_may_work(client, otp_login, make_user, regions):
    # The authority oversees orders but handles no demands and no fieldwork.
    otp_login(make_user("authority", "320200"))
    page = client.get("/workbench/").content.decode()
    assert "/orders/manage/?status=submitted" in page
    assert "/demands/manage/?status=published" not in page
    assert "/fieldwork/manage/tasks/?view=overdue" not in page
    assert "/complaints/manage/?status=received" not in page
    assert "/supervision/actions/?overdue=on" in page

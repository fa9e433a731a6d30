import pytest

from onestop.experts.models import Expert
from onestop.transfer.kinds import IMPORTERS
from onestop.transfer.kinds import experts as ex
from onestop.transfer.models import ImportJob, JobStatus
from onestop.transfer.tests.conftest import read_xlsx, row_of, upload_of, xlsx_bytes

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def experts_file(*rows):
    return xlsx_bytes(IMPORTERS["expert"].columns, rows)


def expert_row(**values):
    base = {
        ex.NAME: "张伟",
        ex.TITLE: "正高级工程师",
        ex.ORGANISATION: "柳州市计量技术测试研究所",
        ex.REGION: "450200",
        ex.FIELDS: "metrology-verification",
        ex.SPECIALTIES: "压力计量",
        ex.PHONE: "13800000000",
    }
    base.update(values)
    return row_of("expert", **base)


@pytest.fixture
def failed_job(lz_staff, run_import):
    return run_import(lz_staff, "expert", experts_file(expert_row(**{ex.REGION: "nowhere"})))


def _urls(job):
    return [
        ("get", "/transfer/"),
        ("post", "/transfer/expert/upload/"),
        ("get", f"/transfer/jobs/{job.pk}/"),
        ("get", f"/transfer/jobs/{job.pk}/status.json"),
        ("get", "/transfer/expert/export.xlsx"),
        ("get", "/transfer/expert/template.xlsx"),
        ("get", f"/transfer/jobs/{job.pk}/report.xlsx"),
    ]


def _upload_data():
    return {"expert-file": upload_of(experts_file(expert_row()))}


def _call(client, method, url):
    if method == "post":
        return client.post(url, _upload_data())
    return client.get(url)


# --- who may use it -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_workbench_login(client, failed_job):
    for method, url in _urls(failed_job):
        response = _call(client, method, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/workbench/login/"), url


def test_enterprise_users_are_refused(client, make_user, failed_job):
    client.force_login(make_user("enterprise", "450200", kind="enterprise"))
    for method, url in _urls(failed_job):
        assert _call(client, method, url).status_code == 403, url


@pytest.mark.parametrize("role", ["station_staff", "authority", "expert"])
def test_staff_without_the_import_permission_are_refused(
    client, otp_login, make_user, failed_job, role
):
    otp_login(make_user(role, "450200", kind="staff"))
    for method, url in _urls(failed_job):
        assert _call(client, method, url).status_code == 403, url
    assert ImportJob.objects.count() == 1


def test_staff_without_a_verified_second_factor_go_to_the_2fa_page(client, make_user, failed_job):
    client.force_login(make_user("center_staff", "450200", kind="staff"))
    for method, url in _urls(failed_job):
        response = _call(client, method, url)
        assert response.status_code == 302, url
        assert "/workbench/2fa/" in response["Location"], url
    assert ImportJob.objects.count() == 1


def test_staff_of_another_region_cannot_see_someone_elses_job(
    client, otp_login, wx_staff, failed_job
):
    otp_login(wx_staff)
    for url in (
        f"/transfer/jobs/{failed_job.pk}/",
        f"/transfer/jobs/{failed_job.pk}/status.json",
        f"/transfer/jobs/{failed_job.pk}/report.xlsx",
    ):
        assert client.get(url).status_code == 404, url


def test_a_colleague_in_the_same_center_cannot_see_the_job_either(
    client, otp_login, make_user, failed_job
):
    otp_login(make_user("center_staff", "450200", kind="staff"))
    assert client.get(f"/transfer/jobs/{failed_job.pk}/").status_code == 404


def test_unknown_lists_and_wrong_methods(client, otp_login, lz_staff):
    otp_login(lz_staff)
    assert client.get("/transfer/hospitals/export.xlsx").status_code == 404
    assert client.get("/transfer/hospitals/template.xlsx").status_code == 404
    assert client.post("/transfer/hospitals/upload/", {}).status_code == 404
    assert client.get("/transfer/expert/upload/").status_code == 405
    assert client.post("/transfer/expert/export.xlsx").status_code == 405


# --- pages ---------------------------------------------------------------------------------


def test_index_lists_the_four_lists_and_recent_jobs(
    client, otp_login, lz_staff, failed_job, django_assert_num_queries
):
    otp_login(lz_staff)
    client.get("/transfer/")  # the session settles on the first request

    with django_assert_num_queries(6):
        response = client.get("/transfer/")

    body = response.content.decode()
    assert response.status_code == 200
    for kind in IMPORTERS:
        assert f'id="upload-{kind}"' in body
        assert f'href="/transfer/{kind}/template.xlsx"' in body
        assert f'href="/transfer/{kind}/export.xlsx"' in body
    assert f'href="/transfer/jobs/{failed_job.pk}/"' in body


@pytest.mark.clause("LZ 4.1")
def test_upload_queues_the_job_and_the_page_shows_the_result(
    client, otp_login, lz_staff, django_capture_on_commit_callbacks
):
    otp_login(lz_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/transfer/expert/upload/", _upload_data())

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/transfer/jobs/{job.pk}/"
    assert job.created_by == lz_staff
    assert job.original_name == "名录.xlsx"
    assert job.scope == {
        "everywhere": False,
        "paths": [lz_staff.role_assignments.get().region.path],
    }
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-result"' in page
    assert 'http-equiv="refresh"' not in page
    assert Expert.objects.get().name == "张伟"
    status = client.get(f"/transfer/jobs/{job.pk}/status.json").json()
    assert status["status"] == "done"
    assert status["running"] is False
    assert status["imported_rows"] == status["total_rows"] == status["processed_rows"] == 1


def test_upload_of_a_non_workbook_is_shown_on_the_form(client, otp_login, lz_staff):
    otp_login(lz_staff)

    response = client.post(
        "/transfer/expert/upload/", {"expert-file": upload_of(b"%PDF-1.4 nope", "list.xlsx")}
    )

    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_without_a_file_is_shown_on_the_form(client, otp_login, lz_staff):
    otp_login(lz_staff)
    response = client.post("/transfer/expert/upload/", {})
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_a_running_job_refreshes_and_shows_its_progress(
    client, otp_login, lz_staff, django_assert_num_queries
):
    job = ImportJob.objects.create(
        kind="expert",
        created_by=lz_staff,
        status=JobStatus.VALIDATING,
        total_rows=1000,
        processed_rows=400,
    )
    otp_login(lz_staff)
    client.get("/transfer/")  # the session settles on the first request

    with django_assert_num_queries(6):
        body = client.get(f"/transfer/jobs/{job.pk}/").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in body
    assert '<progress id="job-progress" max="1000" value="400">' in body
    status = client.get(f"/transfer/jobs/{job.pk}/status.json").json()
    assert (status["running"], status["processed_rows"], status["total_rows"]) == (True, 400, 1000)

    calm = client.get(f"/transfer/jobs/{job.pk}/?refresh=off").content.decode()
    assert 'http-equiv="refresh"' not in calm
    assert 'id="refresh-now"' in calm

    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.IMPORTING, processed_rows=1000)
    body = client.get(f"/transfer/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in body
    assert '<progress id="job-progress">' in body


@pytest.mark.clause("LZ 4.1")
def test_a_failed_job_shows_the_row_report_paginated_and_as_a_workbook(
    client, otp_login, lz_staff, run_import, django_assert_num_queries
):
    rows = [expert_row(**{ex.REGION: "nowhere"}) for _ in range(150)]
    job = run_import(lz_staff, "expert", experts_file(*rows))
    otp_login(lz_staff)
    client.get("/transfer/")  # the session settles on the first request

    with django_assert_num_queries(6):
        first = client.get(f"/transfer/jobs/{job.pk}/").content.decode()
    second = client.get(f"/transfer/jobs/{job.pk}/?page=2").content.decode()

    assert first.count('<th scope="row">') == 100
    assert second.count('<th scope="row">') == 50
    assert '<th scope="row">2</th>' in first
    assert '<th scope="row">151</th>' in second
    assert 'http-equiv="refresh"' not in first
    response = client.get(f"/transfer/jobs/{job.pk}/report.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    report = read_xlsx(b"".join(response.streaming_content))
    assert len(report) == 151
    assert report[1][:2] == [2, ex.REGION]


def test_a_successful_job_has_no_report(client, otp_login, lz_staff, run_import):
    job = run_import(lz_staff, "expert", experts_file(expert_row()))
    otp_login(lz_staff)
    assert client.get(f"/transfer/jobs/{job.pk}/report.xlsx").status_code == 404


@pytest.mark.clause("LZ 4.1")
def test_export_and_template_downloads(client, otp_login, lz_staff, run_import):
    run_import(lz_staff, "expert", experts_file(expert_row()))
    otp_login(lz_staff)

    export = client.get("/transfer/expert/export.xlsx")
    template = client.get("/transfer/expert/template.xlsx")

    assert export.status_code == template.status_code == 200
    assert export["Content-Type"] == XLSX
    assert "attachment" in export["Content-Disposition"]
    assert export["Cache-Control"] == "no-store"
    exported = read_xlsx(b"".join(export.streaming_content))
    assert exported[0] == list(IMPORTERS["expert"].columns)
    assert exported[1][0] == "张伟"
    filled = read_xlsx(b"".join(template.streaming_content))
    assert filled[0] == list(IMPORTERS["expert"].columns)
    assert len(filled) == 2

import pytest

from onestop.verification import services
from onestop.verification.models import Application, ApplicationStatus, RejectReason
from onestop.verification.tests.conftest import VALID_ID, png


def test_pages_need_login(client, db):
    for url in ["/verification/", "/verification/individual/", "/verification/enterprise/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.clause("WX 7.1.1.3")
def test_individual_submits_through_the_form(client, individual):
    client.force_login(individual)

    response = client.post(
        "/verification/individual/", {"real_name": "赵明", "id_number": VALID_ID, "id_card": png()}
    )

    assert response.status_code == 302
    assert Application.objects.get().applicant == individual


@pytest.mark.parametrize(
    "data",
    [
        {"real_name": "赵明", "id_number": "110105194912310021"},
        {"real_name": "赵明", "id_number": VALID_ID, "id_card": None},
        {"real_name": "", "id_number": VALID_ID},
    ],
)
def test_bad_submissions_show_errors_and_store_nothing(client, individual, data):
    client.force_login(individual)
    payload = {"id_card": png(), **data}
    payload = {k: v for k, v in payload.items() if v is not None}

    response = client.post("/verification/individual/", payload)

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.clause("WX 7.1.1.5")
def test_applicant_sees_the_reasons_and_can_resubmit(client, individual, reviewer):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )
    services.application_reject(
        reviewer=reviewer,
        application=application,
        reasons=[RejectReason.SCAN_UNREADABLE],
        note="请补充背面",
    )
    client.force_login(individual)

    status_page = client.get("/verification/").content.decode()
    form_page = client.get("/verification/individual/").content.decode()
    # The ID number is left blank: the one on file is kept.
    resubmitted = client.post("/verification/individual/", {"real_name": "赵明", "id_number": ""})

    assert "请补充背面" in status_page
    assert "请补充背面" in form_page
    assert 'value="赵明"' in form_page
    assert VALID_ID not in form_page  # never sent back in clear
    assert "1101**********002X" in form_page
    assert resubmitted.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.revisions.count() == 2


def test_status_page_lists_only_my_applications(
    client, individual, make_user, regions, django_assert_max_num_queries
):
    other = make_user("individual", "450202", kind="individual")
    theirs = services.application_submit_individual(
        user=other, real_name="钱多", id_number=VALID_ID, id_card=png()
    )
    client.force_login(individual)

    with django_assert_max_num_queries(10):
        body = client.get("/verification/").content.decode()

    assert f'id="application-{theirs.pk}"' not in body
    assert "application-" not in body


@pytest.mark.clause("WX 7.1.1.5")
def test_queue_shows_the_regions_applications_with_deadlines(
    client, individual, reviewer, reviewer_wx, otp_login, make_user, django_assert_max_num_queries
):
    for n in range(4):
        person = make_user("individual", "450203", kind="individual")
        from stdnum.cn import ric

        base = f"45020319900101{n:03d}"
        services.application_submit_individual(
            user=person,
            real_name=f"测试{n}号",
            id_number=base + ric.calc_check_digit(base + "0"),
            id_card=png(),
        )
    otp_login(reviewer)

    with django_assert_max_num_queries(12):
        body = client.get("/verification/review/").content.decode()

    assert body.count("/verification/review/") >= 4
    otp_login(reviewer_wx)
    assert "/verification/review/1/" not in client.get("/verification/review/").content.decode()


def test_queue_query_count_does_not_grow(
    client, reviewer, otp_login, make_user, django_assert_num_queries
):
    from stdnum.cn import ric

    def submit(n):
        person = make_user("individual", "450203", kind="individual")
        base = f"45020319900101{n:03d}"
        services.application_submit_individual(
            user=person,
            real_name=f"测试{n}号",
            id_number=base + ric.calc_check_digit(base + "0"),
            id_card=png(),
        )

    submit(0)
    otp_login(reviewer)
    client.get("/verification/review/")
    # session, user, OTP device, role assignments, content type, queue
    with django_assert_num_queries(6) as first:
        client.get("/verification/review/")
    for n in range(1, 6):
        submit(n)

    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/verification/review/")


@pytest.mark.clause("WX 4.1.2d")
@pytest.mark.parametrize("role", ["station_staff", "authority", "expert"])
def test_staff_without_review_rights_get_403(client, make_user, regions, otp_login, role):
    otp_login(make_user(role, "450200"))

    assert client.get("/verification/review/").status_code == 403


def test_the_review_page_shows_unmasked_data_to_the_reviewer_and_decides(
    client, individual, reviewer, otp_login
):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )
    otp_login(reviewer)

    page = client.get(f"/verification/review/{application.pk}/").content.decode()
    bad = client.post(f"/verification/review/{application.pk}/reject/", {"note": "x"})
    good = client.post(
        f"/verification/review/{application.pk}/reject/",
        {"reasons": [RejectReason.DOCUMENT_MISSING], "note": "缺少背面"},
    )

    assert VALID_ID in page
    assert "赵明" in page
    assert bad.status_code == 400
    assert good.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


@pytest.mark.clause("HM 6.3")
def test_reviewers_of_other_regions_and_applicants_cannot_open_or_decide(
    client, individual, reviewer_wx, otp_login, make_user
):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )
    otp_login(reviewer_wx)

    assert client.get(f"/verification/review/{application.pk}/").status_code == 404
    assert client.post(f"/verification/review/{application.pk}/approve/").status_code == 404
    client.force_login(individual)
    assert client.get(f"/verification/review/{application.pk}/").status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_bad_upload_is_reported_next_to_its_own_field(client, enterprise_user, regions):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onestop.verification.tests.conftest import VALID_USCC

    client.force_login(enterprise_user)
    fake = SimpleUploadedFile(
        "licence.png", b"just some text, not an image", content_type="image/png"
    )

    response = client.post(
        "/verification/enterprise/",
        {
            "name": "江阴示范精密机械有限公司",
            "uscc": VALID_USCC,
            "legal_representative": "周磊",
            "address": "江阴市示范路1号",
            "region": regions["320281"].pk,
            "industry": "制造业",
            "licence": fake,
            "qualification": png(),
            "pledge": png(),
        },
    )

    body = response.content.decode()
    assert response.status_code == 400
    licence_field = body[body.index('id="id_licence"') :]
    assert "field-error" in licence_field[: licence_field.index("</div>")]
    assert not Application.objects.exists()

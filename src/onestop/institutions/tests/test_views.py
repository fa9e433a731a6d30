import datetime as dt

import pytest

from onestop.enterprises.models import Enterprise, EnterpriseStatus, MemberRole, Membership
from onestop.institutions import agreement, services
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    Offering,
    OfferingStatus,
    Qualification,
)
from onestop.institutions.tests.conftest import apply, offering_input, png, qualification, today

S = InstitutionStatus


def apply_form(**overrides):
    start = today() - dt.timedelta(days=100)
    end = today() + dt.timedelta(days=700)
    data = {
        "kind": "metrology",
        "name": "",
        "description": "压力、温度计量校准",
        "address": "江阴市澄江中路159号",
        "service_phone": "0510-86812345",
        "agreement_version": agreement.CURRENT.version,
        "agreement": "on",
        "q-TOTAL_FORMS": "3",
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "1",
        "q-MAX_NUM_FORMS": "10",
        "q-0-kind": "CMA",
        "q-0-number": "241012340567",
        "q-0-scope": "压力表校准",
        "q-0-issuer": "江苏省市场监督管理局",
        "q-0-valid_from": start.isoformat(),
        "q-0-valid_to": end.isoformat(),
    }
    for row in (1, 2):
        for field in ("kind", "number", "scope", "issuer", "valid_from", "valid_to"):
            data[f"q-{row}-{field}"] = ""
    data.update(overrides)
    return data


def offering_form(category, **overrides):
    data = {
        "category": category.pk,
        "service_item": "",
        "name": "压力表校准",
        "scope": "0-60MPa，JJG 52-2013",
        "qualification": "",
        "price_min": "80",
        "price_max": "150",
        "price_note": "",
        "turnaround_working_days": "5",
        "at_lab": "on",
    }
    data.update(overrides)
    return data


# --- the whole path ---------------------------------------------------------------------------


@pytest.mark.clause("WX 7.1.2")
def test_apply_review_approve_publish_and_see_it_in_public(
    client, otp_login, owner, enterprise, wx_staff, subcategory, station
):
    # the owner of a verified enterprise finds the application and its agreement
    client.force_login(owner)
    assert 'id="apply-link"' in client.get("/institutions/mine/").content.decode()
    form_page = client.get("/institutions/mine/apply/").content.decode()
    assert f'value="{agreement.CURRENT.version}"' in form_page
    assert str(agreement.CURRENT.clauses[0])[:10] in form_page or "<ol>" in form_page

    response = client.post("/institutions/mine/apply/", apply_form(**{"q-0-scan": png()}))
    assert response.status_code == 302
    assert response["Location"] == "/institutions/mine/"
    institution = Institution.objects.get()
    assert institution.status == S.PENDING
    assert institution.name == enterprise.name
    scan = institution.qualifications.get().scan
    # the public does not see an application
    client.logout()
    assert client.get(f"/institutions/{institution.pk}/").status_code == 404

    # the center reviews it within the deadline and approves
    otp_login(wx_staff)
    queue = client.get("/institutions/review/").content.decode()
    assert f'href="/institutions/review/{institution.pk}/"' in queue
    review = client.get(f"/institutions/review/{institution.pk}/").content.decode()
    assert scan.get_absolute_url() in review
    assert client.get(scan.get_absolute_url()).status_code == 200
    response = client.post(f"/institutions/review/{institution.pk}/approve/")
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.status == S.ACTIVE
    client.logout()

    # the owner publishes a service at a station
    client.force_login(owner)
    cma = institution.qualifications.get()
    assert client.get("/institutions/mine/offerings/new/").status_code == 200
    response = client.post(
        "/institutions/mine/offerings/new/",
        offering_form(subcategory, qualification=cma.pk, stations=[station.pk], online="on"),
    )
    assert response.status_code == 302
    offering = Offering.objects.get()
    client.logout()

    # and anyone can find it
    listing = client.get("/institutions/").content.decode()
    assert f'href="/institutions/{institution.pk}/"' in listing
    detail = client.get(f"/institutions/{institution.pk}/").content.decode()
    assert f'href="/institutions/offerings/{offering.pk}/"' in detail
    assert cma.number in detail
    assert 'id="notices-caption"' in detail
    page = client.get(f"/institutions/offerings/{offering.pk}/").content.decode()
    assert f'href="/institutions/{institution.pk}/"' in page
    assert f'href="/stations/{station.pk}/"' in page
    assert 'id="ordering-info"' in page
    assert "80–150" in page


def test_an_application_with_a_bad_certificate_shows_the_error_beside_it(client, owner):
    client.force_login(owner)
    response = client.post(
        "/institutions/mine/apply/",
        apply_form(**{"q-0-valid_from": "2026-06-01", "q-0-valid_to": "2026-05-01"}),
    )

    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["valid_to"]
    assert not Institution.objects.exists()


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_beside_its_certificate(client, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(owner)
    fake = SimpleUploadedFile("cma.pdf", b"MZ not really a pdf", content_type="application/pdf")

    response = client.post("/institutions/mine/apply/", apply_form(**{"q-0-scan": fake}))

    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["scan"]
    assert not Institution.objects.exists()


def test_an_application_without_the_agreement_is_refused(client, owner):
    client.force_login(owner)
    data = apply_form()
    del data["agreement"]

    response = client.post("/institutions/mine/apply/", data)

    assert response.status_code == 400
    assert response.context["form"].errors["agreement"]
    assert not Institution.objects.exists()


def test_an_application_without_any_certificate_is_refused(client, owner):
    client.force_login(owner)
    blank = {
        f"q-0-{f}": "" for f in ("kind", "number", "scope", "issuer", "valid_from", "valid_to")
    }

    response = client.post("/institutions/mine/apply/", apply_form(**blank))

    assert response.status_code == 400
    assert not Institution.objects.exists()


@pytest.mark.clause("WX 7.1.2")
def test_who_cannot_apply_gets_a_clear_refusal(client, owner, member, enterprise, pending):
    client.force_login(member)
    assert client.get("/institutions/mine/apply/").status_code == 403
    client.force_login(owner)
    assert client.get("/institutions/mine/apply/").status_code == 409  # already applied
    assert client.post("/institutions/mine/apply/", apply_form()).status_code == 409
    Institution.objects.all().delete()
    enterprise.status = EnterpriseStatus.PENDING
    enterprise.save()
    assert client.get("/institutions/mine/apply/").status_code == 409
    assert not Institution.objects.exists()


@pytest.mark.clause("WX 7.1.2")
def test_a_rejection_without_reason_is_refused_and_with_one_reaches_the_applicant(
    client, otp_login, owner, pending, wx_staff
):
    otp_login(wx_staff)
    response = client.post(f"/institutions/review/{pending.pk}/reject/", {"reason": ""})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.status == S.PENDING

    response = client.post(
        f"/institutions/review/{pending.pk}/reject/", {"reason": "CMA 证书附表缺页"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == S.REJECTED
    client.logout()

    client.force_login(owner)
    mine = client.get("/institutions/mine/").content.decode()
    assert "CMA 证书附表缺页" in mine
    assert 'href="/institutions/mine/apply/"' in mine
    form = client.get("/institutions/mine/apply/")
    assert form.status_code == 200
    assert "CMA 证书附表缺页" in form.content.decode()
    assert form.context["form"].initial["address"] == pending.address
    # the public never sees the rejected application
    client.logout()
    assert client.get(f"/institutions/{pending.pk}/").status_code == 404


@pytest.mark.clause("WX 7.1.2")
def test_suspension_is_announced_and_removes_the_offerings(
    client, otp_login, active, offering, wx_staff
):
    otp_login(wx_staff)
    refused = client.post(f"/institutions/review/{active.pk}/status/", {"action": "suspend"})
    assert refused.status_code == 400
    response = client.post(
        f"/institutions/review/{active.pk}/status/",
        {"action": "suspend", "reason": "检测报告抽查不合格，限期整改"},
    )
    assert response.status_code == 302
    client.logout()

    detail = client.get(f"/institutions/{active.pk}/").content.decode()
    assert "检测报告抽查不合格，限期整改" in detail
    assert 'id="status-notice"' in detail
    assert f"/institutions/offerings/{offering.pk}/" not in detail
    assert client.get(f"/institutions/offerings/{offering.pk}/").status_code == 404
    assert f"/institutions/{active.pk}/" not in client.get("/institutions/").content.decode()


def test_staff_reinstate_and_mark_an_exit(client, otp_login, active, wx_staff):
    otp_login(wx_staff)
    services.institution_suspend(actor=wx_staff, institution=active, reason="整改")

    assert (
        client.post(
            f"/institutions/review/{active.pk}/status/", {"action": "reinstate"}
        ).status_code
        == 302
    )
    active.refresh_from_db()
    assert active.status == S.ACTIVE
    response = client.post(
        f"/institutions/review/{active.pk}/status/", {"action": "exit", "reason": "机构注销"}
    )
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.status == S.EXITED
    # a second exit is not a valid transition: shown on the page, nothing written
    again = client.post(
        f"/institutions/review/{active.pk}/status/", {"action": "exit", "reason": "再次"}
    )
    assert again.status_code == 400
    assert active.status_changes.filter(to_status=S.EXITED).count() == 1


def test_an_expired_certificate_stops_ordering_on_the_offering_page(client, owner, offering, cma):
    Qualification.objects.filter(pk=cma.pk).update(
        valid_from=dt.date(2020, 1, 1), valid_to=today() - dt.timedelta(days=1)
    )

    page = client.get(f"/institutions/offerings/{offering.pk}/").content.decode()
    assert 'id="expired-notice"' in page
    assert 'id="ordering-info"' not in page
    assert "80–150" not in page

    client.force_login(owner)
    mine = client.get("/institutions/mine/").content.decode()
    row = mine.split(f'id="offering-{offering.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "expired-mark" in row


def test_members_edit_withdraw_and_republish_their_offering(client, member, offering, subcategory):
    client.force_login(member)
    assert client.get(f"/institutions/mine/offerings/{offering.pk}/").status_code == 200
    response = client.post(
        f"/institutions/mine/offerings/{offering.pk}/",
        offering_form(subcategory, name="精密压力表校准", turnaround_working_days="3"),
    )
    assert response.status_code == 302
    offering.refresh_from_db()
    assert (offering.name, offering.turnaround_working_days) == ("精密压力表校准", 3)

    assert client.post(f"/institutions/mine/offerings/{offering.pk}/withdraw/").status_code == 302
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.WITHDRAWN
    assert client.get(f"/institutions/offerings/{offering.pk}/").status_code == 404
    assert client.post(f"/institutions/mine/offerings/{offering.pk}/publish/").status_code == 302
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.PUBLISHED


def test_an_invalid_offering_is_shown_with_its_errors(client, owner, active, subcategory):
    client.force_login(owner)
    response = client.post(
        "/institutions/mine/offerings/new/",
        offering_form(subcategory, price_min="300", price_max="100"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["price_max"]
    assert not Offering.objects.exists()


def test_an_expired_certificate_cannot_cover_a_new_offering(
    client, owner, active, cma, subcategory
):
    Qualification.objects.filter(pk=cma.pk).update(
        valid_from=dt.date(2020, 1, 1), valid_to=today() - dt.timedelta(days=1)
    )
    client.force_login(owner)

    response = client.post(
        "/institutions/mine/offerings/new/", offering_form(subcategory, qualification=cma.pk)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["qualification"]


@pytest.mark.clause("WX 7.1.2")
def test_another_institution_cannot_touch_our_offering(
    client, other_owner, other_active, offering, subcategory
):
    client.force_login(other_owner)

    assert client.get(f"/institutions/mine/offerings/{offering.pk}/").status_code == 404
    post = client.post(
        f"/institutions/mine/offerings/{offering.pk}/", offering_form(subcategory, name="篡改")
    )
    assert post.status_code == 404
    assert client.post(f"/institutions/mine/offerings/{offering.pk}/withdraw/").status_code == 404
    offering.refresh_from_db()
    assert offering.name == "压力表校准"
    assert offering.status == OfferingStatus.PUBLISHED


def test_a_renewal_is_prefilled_and_moves_the_offerings(client, owner, offering, cma):
    client.force_login(owner)
    form = client.get(f"/institutions/mine/qualifications/new/?renew={cma.pk}")
    assert form.context["form"].initial["renews"] == cma.pk

    response = client.post(
        "/institutions/mine/qualifications/new/",
        {
            "kind": "CMA",
            "number": "251012340567",
            "scope": cma.scope,
            "issuer": cma.issuer,
            "valid_from": today().isoformat(),
            "valid_to": (today() + dt.timedelta(days=6 * 365)).isoformat(),
            "renews": cma.pk,
        },
    )

    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.qualification.number == "251012340567"


def test_a_suspended_institution_cannot_open_the_offering_form(
    client, owner, active, offering, wx_staff
):
    services.institution_suspend(actor=wx_staff, institution=active, reason="整改")
    client.force_login(owner)

    assert client.get("/institutions/mine/offerings/new/").status_code == 409
    assert client.get(f"/institutions/mine/offerings/{offering.pk}/").status_code == 409
    assert client.post(f"/institutions/mine/offerings/{offering.pk}/withdraw/").status_code == 409
    mine = client.get("/institutions/mine/").content.decode()
    assert 'id="new-offering"' not in mine
    assert 'id="add-qualification"' in mine  # a renewed certificate can still be added


def test_scans_are_read_by_the_institutions_people_and_reviewers_only(
    client, otp_login, owner, member, other_owner, wx_staff, lz_staff
):
    institution = apply(owner, quals=[qualification(scan=png())])
    url = institution.qualifications.get().scan.get_absolute_url()

    for reader, expected in ((member, 200), (other_owner, 404)):
        client.force_login(reader)
        assert client.get(url).status_code == expected
    otp_login(lz_staff)
    assert client.get(url).status_code == 404
    otp_login(wx_staff)
    assert client.get(url).status_code == 200


# --- public pages -----------------------------------------------------------------------------


def _grow(make_user, regions, count, *, start=0, approve=True):
    """``count`` more institutions in Jiangyin (the USCC is not checked here)."""
    staff = make_user("center_staff", "320200", kind="staff")
    created = []
    for n in range(start, start + count):
        enterprise = Enterprise.objects.create(
            name=f"江阴示范检测{n:02d}有限公司",
            uscc=f"91320281MA{n:08d}",
            legal_representative="张",
            address="江阴",
            region=regions["320281"],
            industry="检测",
            status=EnterpriseStatus.VERIFIED,
        )
        person = make_user("enterprise", "320281", kind="enterprise")
        Membership.objects.create(enterprise=enterprise, user=person, role=MemberRole.OWNER)
        institution = apply(person, quals=[qualification(number=f"GROW-{n}", scan=png())])
        if approve:
            institution = services.institution_approve(reviewer=staff, institution=institution)
        created.append(institution)
    return created


def test_the_list_filters_by_kind_and_region(client, active, other_active):
    everything = client.get("/institutions/").content.decode()
    assert active.name in everything
    assert other_active.name in everything

    wuxi = client.get("/institutions/?region=320200").content.decode()
    assert active.name in wuxi
    assert other_active.name not in wuxi
    labs = client.get("/institutions/?kind=metrology").content.decode()
    assert active.name not in labs


def test_the_list_is_paginated(client, make_user, regions):
    _grow(make_user, regions, 21)

    first = client.get("/institutions/")
    second = client.get("/institutions/?page=2")

    assert len(first.context["page"].object_list) == 20
    assert len(second.context["page"].object_list) == 1
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/institutions/999999/", "/institutions/offerings/999999/", "/institutions/?region=999999"],
)
def test_unknown_ids_are_404(client, regions, url):
    assert client.get(url).status_code == 404


def test_list_query_count_is_constant(client, make_user, regions, django_assert_num_queries):
    _grow(make_user, regions, 2)
    client.get("/institutions/?region=320281")
    # filter region, count, page, region choices, the header's current region
    with django_assert_num_queries(5) as few:
        client.get("/institutions/?region=320281")
    _grow(make_user, regions, 8, start=2)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/institutions/?region=320281").content.decode()
    assert body.count("江阴示范检测") == 10


def test_detail_query_count_is_constant(
    client, owner, active, cma, subcategory, wx_staff, django_assert_num_queries
):
    services.offering_create(actor=owner, institution=active, data=offering_input(subcategory))
    client.get(f"/institutions/{active.pk}/")
    # institution+region, certificates, offerings, notices, the header's current region
    with django_assert_num_queries(5) as few:
        client.get(f"/institutions/{active.pk}/")
    for n in range(5):
        services.offering_create(
            actor=owner,
            institution=active,
            data=offering_input(subcategory, name=f"温度计校准{n}", qualification=cma),
        )
        services.qualification_add(
            actor=owner, institution=active, data=qualification(number=f"MORE-{n}")
        )
    services.institution_suspend(actor=wx_staff, institution=active, reason="整改")
    services.institution_reinstate(actor=wx_staff, institution=active)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"/institutions/{active.pk}/").content.decode()
    assert body.count("温度计校准") == 5


def test_offering_page_query_count_is_constant(
    client, offering, station, regions, django_assert_num_queries
):
    client.get(f"/institutions/offerings/{offering.pk}/")
    # offering with institution/category/qualification, stations, header's region
    with django_assert_num_queries(3) as few:
        client.get(f"/institutions/offerings/{offering.pk}/")
    from onestop.stations.models import Station

    more = [
        Station.objects.create(
            region=regions["320281"],
            tier=station.tier,
            kind=station.kind,
            name=f"江阴服务点{n}",
            address="江阴",
            person_in_charge="陈",
        )
        for n in range(4)
    ]
    offering.stations.set([station, *more])

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"/institutions/offerings/{offering.pk}/").content.decode()
    assert body.count("江阴服务点") == 4


def test_mine_page_query_count_is_constant(
    client, owner, active, cma, subcategory, django_assert_num_queries
):
    client.force_login(owner)
    services.offering_create(actor=owner, institution=active, data=offering_input(subcategory))
    client.get("/institutions/mine/")
    # session, user, membership, institution, certificates, offerings, history, header's region
    with django_assert_num_queries(8) as few:
        client.get("/institutions/mine/")
    for n in range(5):
        services.offering_create(
            actor=owner,
            institution=active,
            data=offering_input(subcategory, name=f"温度计校准{n}", qualification=cma),
        )
        services.qualification_add(
            actor=owner, institution=active, data=qualification(number=f"MORE-{n}", scan=png())
        )

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/institutions/mine/").content.decode()
    assert body.count('id="offering-') == 6


def test_review_pages_query_counts_are_constant(
    client, otp_login, make_user, regions, wx_staff, owner, other_owner, django_assert_num_queries
):
    _grow(make_user, regions, 1, approve=False)
    otp_login(wx_staff)
    client.get("/institutions/review/")
    # session, user, 2FA device, roles, queue, supervised list, header's region
    with django_assert_num_queries(7) as queue:
        client.get("/institutions/review/")
    _grow(make_user, regions, 4, start=1, approve=False)

    with django_assert_num_queries(len(queue.captured_queries)):
        body = client.get("/institutions/review/").content.decode()
    assert body.count('<th scope="row"><a href="/institutions/review/') == 5

    small = apply(owner, quals=[qualification(scan=png())])
    client.get(f"/institutions/review/{small.pk}/")
    # session, user, device, roles, institution, certificates+scans, offerings, history, region
    with django_assert_num_queries(9) as review:
        client.get(f"/institutions/review/{small.pk}/")
    large = apply(
        other_owner,
        quals=[qualification(number=f"M-{n}", scan=png()) for n in range(5)],
        name="柳州示范检测",
    )
    Institution.objects.filter(pk=large.pk).update(region=regions["320281"])

    with django_assert_num_queries(len(review.captured_queries)):
        body = client.get(f"/institutions/review/{large.pk}/").content.decode()
    assert body.count("/documents/") == 5

"""The institution's door: only what was forwarded to it, and never who
complains when the complaint is anonymous to it (WX 7.4.3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop.complaints import selectors
from onestop.complaints.models import ComplaintStatus
from onestop.complaints.tests.conftest import CUSTOMER_MOBILE, png
from onestop.enterprises.models import MemberRole, Membership

S = ComplaintStatus


def _identity(user) -> list[str]:
    """Every fragment that would tell the institution who complains."""
    return [
        user.display_name,
        user.get_username(),
        CUSTOMER_MOBILE,
        "139****5678",
        f'data-user="{user.pk}"',
        f"/users/{user.pk}/",
    ]


@pytest.fixture
def anonymous(with_mobile, file, advance):
    """A complaint anonymous to the institution, with a file, forwarded to it."""
    complaint = file(anonymous_to_institution=True, attachments=[png("evidence.png")])
    return advance(complaint, "forwarded")


@pytest.mark.clause("WX 7.4.3")
def test_the_institution_never_sees_who_complains_anonymously(
    client, lab_owner, anonymous, with_mobile
):
    client.force_login(lab_owner)
    for url in (reverse("complaints:institution_queue"), anonymous.institution_url):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert anonymous.number in html
        for fragment in _identity(with_mobile):
            assert fragment not in html, fragment
    # Nor in what the page is built from, nor its files.
    view = selectors.institution_view(user=lab_owner, number=anonymous.number)
    assert (view.complainant_name, view.complainant_phone, view.attachments) == ("", "", [])
    document = anonymous.attachments.get().document
    assert client.get(document.get_absolute_url()).status_code == 404


def test_without_anonymity_the_institution_sees_the_name_masked_phone_and_files(
    client, lab_owner, with_mobile, file, advance
):
    complaint = advance(file(attachments=[png("evidence.png")]), "forwarded")
    client.force_login(lab_owner)
    html = client.get(complaint.institution_url).content.decode()
    assert with_mobile.display_name in html
    assert "139****5678" in html
    assert CUSTOMER_MOBILE not in html
    document = complaint.attachments.get().document
    assert client.get(document.get_absolute_url()).status_code == 200


def test_a_complaint_not_forwarded_is_not_found_for_the_institution(
    client, lab_owner, complaint, advance
):
    advance(complaint, "investigating")
    client.force_login(lab_owner)
    assert client.get(complaint.institution_url).status_code == 404
    respond = reverse("complaints:institution_respond", args=[complaint.number])
    assert client.post(respond, {"respond-note": "答复"}).status_code == 404
    queue = client.get(reverse("complaints:institution_queue"))
    assert list(queue.context["page"].object_list) == []


def test_another_institutions_people_get_not_found(
    client, make_user, lz_institution, complaint, advance
):
    advance(complaint, "forwarded")
    other = make_user("enterprise", "450202", kind="enterprise")
    Membership.objects.create(
        enterprise=lz_institution.enterprise, user=other, role=MemberRole.OWNER
    )
    client.force_login(other)
    assert client.get(complaint.institution_url).status_code == 404


def test_people_of_no_institution_get_not_found(client, stranger):
    client.force_login(stranger)
    assert client.get(reverse("complaints:institution_queue")).status_code == 404


def test_the_institution_pages_in_a_fixed_number_of_queries(
    client, lab_owner, file, advance, django_assert_num_queries
):
    complaints = [advance(file(), "forwarded") for _ in range(3)]
    client.force_login(lab_owner)
    client.get(reverse("complaints:institution_queue"))  # the session starts its clocks once
    with django_assert_num_queries(6):
        queue = client.get(reverse("complaints:institution_queue"))
    assert len(queue.context["page"].object_list) == 3
    with django_assert_num_queries(7):
        page = client.get(complaints[0].institution_url)
    assert page.status_code == 200


@pytest.mark.clause("WX 7.4.3")
def test_the_institution_responds_on_its_page(client, lab_member, anonymous):
    client.force_login(lab_member)
    respond = reverse("complaints:institution_respond", args=[anonymous.number])
    assert client.post(respond, {"respond-note": ""}).status_code == 400
    done = client.post(respond, {"respond-note": "已核实并补发证书。"})
    assert done.status_code == 302
    anonymous.refresh_from_db()
    assert anonymous.status == S.RESPONDED
    assert anonymous.institution_response == "已核实并补发证书。"
    # Responding again: the form is gone, the page says why.
    again = client.post(respond, {"respond-note": "再次答复"})
    assert again.status_code == 409

from onestop.audit.models import AuditEvent
from onestop.experts.tests.conftest import SECRET_EMAIL, SECRET_PHONE
from onestop.search.models import DocKind, SearchDocument


def test_changelist_keeps_contacts_out(client, make_user, otp_login, secret_expert):
    otp_login(make_user("sysadmin", None, is_superuser=True, is_staff=True))

    body = client.get("/admin/experts/expert/").content.decode()

    assert "覃秘华" in body
    assert SECRET_PHONE[-4:] not in body
    assert SECRET_EMAIL not in body


def test_admin_edits_are_audited_and_reindexed(
    client, make_user, otp_login, secret_expert, fields, regions, django_capture_on_commit_callbacks
):
    otp_login(make_user("sysadmin", None, is_superuser=True, is_staff=True))
    data = {
        "name": "覃秘东",
        "title": secret_expert.title,
        "organisation": secret_expert.organisation,
        "region": regions["450200"].pk,
        "categories": [fields["ip"].pk],
        "specialties": secret_expert.specialties,
        "qualifications": "",
        "availability": "available",
        "contact_phone": SECRET_PHONE,
        "contact_email": SECRET_EMAIL,
        "active": "on",
        "removal_reason": "",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/experts/expert/{secret_expert.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(secret_expert.pk))
    document = SearchDocument.objects.get(kind=DocKind.EXPERT, object_id=secret_expert.pk)
    assert document.title == "覃秘东"
    assert client.post(f"/admin/experts/expert/{secret_expert.pk}/delete/").status_code == 403

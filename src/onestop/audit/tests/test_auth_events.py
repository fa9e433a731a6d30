import pytest

from onestop.audit.models import AuditEvent


@pytest.mark.clause("WX 4.1.4")
def test_login_failed_login_and_logout_are_recorded(client, make_user):
    make_user(username="zhang", password="right-pass-1")

    client.post(
        "/accounts/login/", {"username": "zhang", "password": "wrong"}, REMOTE_ADDR="10.9.8.7"
    )
    client.post("/accounts/login/", {"username": "zhang", "password": "right-pass-1"})
    client.post("/accounts/logout/")

    actions = list(AuditEvent.objects.order_by("seq").values_list("action", "actor_label"))
    assert ("auth.login_failed", "zhang") in actions
    assert ("auth.login", "zhang") in actions
    assert ("auth.logout", "zhang") in actions
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.ip == "10.9.8.7"
    assert "wrong" not in str(failed.changes)


def test_admin_writes_are_recorded(client, make_user, regions, otp_login):
    admin = make_user("sysadmin", None, is_superuser=True, is_staff=True)
    otp_login(admin)

    response = client.post(
        f"/admin/regions/region/{regions['450202'].pk}/change/",
        {
            "code": "450202",
            "name": "城中区（改）",
            "level": "district",
            "parent": regions["450200"].pk,
            "profile": "",
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert event.object_repr == "城中区（改）"
    assert event.actor_id == admin.pk

import json

import pytest

from onestop.audit.models import AuditEvent
from onestop.core import crypto
from onestop.core.errors import InvalidInput


@pytest.fixture
def person(make_user, regions):
    return make_user(
        "individual",
        "450202",
        kind="individual",
        username="li",
        password="pw-for-tests-1",
        mobile="13800138077",
        mobile_index=crypto.blind_index("13800138077", purpose="mobile"),
    )


@pytest.mark.clause("HM 6.3")
def test_a_user_downloads_a_copy_of_their_own_data(client, person, make_user):
    make_user("individual", "450202", kind="individual", mobile="13800138099")
    client.force_login(person)

    response = client.get("/accounts/me/data/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["account"]["mobile"] == "13800138077"
    assert "13800138099" not in response.content.decode()
    assert AuditEvent.objects.filter(action="accounts.data_export", actor_id=person.pk).exists()


def test_the_data_copy_needs_login(client, db):
    assert client.get("/accounts/me/data/").status_code == 302


def test_closing_the_account_needs_the_password_and_stops_logins(client, person):
    client.force_login(person)

    wrong = client.post("/accounts/me/close/", {"password": "nope", "confirm": "on"})
    right = client.post("/accounts/me/close/", {"password": "pw-for-tests-1", "confirm": "on"})

    assert wrong.status_code == 400
    assert right.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert person.deactivated_at is not None
    assert AuditEvent.objects.filter(action="accounts.deactivate").exists()
    assert client.get("/accounts/me/").status_code == 302  # logged out
    again = client.post("/accounts/login/", {"username": "li", "password": "pw-for-tests-1"})
    assert again.status_code == 200  # the form again, not a redirect
    assert "_auth_user_id" not in client.session


def test_an_owner_with_members_must_hand_over_first(person, make_user, regions):
    from onestop.accounts.personal_data import account_deactivate
    from onestop.enterprises.models import Enterprise, MemberRole, Membership

    enterprise = Enterprise.objects.create(
        name="示范公司",
        uscc="91450200MA5K6L7N8N",
        legal_representative="李某",
        address="柳州示范路1号",
        region=regions["450205"],
        industry="制造业",
    )
    Membership.objects.create(enterprise=enterprise, user=person, role=MemberRole.OWNER)
    Membership.objects.create(enterprise=enterprise, user=make_user(), role=MemberRole.MEMBER)

    with pytest.raises(InvalidInput):
        account_deactivate(user=person)
    person.refresh_from_db()
    assert person.is_active

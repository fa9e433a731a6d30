import pytest

from onestop.core import crypto
from onestop.enterprises.models import Enterprise, Invitation, MemberRole, Membership


@pytest.fixture
def enterprise(regions):
    return Enterprise.objects.create(
        name="柳州示范机械有限公司",
        uscc="91450200MA5K6L7N8N",
        legal_representative="刘强",
        address="柳州市柳北区示范路2号",
        region=regions["450205"],
        industry="专用设备制造业",
    )


def _member(make_user, enterprise, n, role=MemberRole.MEMBER):
    mobile = f"139000000{n:02d}"
    user = make_user(
        "enterprise",
        "450205",
        kind="enterprise",
        mobile=mobile,
        mobile_index=crypto.blind_index(mobile, purpose="mobile"),
    )
    Membership.objects.create(enterprise=enterprise, user=user, role=role)
    return user


def test_members_page_query_count_does_not_grow(
    client, enterprise, make_user, django_assert_num_queries
):
    owner = _member(make_user, enterprise, 1, MemberRole.OWNER)
    client.force_login(owner)
    client.get("/enterprise/")
    # session, user, membership+enterprise, members, invitations, my invitations, roles
    with django_assert_num_queries(7) as few:
        client.get("/enterprise/")
    for n in range(2, 9):
        _member(make_user, enterprise, n)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/enterprise/").content.decode()

    assert body.count("139****00") == 8  # masked numbers only
    assert "13900000002" not in body


def test_members_do_not_see_owner_tools_or_pending_invitations(client, enterprise, make_user):
    owner = _member(make_user, enterprise, 1, MemberRole.OWNER)
    member = _member(make_user, enterprise, 2)
    Invitation.objects.create(
        enterprise=enterprise, mobile_index="x", masked_mobile="137****0000", invited_by=owner
    )
    client.force_login(member)

    body = client.get("/enterprise/").content.decode()

    assert "/enterprise/invite/" not in body
    assert "137****0000" not in body


def test_member_actions_need_post_and_ownership(client, enterprise, make_user):
    owner = _member(make_user, enterprise, 1, MemberRole.OWNER)
    member = _member(make_user, enterprise, 2)
    target = Membership.objects.get(user=owner)
    client.force_login(member)

    assert client.get(f"/enterprise/members/{target.pk}/remove/").status_code == 405
    assert client.post(f"/enterprise/members/{target.pk}/transfer/").status_code == 403
    assert Membership.objects.get(user=owner).role == MemberRole.OWNER

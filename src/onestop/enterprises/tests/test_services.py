import pytest

from onestop.audit.models import AuditEvent
from onestop.core import crypto
from onestop.core.errors import InvalidInput, NotFound
from onestop.enterprises import services
from onestop.enterprises.models import Enterprise, Invitation, MemberRole, Membership
from onestop.enterprises.selectors import enterprise_view


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


def _person(make_user, mobile):
    return make_user(
        "enterprise",
        "450205",
        kind="enterprise",
        mobile=mobile,
        mobile_index=crypto.blind_index(mobile, purpose="mobile"),
    )


@pytest.fixture
def owner(make_user, enterprise):
    user = _person(make_user, "13900000001")
    Membership.objects.create(enterprise=enterprise, user=user, role=MemberRole.OWNER)
    return user


def test_owner_invites_and_the_holder_of_the_number_accepts(owner, enterprise, make_user):
    invitee = _person(make_user, "13900000002")

    invitation = services.member_invite(actor=owner, enterprise=enterprise, mobile="139 0000 0002")
    membership = services.invitation_accept(user=invitee, invitation_id=invitation.pk)

    assert membership.role == MemberRole.MEMBER
    assert invitation.masked_mobile == "139****0002"
    assert "13900000002" not in str(AuditEvent.objects.get(action="enterprises.invite").changes)
    assert invitee.notifications.filter(kind="enterprises.invited").exists()


def test_someone_else_cannot_accept_an_invitation(owner, enterprise, make_user):
    _person(make_user, "13900000002")
    stranger = _person(make_user, "13900000003")
    invitation = services.member_invite(actor=owner, enterprise=enterprise, mobile="13900000002")

    with pytest.raises(NotFound):
        services.invitation_accept(user=stranger, invitation_id=invitation.pk)
    assert not Membership.objects.filter(user=stranger).exists()


def test_members_cannot_use_owner_actions(owner, enterprise, make_user):
    member = _person(make_user, "13900000002")
    membership = Membership.objects.create(
        enterprise=enterprise, user=member, role=MemberRole.MEMBER
    )

    with pytest.raises(services.NotOwner):
        services.member_invite(actor=member, enterprise=enterprise, mobile="13900000009")
    with pytest.raises(services.NotOwner):
        services.member_remove(actor=member, membership=membership)
    with pytest.raises(services.NotOwner):
        services.ownership_transfer(actor=member, enterprise=enterprise, to=membership)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("mobile", ["1390000000", "23900000002", "abc", ""])
def test_invite_refuses_bad_numbers(owner, enterprise, mobile):
    with pytest.raises(InvalidInput):
        services.member_invite(actor=owner, enterprise=enterprise, mobile=mobile)


def test_duplicate_invitation_and_existing_member_are_refused(owner, enterprise):
    services.member_invite(actor=owner, enterprise=enterprise, mobile="13900000002")

    with pytest.raises(InvalidInput):
        services.member_invite(actor=owner, enterprise=enterprise, mobile="13900000002")
    with pytest.raises(InvalidInput):
        services.member_invite(actor=owner, enterprise=enterprise, mobile="13900000001")


def test_transfer_then_remove(owner, enterprise, make_user):
    member = _person(make_user, "13900000002")
    membership = Membership.objects.create(
        enterprise=enterprise, user=member, role=MemberRole.MEMBER
    )

    services.ownership_transfer(actor=owner, enterprise=enterprise, to=membership)
    old_owner = Membership.objects.get(user=owner)
    with pytest.raises(InvalidInput):
        services.member_remove(actor=member, membership=Membership.objects.get(user=member))
    services.member_remove(actor=member, membership=old_owner)

    assert Membership.objects.get(user=member).role == MemberRole.OWNER
    assert Membership.objects.get(user=owner).removed_at is not None
    assert enterprise_view(user=member).members == [Membership.objects.get(user=member)]

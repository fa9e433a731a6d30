import pytest
from django.contrib.auth.models import AnonymousUser

from onestop.accounts import authz
from onestop.accounts.models import Role
from onestop.accounts.services import role_grant, role_revoke
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput


@pytest.mark.clause("WX 4.1.2d")
def test_region_scope_covers_the_subtree_only(make_user, regions):
    staff = make_user("center_staff", "450200")

    scope = authz.region_scope(staff, authz.Perm.AUDIT_VIEW)

    assert scope.covers(regions["450200"])
    assert scope.covers(regions["450202"])
    assert scope.covers(regions["450200001"])
    assert not scope.covers(regions["320200"])
    assert not scope.covers(regions["450000"])  # the province above is not theirs
    assert not scope.covers(None)


def test_sysadmin_scope_is_everywhere(make_user, regions):
    admin = make_user("sysadmin")

    scope = authz.region_scope(admin, authz.Perm.AUDIT_VIEW)

    assert scope.everywhere
    assert scope.covers(None)


def test_scope_filters_a_queryset_by_region_path(make_user, regions):
    from onestop.audit.services import audit_record

    audit_record(action="x.lz", region=regions["450202"])
    audit_record(action="x.wx", region=regions["320281001"])
    audit_record(action="x.none")
    staff = make_user("center_staff", "320200")

    visible = authz.region_scope(staff, authz.Perm.AUDIT_VIEW).filter(
        AuditEvent.objects.filter(action__startswith="x."), "region"
    )

    assert list(visible.values_list("action", flat=True)) == ["x.wx"]


def test_nested_regions_collapse_to_the_widest(make_user, regions):
    staff = make_user("center_staff", "320200")
    role_grant(actor=None, user=staff, role=Role.AUTHORITY, region=regions["320281"])
    authz.forget(staff)

    scope = authz.region_scope(staff, authz.Perm.AUDIT_VIEW)

    assert scope.paths == (regions["320200"].path,)


@pytest.mark.parametrize(
    ("role", "perm", "expected"),
    [
        ("enterprise", authz.Perm.WORKBENCH_ACCESS, False),
        ("individual", authz.Perm.WORKBENCH_ACCESS, False),
        ("station_staff", authz.Perm.WORKBENCH_ACCESS, True),
        ("station_staff", authz.Perm.AUDIT_VIEW, False),
        ("center_staff", authz.Perm.AUDIT_VIEW, True),
        ("authority", authz.Perm.AUDIT_VIEW, True),
        ("center_staff", authz.Perm.CALENDAR_MANAGE, False),
        ("sysadmin", authz.Perm.CALENDAR_MANAGE, True),
        ("expert", authz.Perm.SLA_VIEW, False),
    ],
)
def test_permission_table(make_user, regions, role, perm, expected):
    user = make_user(role, None if role == "sysadmin" else "450200")

    assert authz.has_perm(user, perm) is expected


def test_anonymous_and_inactive_users_hold_nothing(make_user, regions):
    inactive = make_user("sysadmin")
    inactive.is_active = False

    assert authz.assignments(AnonymousUser()) == []
    assert not authz.has_perm(inactive, authz.Perm.WORKBENCH_ACCESS)


def test_revoked_roles_stop_counting(make_user, regions):
    admin = make_user("sysadmin")
    staff = make_user("center_staff", "450200")
    assignment = authz.assignments(staff)[0]

    role_revoke(actor=admin, assignment=assignment)

    assert not authz.has_perm(staff, authz.Perm.WORKBENCH_ACCESS)
    assert AuditEvent.objects.filter(action="accounts.role_revoke").exists()


def test_grant_rejects_unknown_role_and_missing_region(make_user, regions):
    user = make_user()

    with pytest.raises(InvalidInput):
        role_grant(actor=None, user=user, role="emperor", region=None)
    with pytest.raises(InvalidInput):
        role_grant(actor=None, user=user, role=Role.CENTER_STAFF, region=None)
    with pytest.raises(InvalidInput):
        role_grant(
            actor=None,
            user=user,
            role=Role.EXPERT,
            region=regions["450200"],
            scope=regions["450202"],
        )


def test_require_raises_a_chinese_capable_domain_error(make_user, regions):
    user = make_user("enterprise", "450205")

    with pytest.raises(authz.NotAllowed) as caught:
        authz.require(user, authz.Perm.AUDIT_VIEW)

    assert caught.value.status == 403


def test_scope_filters_region_rows_themselves(make_user, regions):
    from onestop.regions.models import Region

    staff = make_user("center_staff", "320200")

    codes = set(
        authz.region_scope(staff, authz.Perm.AUDIT_VIEW)
        .filter(Region.objects.all(), "")
        .values_list("code", flat=True)
    )

    assert "320281001" in codes
    assert "320200" in codes
    assert "320000" not in codes
    assert "450200" not in codes

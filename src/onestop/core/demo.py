"""Demo data for the embedded profile: regions, one account per role.

Institutions named here drafted the reference standards (SPEC, seeds/), which
makes them natural demo data.
"""

from __future__ import annotations

import logging
from base64 import b32decode
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from onestop.accounts.models import Role, User
from onestop.accounts.services import role_grant, user_create
from onestop.accounts.twofactor import has_confirmed_totp
from onestop.audit.services import audit_record
from onestop.core.workdays import CalendarNotCovered
from onestop.notifications.services import notify
from onestop.regions.models import Region
from onestop.regions.services import regions_load_bundled

DEMO_PASSWORD = "onestop-demo-2026"  # noqa: S105 - printed for the demo on purpose
# Workbench accounts need a second factor (onestop.accounts.twofactor). In the
# demo, and only there, every workbench account shares this published TOTP
# secret so that visitors can add it to an authenticator app. Real accounts
# get a random secret when they set up two-factor authentication.
DEMO_TOTP_SECRET = "ONESTOPQIDEMOTOTPSECRETFORDEMO23"  # noqa: S105 - printed on purpose


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    region_code: str | None
    where: str  # "public" or "workbench"


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", Role.SYSADMIN, None, "workbench"),
    DemoAccount("center_lz", "柳州市质量服务中心 张敏", Role.CENTER_STAFF, "450200", "workbench"),
    DemoAccount("center_hm", "哈密市质量服务中心 王磊", Role.CENTER_STAFF, "650500", "workbench"),
    DemoAccount("center_wx", "无锡市质量服务中心 陈静", Role.CENTER_STAFF, "320200", "workbench"),
    DemoAccount(
        "station_jy", "江阴市市场监督管理局服务站 周磊", Role.STATION_STAFF, "320281", "workbench"
    ),
    DemoAccount(
        "authority_wx", "无锡市市场监督管理局 易海红", Role.AUTHORITY, "320200", "workbench"
    ),
    DemoAccount(
        "institution_cx",
        "江苏澄信检验检测认证股份有限公司 彭华涛",
        Role.INSTITUTION_STAFF,
        "320281",
        "workbench",
    ),
    DemoAccount("expert_lz", "质量专家 李工", Role.EXPERT, "450200", "workbench"),
    DemoAccount(
        "enterprise_lz", "柳州示范机械有限公司 刘经理", Role.ENTERPRISE, "450205", "public"
    ),
    DemoAccount("individual_lz", "赵先生", Role.INDIVIDUAL, "450202", "public"),
    DemoAccount("individual_wait", "钱女士", Role.INDIVIDUAL, "450203", "public"),
    DemoAccount("individual_back", "孙先生", Role.INDIVIDUAL, "450204", "public"),
    DemoAccount("enterprise_jy", "江阴示范精密机械 周主任", Role.ENTERPRISE, "320281", "public"),
    DemoAccount(
        "institution_lz", "柳州市计量技术测试研究所 黄工", Role.ENTERPRISE, "450200", "public"
    ),
]

# The public account that acts for an onboarded demo institution (accepts
# orders, confirms samples): the owner of its enterprise.
INSTITUTION_OWNERS = {"institution_lz": "柳州市计量技术测试研究所"}


def demo_is_loaded() -> bool:
    return User.objects.filter(username="admin").exists()


@transaction.atomic
def demo_load() -> list[DemoAccount]:
    """Load the demo data; running it again changes nothing."""
    regions_load_bundled()
    admin = User.objects.filter(username="admin").first()
    for account in DEMO_ACCOUNTS:
        existing = User.objects.filter(username=account.username).first()
        if existing is not None:
            if account.where == "workbench":
                _demo_second_factor(actor=admin, user=existing)
            continue
        user = user_create(
            actor=admin,
            username=account.username,
            password=DEMO_PASSWORD,
            display_name=account.display_name,
            email=f"{account.username}@example.invalid",
        )
        if account.role == Role.SYSADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
            admin = user
        region = Region.objects.get(code=account.region_code) if account.region_code else None
        role_grant(actor=admin, user=user, role=account.role, region=region)
        if account.where == "workbench":
            _demo_second_factor(actor=admin, user=user)
        notify(
            recipients=[user],
            kind="welcome",
            title="欢迎使用质量服务“一站式”平台",
            body="这是演示账号。平台的各项服务将陆续上线。",
        )
    from onestop.catalog.services import catalog_load_bundled
    from onestop.verification.demo import verification_demo_load

    catalog_load_bundled(actor=admin)

    # Its applications carry review deadlines; late in a year whose successor
    # the calendar does not cover yet, they are left out rather than stopping
    # the installation from starting.
    try:
        with transaction.atomic():
            verification_demo_load(admin=admin, reviewer=User.objects.get(username="center_lz"))
    except CalendarNotCovered:
        logger.warning("demo applications skipped: the calendar does not cover their deadlines")
    from onestop.stations.demo import stations_demo_load

    stations_demo_load(actor=admin)
    from onestop.experts.demo import experts_demo_load
    from onestop.institutions.demo import institutions_demo_load
    from onestop.search import index
    from onestop.search.synonyms import synonyms_load_defaults

    institutions_demo_load(actor=admin)
    _institution_owners()
    experts_demo_load(actor=admin)
    from onestop.orders.demo import orders_demo_load

    orders_demo_load()
    from onestop.evaluations.demo import history_demo_load

    history_demo_load()
    from onestop.complaints.demo import load as complaints_demo_load
    from onestop.reporting.demo import reporting_demo_load
    from onestop.supervision.demo import load as supervision_demo_load

    complaints_demo_load()
    supervision_demo_load()
    from onestop.summaries.demo import summaries_demo_load

    summaries_demo_load()
    reporting_demo_load()
    synonyms_load_defaults()
    index.rebuild()
    return DEMO_ACCOUNTS


def _institution_owners() -> None:
    from onestop.accounts.models import UserKind
    from onestop.enterprises.models import MemberRole, Membership
    from onestop.institutions.models import Institution

    for username, name in INSTITUTION_OWNERS.items():
        owner = User.objects.get(username=username)
        institution = Institution.objects.select_related("enterprise").filter(name=name).first()
        if institution is None:
            continue
        if owner.kind != UserKind.ENTERPRISE:
            owner.kind = UserKind.ENTERPRISE
            owner.save(update_fields=["kind"])
        Membership.objects.get_or_create(
            enterprise=institution.enterprise,
            user=owner,
            removed_at=None,
            defaults={"role": MemberRole.OWNER},
        )


@transaction.atomic
def demo_second_factors() -> None:
    """Give workbench demo accounts without an authenticator the demo one.

    For installations whose demo data predates two-factor authentication.
    """
    admin = User.objects.filter(username="admin").first()
    usernames = [a.username for a in DEMO_ACCOUNTS if a.where == "workbench"]
    for user in User.objects.filter(username__in=usernames):
        _demo_second_factor(actor=admin, user=user)


def demo_totp_uri() -> str:
    """The otpauth:// URI of the demo secret, for authenticator apps."""
    return (
        f"otpauth://totp/OneStop%20QI%20demo?secret={DEMO_TOTP_SECRET}&issuer=OneStop%20QI%20demo"
    )


def _demo_second_factor(*, actor: User | None, user: User) -> None:
    """A confirmed authenticator on the demo secret, unless the account has one."""
    if has_confirmed_totp(user):
        return
    TOTPDevice.objects.create(
        user=user,
        name="demo authenticator",
        key=b32decode(DEMO_TOTP_SECRET).hex(),
        confirmed=True,
    )
    audit_record(
        actor=actor, action="auth.2fa_setup", obj=user, changes={"device": "totp", "demo": True}
    )

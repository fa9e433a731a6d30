"""Demo data for the embedded profile: regions, one account per role.

Institutions named here drafted the reference standards (SPEC, seeds/), which
makes them natural demo data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from onestop.accounts.models import Role, User
from onestop.accounts.services import role_grant, user_create
from onestop.notifications.services import notify
from onestop.regions.models import Region
from onestop.regions.services import regions_load_bundled

DEMO_PASSWORD = "onestop-demo-2026"  # noqa: S105 - printed for the demo on purpose


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
]


def demo_is_loaded() -> bool:
    return User.objects.filter(username="admin").exists()


@transaction.atomic
def demo_load() -> list[DemoAccount]:
    """Load the demo data; running it again changes nothing."""
    regions_load_bundled()
    admin = User.objects.filter(username="admin").first()
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
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
        notify(
            recipients=[user],
            kind="welcome",
            title="欢迎使用质量服务“一站式”平台",
            body="这是演示账号。平台的各项服务将陆续上线。",
        )
    return DEMO_ACCOUNTS

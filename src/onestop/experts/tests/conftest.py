import pytest

from onestop.accounts.models import Role
from onestop.accounts.services import role_grant
from onestop.catalog.models import ServiceCategory
from onestop.experts.models import Availability, Expert
from onestop.experts.services import ExpertDetails, expert_create

# A phone and e-mail whose pieces are checked for in every public response.
SECRET_PHONE = "13907729481"
SECRET_EMAIL = "qin.secret@example.cn"


@pytest.fixture
def fields(db):
    """A small category tree: two top-level fields with sub-fields."""
    metrology = ServiceCategory.objects.create(code="metrology", name="计量", position=0)
    ip = ServiceCategory.objects.create(code="ip", name="知识产权", position=7)
    return {
        "metrology": metrology,
        "metrology-verification": ServiceCategory.objects.create(
            code="metrology-verification", name="检定校准", parent=metrology, position=0
        ),
        "metrology-consulting": ServiceCategory.objects.create(
            code="metrology-consulting", name="计量咨询与培训", parent=metrology, position=1
        ),
        "ip": ip,
        "ip-patent": ServiceCategory.objects.create(
            code="ip-patent", name="专利服务", parent=ip, position=0
        ),
    }


@pytest.fixture
def sysadmin(make_user, regions):
    return make_user("sysadmin", None, kind="staff")


@pytest.fixture
def lz_staff(make_user, regions):
    return make_user("center_staff", "450200", kind="staff")


@pytest.fixture
def hm_staff(make_user, regions):
    return make_user("center_staff", "650500", kind="staff")


@pytest.fixture
def wx_staff(make_user, regions):
    return make_user("center_staff", "320200", kind="staff")


@pytest.fixture
def station_worker(make_user, regions):
    """Staff of one Liuzhou station: workbench access, but not the expert pool."""
    from onestop.stations.models import Station, StationKind, Tier

    station = Station.objects.create(
        region=regions["450205"],
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="柳州市柳北区质量服务“一站式”平台",
        address="柳北区胜利路12号",
        person_in_charge="韦志刚",
    )
    worker = make_user(kind="staff")
    role_grant(
        actor=None, user=worker, role=Role.STATION_STAFF, region=regions["450205"], scope=station
    )
    return worker


def details(categories, **overrides) -> ExpertDetails:
    values = {
        "name": "覃振华",
        "title": "正高级工程师",
        "organisation": "柳州市计量技术测试研究所",
        "categories": categories,
        "specialties": "压力、温度计量；测量管理体系建设",
        "qualifications": "一级注册计量师",
        "contact_phone": "",
        "contact_email": "",
    }
    values.update(overrides)
    return ExpertDetails(**values)


@pytest.fixture
def make_expert(fields, regions, sysadmin):
    """make_expert(region_code="450200", categories=("metrology-verification",), **details)."""
    counter = iter(range(1, 10_000))

    def make(
        region_code: str = "450200",
        categories=("metrology-verification",),
        availability: str = Availability.AVAILABLE,
        **overrides,
    ) -> Expert:
        overrides.setdefault("name", f"示范专家{next(counter):03d}")
        return expert_create(
            actor=sysadmin,
            region=regions[region_code],
            details=details([fields[c] for c in categories], **overrides),
            availability=availability,
        )

    return make


@pytest.fixture
def secret_expert(make_expert):
    return make_expert(
        name="覃秘华",
        categories=("metrology-verification", "ip-patent"),
        contact_phone=SECRET_PHONE,
        contact_email=SECRET_EMAIL,
    )

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from onestop.catalog.models import ServiceCategory
from onestop.core import crypto
from onestop.enterprises.models import Enterprise, EnterpriseStatus, MemberRole, Membership
from onestop.institutions import agreement, services
from onestop.institutions.models import InstitutionKind, QualificationKind
from onestop.institutions.services import InstitutionDetails, OfferingInput, QualificationInput
from onestop.stations.models import Station, StationKind, Tier

JIANGYIN_USCC = "91320281MA1X2Y3W4B"
LIUZHOU_USCC = "91450200MA5K6L7N8N"


def png(name: str = "cma.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def today() -> dt.date:
    return timezone.localdate()


def qualification(**overrides) -> QualificationInput:
    values = {
        "kind": QualificationKind.CMA,
        "number": "241012340567",
        "scope": "压力表、压力变送器校准（JJG 52-2013）",
        "issuer": "江苏省市场监督管理局",
        "valid_from": today() - dt.timedelta(days=365),
        "valid_to": today() + dt.timedelta(days=2 * 365),
        "scan": None,
    }
    values.update(overrides)
    return QualificationInput(**values)


def details(**overrides) -> InstitutionDetails:
    values = {
        "kind": InstitutionKind.TESTING_LAB,
        "name": "",
        "description": "专注压力、温度类计量器具校准。",
        "address": "江阴市澄江中路159号",
        "service_phone": "0510-86812345",
    }
    values.update(overrides)
    return InstitutionDetails(**values)


def apply(actor, *, quals=None, **overrides):
    return services.institution_apply(
        actor=actor,
        details=details(**overrides),
        qualifications=quals if quals is not None else [qualification()],
        agreement_version=agreement.CURRENT.version,
        agreement_accepted=True,
    )


def offering_input(category, **overrides) -> OfferingInput:
    values = {
        "category": category,
        "name": "压力表校准",
        "scope": "0-60MPa 一般压力表，依据 JJG 52-2013",
        "turnaround_working_days": 5,
        "price_min": Decimal("80"),
        "price_max": Decimal("150"),
        "online": False,
        "at_lab": True,
    }
    values.update(overrides)
    return OfferingInput(**values)


def _person(make_user, mobile, region_code):
    return make_user(
        "enterprise",
        region_code,
        kind="enterprise",
        mobile=mobile,
        mobile_index=crypto.blind_index(mobile, purpose="mobile"),
    )


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def categories(db):
    testing = ServiceCategory.objects.create(code="testing", name="检验检测", position=4)
    services_ = ServiceCategory.objects.create(
        code="testing-services", name="检验检测服务", parent=testing, position=1
    )
    metrology = ServiceCategory.objects.create(code="metrology", name="计量", position=1)
    return {"testing": testing, "testing-services": services_, "metrology": metrology}


@pytest.fixture
def subcategory(categories):
    return categories["testing-services"]


@pytest.fixture
def enterprise(regions):
    return Enterprise.objects.create(
        name="江阴市示范计量检测有限公司",
        uscc=JIANGYIN_USCC,
        legal_representative="陈国强",
        address="江阴市澄江中路159号",
        region=regions["320281"],
        industry="专业技术服务业",
        status=EnterpriseStatus.VERIFIED,
    )


@pytest.fixture
def owner(make_user, enterprise):
    user = _person(make_user, "13900000001", "320281")
    Membership.objects.create(enterprise=enterprise, user=user, role=MemberRole.OWNER)
    return user


@pytest.fixture
def member(make_user, enterprise, owner):
    user = _person(make_user, "13900000002", "320281")
    Membership.objects.create(enterprise=enterprise, user=user, role=MemberRole.MEMBER)
    return user


@pytest.fixture
def other_enterprise(regions):
    return Enterprise.objects.create(
        name="柳州示范检测技术有限公司",
        uscc=LIUZHOU_USCC,
        legal_representative="刘强",
        address="柳州市柳北区示范路2号",
        region=regions["450205"],
        industry="专业技术服务业",
        status=EnterpriseStatus.VERIFIED,
    )


@pytest.fixture
def other_owner(make_user, other_enterprise):
    user = _person(make_user, "13900000003", "450205")
    Membership.objects.create(enterprise=other_enterprise, user=user, role=MemberRole.OWNER)
    return user


@pytest.fixture
def individual(make_user, regions):
    return make_user("individual", "320281", kind="individual")


@pytest.fixture
def wx_staff(make_user, regions):
    return make_user("center_staff", "320200", kind="staff")


@pytest.fixture
def lz_staff(make_user, regions):
    return make_user("center_staff", "450200", kind="staff")


@pytest.fixture
def pending(owner):
    return apply(owner)


@pytest.fixture
def active(pending, wx_staff):
    return services.institution_approve(reviewer=wx_staff, institution=pending)


@pytest.fixture
def cma(active):
    return active.qualifications.get()


@pytest.fixture
def offering(active, owner, subcategory, cma):
    return services.offering_create(
        actor=owner, institution=active, data=offering_input(subcategory, qualification=cma)
    )


@pytest.fixture
def other_active(other_owner, lz_staff):
    institution = apply(
        other_owner,
        quals=[qualification(number="201920110999", issuer="广西壮族自治区市场监督管理局")],
        address="柳州市柳北区示范路2号",
        service_phone="0772-2812345",
    )
    return services.institution_approve(reviewer=lz_staff, institution=institution)


@pytest.fixture
def station(regions):
    return Station.objects.create(
        region=regions["320281"],
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="江阴市市场监督管理局服务站",
        address="江阴市澄江中路1号",
        person_in_charge="陈国强",
    )

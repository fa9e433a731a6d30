import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from onestop.catalog.models import ServiceCategory
from onestop.demands import services
from onestop.demands.models import ContactMethod
from onestop.demands.tests import factories as f

SH = ZoneInfo("Asia/Shanghai")
# A Wednesday with ordinary working days around it: response due Thursday
# 24:00, recommendation due the next Monday 24:00.
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SH)


def sh(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SH)


@pytest.fixture(autouse=True)
def _fixed_time(time_machine):
    """Clocks cross into years the calendar may not cover yet: pin the time."""
    time_machine.move_to(NOW, tick=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def categories(db):
    testing = ServiceCategory.objects.create(code="testing", name="检验检测", position=4)
    services_ = ServiceCategory.objects.create(
        code="testing-services", name="检验检测服务", parent=testing, position=1
    )
    products = ServiceCategory.objects.create(
        code="testing-products", name="产品检测", parent=testing, position=2
    )
    metrology = ServiceCategory.objects.create(code="metrology", name="计量", position=1)
    calibration = ServiceCategory.objects.create(
        code="metrology-calibration", name="计量校准", parent=metrology, position=1
    )
    return {
        "testing": testing,
        "testing-services": services_,
        "testing-products": products,
        "metrology": metrology,
        "metrology-calibration": calibration,
    }


@pytest.fixture
def calibration(categories):
    return categories["metrology-calibration"]


@pytest.fixture
def jiangyin(regions):
    return regions["320281"]


@pytest.fixture
def station(jiangyin):
    return f.station(jiangyin)


@pytest.fixture
def worker(make_user, station):
    """Staff of the Jiangyin station."""
    return f.station_staff(make_user, station, display_name="江阴站小王")


@pytest.fixture
def colleague(make_user, station):
    return f.station_staff(make_user, station, display_name="江阴站小李")


@pytest.fixture
def center(make_user, regions):
    """Wuxi service-center staff (over Jiangyin)."""
    return make_user("center_staff", "320200", kind="staff", display_name="无锡中心小赵")


@pytest.fixture
def lz_center(make_user, regions):
    """Liuzhou service-center staff: another region altogether."""
    return make_user("center_staff", "450200", kind="staff", display_name="柳州中心小周")


@pytest.fixture
def person(make_user, regions):
    """A verified individual in Jiangyin."""
    user = make_user("individual", "320281", kind="individual", email="person@example.cn")
    f.verify_person(user)
    return user


@pytest.fixture
def stranger(make_user, regions):
    user = make_user("individual", "320281", kind="individual")
    f.verify_person(user, id_number="110105194912310021")
    return user


@pytest.fixture
def unverified(make_user, regions):
    return make_user("individual", "320281", kind="individual")


@pytest.fixture
def company(jiangyin):
    return f.enterprise(jiangyin)


@pytest.fixture
def company_owner(make_user, company):
    user = make_user("enterprise", "320281", kind="enterprise")
    f.member(user, company)
    return user


@pytest.fixture
def provider_person(make_user, regions):
    """Someone working for the institution the demand gets docked with."""
    return make_user("enterprise", "320281", kind="enterprise")


@pytest.fixture
def provider(jiangyin, provider_person):
    return f.institution(
        jiangyin, "江阴示范计量所", rating="4.50", rating_count=8, people=[provider_person]
    )


@pytest.fixture
def offering(provider, calibration):
    return f.offering(provider, calibration)


@pytest.fixture
def other_offering(regions, calibration):
    other = f.institution(regions["320205"], "锡山示范计量所", rating="4.00", rating_count=3)
    return f.offering(other, calibration, name="压力表检定", scope="压力表检定 JJG 52")


def publish(user, category, region, **overrides):
    values = {
        "title": "压力表校准",
        "description": "我公司有 20 块一般压力表需要校准，量程 0-1.6MPa，希望月底前完成。",
        "contact_name": "张明",
        "contact_method": ContactMethod.PHONE,
        "contact_phone": "13812345678",
        "desired_date": None,
        "attachments": [],
    }
    values.update(overrides)
    return services.demand_publish(user=user, category=category, region=region, **values)


@pytest.fixture
def demand(person, calibration, jiangyin):
    return publish(person, calibration, jiangyin)


@pytest.fixture
def responded(demand, worker):
    return services.demand_respond(
        actor=worker, demand=demand, note="已电话联系，确认 20 块压力表。"
    )


@pytest.fixture
def recommended(responded, worker, offering, other_offering):
    services.demand_recommend(
        actor=worker,
        demand=responded,
        picks=[
            services.Pick(offering_id=offering.pk, position=1),
            services.Pick(offering_id=other_offering.pk, position=2),
        ],
        note="两家均可上门。",
    )
    responded.refresh_from_db()
    return responded

"""Fixtures for the complaints tests. The Jiangyin institution, its people,
customers, the Jiangyin station and staff of several regions come from the
orders fixtures (imported, not copied); here: a second station with its own
scoped staff member, a customer with a mobile number, a Liuzhou institution,
builders for complaints in each state, and the clock pinned to Wednesday
18 November 2026, 10:00 in Shanghai."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from onestop.accounts.models import Role
from onestop.accounts.services import role_grant
from onestop.accounts.sms_codes import mobile_index
from onestop.complaints import services
from onestop.complaints.models import Complaint, ComplaintType, Target
from onestop.institutions.models import Institution, InstitutionKind, InstitutionStatus
from onestop.orders.tests import conftest as orders_fixtures
from onestop.orders.tests.conftest import NOW, enterprise_in, png, sh
from onestop.stations.models import Station, StationKind, Tier

# The orders fixtures this package builds on (imported, not copied).
buyer = orders_fixtures.buyer
buyer_enterprise = orders_fixtures.buyer_enterprise
category = orders_fixtures.category
cma = orders_fixtures.cma
customer = orders_fixtures.customer
institution = orders_fixtures.institution
jy_station_staff = orders_fixtures.jy_station_staff
lab_enterprise = orders_fixtures.lab_enterprise
lab_member = orders_fixtures.lab_member
lab_owner = orders_fixtures.lab_owner
lz_center = orders_fixtures.lz_center
offering = orders_fixtures.offering
order = orders_fixtures.order
place = orders_fixtures.place
station = orders_fixtures.station
stranger = orders_fixtures.stranger
wx_authority = orders_fixtures.wx_authority
wx_center = orders_fixtures.wx_center

SH = ZoneInfo("Asia/Shanghai")
CUSTOMER_MOBILE = "13912345678"


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _sms_outbox():
    from onestop.notifications.sms import MemorySmsGateway

    MemorySmsGateway.outbox.clear()
    yield
    MemorySmsGateway.outbox.clear()


@pytest.fixture
def with_mobile(customer):
    """The Jiangyin customer with a registered mobile number (found by staff)."""
    customer.mobile = CUSTOMER_MOBILE
    customer.mobile_index = mobile_index(CUSTOMER_MOBILE)
    customer.save(update_fields=["mobile", "mobile_index"])
    return customer


@pytest.fixture
def other_station(regions):
    """A second Jiangyin station."""
    return Station.objects.create(
        region=regions["320281"],
        tier=Tier.STATION,
        kind=StationKind.INSTITUTION,
        name="江阴临港服务站",
        address="江阴市临港大道1号",
        person_in_charge="周敏",
    )


@pytest.fixture
def scoped_station_staff(make_user, regions, station):
    """Station staff who work at the Jiangyin station only."""
    user = make_user(kind="staff", display_name="江阴站小林")
    role_grant(
        actor=None, user=user, role=Role.STATION_STAFF, region=regions["320281"], scope=station
    )
    return user


@pytest.fixture
def lz_institution(regions):
    lab = enterprise_in(regions["450202"], name="柳州示范检测有限公司", uscc="91450200MA5K6L7N8N")
    now = timezone.now()
    return Institution.objects.create(
        enterprise=lab,
        name="柳州示范检测所",
        kind=InstitutionKind.TESTING_LAB,
        region=regions["450202"],
        address="柳州市城中区1号",
        service_phone="0772-2812345",
        status=InstitutionStatus.ACTIVE,
        agreement_version="2026-1",
        agreement_accepted_at=now,
        applied_at=now,
        decided_at=now,
    )


@pytest.fixture
def file(customer, institution):
    """file(**overrides) -> a complaint the customer filed online about the institution."""

    def _file(**overrides) -> Complaint:
        values = {
            "user": customer,
            "target": Target.INSTITUTION,
            "institution_id": institution.pk,
            "complaint_type": ComplaintType.TIMELINESS,
            "content": "承诺 5 个工作日出证书，已过 10 个工作日仍未拿到。",
            "request": "尽快出具证书并说明原因。",
        }
        values.update(overrides)
        return services.complaint_file(**values)

    return _file


@pytest.fixture
def complaint(file):
    return file()


@pytest.fixture
def advance(wx_center, lab_owner, customer):
    """advance(complaint, to) -> the complaint moved along the usual path to ``to``."""
    steps = [
        ("investigating", lambda c: services.complaint_acknowledge(actor=wx_center, complaint=c)),
        ("forwarded", lambda c: services.complaint_forward(actor=wx_center, complaint=c)),
        (
            "responded",
            lambda c: services.complaint_respond(
                actor=lab_owner, complaint=c, response="已核实，系设备故障导致延误，已补发证书。"
            ),
        ),
        (
            "concluded",
            lambda c: services.complaint_conclude(
                actor=wx_center, complaint=c, conclusion="投诉属实，机构已整改。", upheld=True
            ),
        ),
        (
            "fed_back",
            lambda c: services.complaint_feed_back(
                actor=wx_center, complaint=c, feedback="机构已补发证书并致歉。"
            ),
        ),
        (
            "closed",
            lambda c: services.complaint_close(
                actor=customer, complaint=c, satisfaction="satisfied"
            ),
        ),
    ]

    def _advance(complaint: Complaint, to: str) -> Complaint:
        for status, step in steps:
            complaint = step(complaint)
            if status == to:
                return complaint
        raise AssertionError(f"no step reaches {to}")

    return _advance


__all__ = ["SH", "png", "sh"]

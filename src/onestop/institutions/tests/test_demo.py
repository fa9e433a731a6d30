"""The demo directory (issue 4 part 8): loaded on top of the regions, the
catalog and the demo stations, as onestop.core.demo does."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from stdnum.cn import uscc

from onestop.audit.models import AuditEvent
from onestop.catalog.models import ServiceCategory
from onestop.catalog.services import catalog_load_bundled
from onestop.enterprises.models import Enterprise, EnterpriseStatus
from onestop.institutions.demo import demo_uscc, institutions_demo_load
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Offering,
    OfferingStatus,
    Qualification,
    StatusChange,
)
from onestop.search.models import DocKind, SearchDocument
from onestop.stations.demo import stations_demo_load

CITIES = {"450200": "柳州市", "650500": "哈密市", "320200": "无锡市"}


def _city(region) -> str:
    return region.path.split("/")[1]


@pytest.fixture
def admin(make_user, regions):
    return make_user("sysadmin", None, kind="staff", username="admin")


@pytest.fixture
def loaded(admin):
    catalog_load_bundled()
    stations_demo_load(actor=admin)
    institutions_demo_load(actor=admin)
    return admin


def _counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.count(),
        "institutions": Institution.objects.count(),
        "changes": StatusChange.objects.count(),
        "qualifications": Qualification.objects.count(),
        "offerings": Offering.objects.count(),
        "offering_stations": Offering.stations.through.objects.count(),
        "audit": AuditEvent.objects.count(),
        "documents": SearchDocument.objects.count(),
    }


def _check_volume_kinds_and_cities():
    institutions = list(Institution.objects.select_related("region"))

    assert len(institutions) >= 40
    assert {i.kind for i in institutions} == set(InstitutionKind.values)
    by_city = {code: [i for i in institutions if _city(i.region) == code] for code in CITIES}
    assert all(len(found) >= 10 for found in by_city.values()), by_city
    assert any(i.region.code.startswith("320281") for i in institutions)  # Jiangyin
    for institution in institutions:
        assert 1 <= institution.qualifications.count() <= 3, institution


def _check_offerings_cover_every_top_level_category():
    public = Offering.objects.filter(
        status=OfferingStatus.PUBLISHED, institution__status=InstitutionStatus.ACTIVE
    ).select_related("category__parent")

    assert Offering.objects.count() >= 300
    assert public.count() >= 300
    covered = {o.category.parent.code for o in public if o.category.parent is not None}
    tops = set(ServiceCategory.objects.filter(parent__isnull=True).values_list("code", flat=True))
    assert len(tops) == 12
    assert covered == tops
    assert not public.filter(category__parent__isnull=True).exists()  # sub-categories only
    assert public.filter(service_item__isnull=False).count() >= 200
    for offering in public.exclude(price_min=None):
        assert Decimal(0) <= offering.price_min <= offering.price_max


def _check_pressure_gauge_calibration_at_a_metrology_institute_in_each_city():
    offerings = Offering.objects.filter(
        name="压力表校准",
        status=OfferingStatus.PUBLISHED,
        institution__kind=InstitutionKind.METROLOGY,
        institution__status=InstitutionStatus.ACTIVE,
    ).select_related("institution__region", "qualification")

    assert {_city(o.institution.region) for o in offerings} == set(CITIES)
    for offering in offerings:
        assert "JJG 52-2013" in offering.scope
        assert offering.qualification is not None


def _check_enterprises_are_verified_with_valid_unique_codes_of_their_city():
    institutions = Institution.objects.select_related("enterprise", "region")
    codes = [i.enterprise.uscc for i in institutions]

    assert len(codes) == len(set(codes))
    for institution in institutions:
        enterprise = institution.enterprise
        assert uscc.is_valid(enterprise.uscc), enterprise.uscc
        assert enterprise.uscc[2:8] == institution.region.code[:6]
        assert enterprise.uscc[2:6] == _city(institution.region)[:4]
        assert enterprise.status == EnterpriseStatus.VERIFIED
        assert enterprise.region_id == institution.region_id


def test_codes_are_what_gb_32100_expects():
    code = demo_uscc(org_type="91", region_code="320281001", seed="江苏澄信")
    assert uscc.is_valid(code)
    assert code.startswith("91320281MA")
    assert demo_uscc(org_type="12", region_code="450205", seed="x")[8:16].isdigit()
    assert demo_uscc(org_type="51", region_code="650502", seed="x").startswith("51650502MJ")


def _check_statuses_and_their_public_history():
    statuses = list(Institution.objects.values_list("status", flat=True))

    for status in (
        InstitutionStatus.PENDING,
        InstitutionStatus.SUSPENDED,
        InstitutionStatus.EXITED,
    ):
        assert statuses.count(status) == 1
    assert statuses.count(InstitutionStatus.ACTIVE) == len(statuses) - 3
    for status in (InstitutionStatus.SUSPENDED, InstitutionStatus.EXITED):
        institution = Institution.objects.get(status=status)
        last = institution.status_changes.first()  # newest first
        assert (last.from_status, last.to_status) == (InstitutionStatus.ACTIVE, status)
        assert last.reason
        assert [c.to_status for c in institution.status_changes.all()][::-1] == [
            InstitutionStatus.PENDING,
            InstitutionStatus.ACTIVE,
            status,
        ]
        assert last.at > institution.decided_at
    pending = Institution.objects.get(status=InstitutionStatus.PENDING)
    assert pending.decided_at is None
    assert not pending.offerings.exists()
    exited = Institution.objects.get(status=InstitutionStatus.EXITED)
    assert not exited.offerings.filter(status=OfferingStatus.PUBLISHED).exists()
    for institution in Institution.objects.filter(status=InstitutionStatus.ACTIVE):
        assert Decimal("3.5") <= institution.rating <= Decimal("5.0")
        assert institution.rating_count > 0


def _check_two_qualifications_expire_within_30_days_and_one_has_expired():
    today = timezone.localdate()
    soon = Qualification.objects.filter(
        valid_to__gte=today, valid_to__lte=today + dt.timedelta(days=30)
    )
    expired = Qualification.objects.filter(valid_to__lt=today)

    assert soon.count() == 2
    assert expired.count() == 1
    assert expired.get().institution.status == InstitutionStatus.SUSPENDED
    numbers = list(Qualification.objects.values_list("kind", "number"))
    assert len(numbers) == len(set(numbers))
    assert Qualification.objects.filter(kind="CMA", number__regex=r"^\d{12}$").count() >= 15
    assert Qualification.objects.filter(number="(桂)法计(2021)01001号").exists()


def _check_some_offerings_are_served_at_stations_of_the_same_city():
    links = Offering.stations.through.objects.select_related(
        "offering__institution__region", "station__region"
    )

    assert links.count() >= 20
    assert {_city(link.station.region) for link in links} == set(CITIES)
    for link in links:
        assert _city(link.station.region) == _city(link.offering.institution.region)


def _check_the_search_index_is_rebuilt():
    active = Institution.objects.filter(status=InstitutionStatus.ACTIVE).count()

    assert SearchDocument.objects.filter(kind=DocKind.INSTITUTION).count() == active
    assert SearchDocument.objects.filter(kind=DocKind.OFFERING, title="压力表校准").count() >= 3


@pytest.mark.clause("LZ 6.2.3")
@pytest.mark.clause("WX 7.1.2")
def test_the_demo_directory(loaded):
    # One load for all the checks: loading takes seconds.
    _check_volume_kinds_and_cities()
    _check_offerings_cover_every_top_level_category()
    _check_pressure_gauge_calibration_at_a_metrology_institute_in_each_city()
    _check_enterprises_are_verified_with_valid_unique_codes_of_their_city()
    _check_statuses_and_their_public_history()
    _check_two_qualifications_expire_within_30_days_and_one_has_expired()
    _check_some_offerings_are_served_at_stations_of_the_same_city()
    _check_the_search_index_is_rebuilt()


def test_loading_twice_changes_nothing(loaded):
    before = _counts()
    rows = list(Offering.objects.order_by("pk").values_list("pk", "name", "price_min"))

    institutions_demo_load(actor=loaded)

    assert _counts() == before
    assert list(Offering.objects.order_by("pk").values_list("pk", "name", "price_min")) == rows
    assert AuditEvent.objects.filter(action="demo.institutions_load").count() == 1


def test_loads_without_the_demo_stations(admin):
    catalog_load_bundled()

    institutions_demo_load(actor=admin)

    assert Offering.objects.count() >= 300
    assert not Offering.stations.through.objects.exists()

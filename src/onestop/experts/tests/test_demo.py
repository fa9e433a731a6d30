import pytest
from django.core.validators import validate_email
from django.db import connection

from onestop.audit.models import AuditEvent
from onestop.catalog.services import catalog_load_bundled
from onestop.experts.demo import experts_demo_load
from onestop.experts.models import Availability, Expert
from onestop.experts.services import NAME_MAX, NAME_MIN, normalise_phone
from onestop.search.models import DocKind, SearchDocument

CITIES = {"450200", "650500", "320200"}


@pytest.fixture
def admin(make_user, regions):
    return make_user("sysadmin", None, kind="staff", username="admin")


@pytest.fixture
def loaded(admin):
    catalog_load_bundled()
    experts_demo_load(actor=admin)
    return admin


@pytest.mark.clause("HM 4.1.2.1")
@pytest.mark.clause("LZ 6.2.3")
def test_a_pool_in_each_city_that_passes_the_services_rules(loaded):
    experts = list(Expert.objects.select_related("region").prefetch_related("categories"))

    assert len(experts) >= 30
    cities = [e.region.path.split("/")[1] for e in experts]
    assert all(cities.count(city) >= 8 for city in CITIES)
    assert {e.availability for e in experts} == set(Availability.values)
    assert len({e.title for e in experts}) >= 5
    for expert in experts:
        assert expert.active
        assert NAME_MIN <= len(expert.name) <= NAME_MAX
        assert expert.categories.all(), expert
        assert expert.title
        assert expert.organisation
        assert expert.specialties
        assert normalise_phone(expert.contact_phone) == expert.contact_phone
        validate_email(expert.contact_email)
        assert expert.contact_email.endswith("@example.cn")
    phones = [e.contact_phone for e in experts]
    assert len(phones) == len(set(phones))


def test_contacts_are_stored_encrypted(loaded):
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone, contact_email FROM experts_expert")
        rows = cursor.fetchall()

    assert rows
    for phone, email in rows:
        assert not phone.startswith("1")
        assert "@" not in email


def test_the_search_index_has_the_pool_without_contacts(loaded):
    documents = SearchDocument.objects.filter(kind=DocKind.EXPERT)

    assert documents.count() == Expert.objects.count()
    text = " ".join(f"{d.title} {d.subtitle} {d.body} {d.tokens}" for d in documents)
    assert "example.cn" not in text
    for phone in Expert.objects.values_list("contact_phone", flat=True):
        assert phone[-4:] not in text


def test_loading_twice_changes_nothing(loaded):
    before = list(Expert.objects.order_by("pk").values_list("pk", "name", "availability"))
    links = Expert.categories.through.objects.count()

    experts_demo_load(actor=loaded)

    assert list(Expert.objects.order_by("pk").values_list("pk", "name", "availability")) == before
    assert Expert.categories.through.objects.count() == links
    assert AuditEvent.objects.filter(action="demo.experts_load").count() == 1

"""The archive read from the other apps' rows: every section filled, nothing
of another enterprise, long sections limited, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onestop.archive import selectors
from onestop.complaints.models import Complaint
from onestop.demands.models import ContactMethod, Demand, DemandSource
from onestop.enterprises.models import Membership
from onestop.experts.models import QaRegistration

from .conftest import records

pytestmark = pytest.mark.django_db


def _texts(archive: selectors.Archive) -> set[str]:
    """Every identifying string the archive's sections carry."""
    return {
        *(d.number for d in archive.demands.rows),
        *(v.needs_found for v in archive.visits.rows),
        *(o.number for o in archive.orders.rows),
        *(f.outcome for f in archive.follow_ups.rows),
        *(s.number for s in archive.samples.rows),
        *(r.session.topic for r in archive.consultations.rows),
        *(e.comment for e in archive.evaluations.rows),
        *(c.number for c in archive.complaints.rows),
        *(r.title for r in archive.reports.rows),
        *(n.old_name for n in archive.name_changes),
    }


@pytest.mark.clause("HM 6.1")
@pytest.mark.clause("HM 6.2")
@pytest.mark.clause("LZ 6.5.3")
def test_every_section_is_filled_from_its_app_and_nothing_of_another_enterprise(world):
    # given records of every kind for ACME and for its neighbour
    mine = records(world, world.acme, world.owner, tag="澄星")
    theirs = records(world, world.neighbour, world.neighbour_owner, tag="邻家")
    # when ACME's archive is read
    archive = selectors.archive_of(enterprise=world.acme)
    # then each section holds ACME's record ...
    assert archive.demands.total == archive.visits.total == archive.orders.total == 1
    assert archive.follow_ups.total == archive.samples.total == 1
    assert archive.consultations.total == archive.evaluations.total == 1
    assert archive.complaints.total == 2  # for the enterprise, and one a member made alone
    assert archive.reports.total == 2  # the order's certificate and the sample's report
    texts = _texts(archive)
    for text in mine.all():
        if text in (mine.order_report, mine.sample_report):
            assert any(text in title for title in texts), text
        else:
            assert text in texts, text
    # ... with its details from the other apps
    assert archive.verification is not None
    assert archive.verification.status == "approved"
    assert archive.evaluations.rows[0].rectification.status == "open"
    assert archive.visits.rows[0].station == world.station
    assert all(r.url.startswith("/documents/") for r in archive.reports.rows)
    # and nothing of the neighbour's
    flat = " ".join(texts)
    for text in theirs.all():
        assert text not in flat, text


@pytest.mark.clause("HM 6.3")
def test_members_are_named_with_masked_phones_only(world):
    archive = selectors.archive_of(enterprise=world.acme)
    assert [(m.name, m.masked_mobile) for m in archive.members] == [
        ("澄星周总", "138****8021"),
        ("澄星吴工", "138****8022"),
    ]


@pytest.mark.clause("HM 6.3")
def test_a_members_records_count_only_while_a_member_and_not_for_another_enterprise(world):
    # given the member also complains for the neighbour, and before joining ACME
    Membership.objects.create(enterprise=world.neighbour, user=world.member, role="member")
    mine = records(world, world.acme, world.member, tag="本企业")
    for_neighbour = records(world, world.neighbour, world.member, tag="邻企业")
    early = Complaint.objects.filter(number=mine.personal_complaint)
    early.update(received_at=timezone.now() - dt.timedelta(days=400))
    # and a registration made after leaving ACME
    Membership.objects.filter(enterprise=world.acme, user=world.member).update(
        removed_at=timezone.now()
    )
    late = QaRegistration.objects.get(session__topic=for_neighbour.consultation)
    QaRegistration.objects.filter(pk=late.pk).update(
        created_at=timezone.now() + dt.timedelta(minutes=5)
    )
    # when ACME's archive is read
    archive = selectors.archive_of(enterprise=world.acme)
    numbers = {c.number for c in archive.complaints.rows}
    topics = {r.session.topic for r in archive.consultations.rows}
    # then only what was done for ACME, or alone while a member of ACME, shows
    assert mine.complaint in numbers
    assert mine.personal_complaint not in numbers  # made before joining
    assert for_neighbour.complaint not in numbers  # made for the neighbour
    assert mine.consultation in topics
    assert for_neighbour.consultation not in topics  # made after leaving
    assert for_neighbour.personal_complaint in numbers  # made alone while still a member


@pytest.mark.clause("HM 6.1")
def test_long_sections_keep_the_newest_50_and_say_how_many_there_are(world):
    Demand.objects.bulk_create(
        Demand(
            number=f"XQ20261118{9000 + i:05d}",
            requester=world.owner,
            enterprise=world.acme,
            contact_name="周总",
            contact_method=ContactMethod.PHONE,
            category=world.category,
            title=f"需求{i}",
            description="—",
            region=world.acme.region,
            source=DemandSource.ONLINE,
        )
        for i in range(53)
    )
    demands = selectors.archive_of(enterprise=world.acme).demands
    assert len(demands.rows) == selectors.SECTION_LIMIT == 50
    assert demands.total == 53
    assert demands.left_out == 3
    assert [d.title for d in demands.rows[:2]] == ["需求52", "需求51"]
    assert selectors.archive_of(enterprise=world.neighbour).demands.total == 0


@pytest.mark.clause("HM 6.1")
def test_the_archive_is_read_in_thirteen_queries_however_many_records(
    world, django_assert_num_queries
):
    records(world, world.acme, world.owner, tag="一")
    with django_assert_num_queries(13):
        selectors.archive_of(enterprise=world.acme)
    for index in range(3):
        records(world, world.acme, world.member, tag=f"再{index}")
    with django_assert_num_queries(13):
        archive = selectors.archive_of(enterprise=world.acme)
    assert archive.orders.total == 4


def test_staff_position_names_the_station_or_the_region(world):
    assert selectors.staff_position(world.station_staff, world.acme.region) == (
        "station_staff",
        "江阴市市场监督管理局服务站",
    )
    assert selectors.staff_position(world.wx_center, world.acme.region) == (
        "center_staff",
        "无锡市",
    )
    assert selectors.staff_position(world.hm_center, world.acme.region) == ("", "")

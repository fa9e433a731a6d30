"""Openings and exports: a stated purpose, the region scope, a log row for
the enterprise and an audit event each; bad input stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.archive import services
from onestop.archive.models import AccessKind, ArchiveAccess, Purpose
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


@pytest.mark.clause("HM 6.3")
def test_staff_open_with_a_purpose_is_logged_and_audited(world):
    access = services.archive_open(
        actor=world.station_staff,
        enterprise=world.acme,
        purpose=Purpose.DEMAND,
        detail="  XQ2026111800001   回访前核对  ",
        ip="10.0.0.8",
    )
    assert (access.kind, access.purpose, access.by_member) == (AccessKind.OPEN, "demand", False)
    assert access.detail == "XQ2026111800001 回访前核对"
    assert (access.role, access.organisation) == ("station_staff", "江阴市市场监督管理局服务站")
    assert access.ip == "10.0.0.8"
    event = AuditEvent.objects.get(action="archive.open")
    assert event.actor_id == world.station_staff.pk
    assert event.object_id == str(world.acme.pk)
    assert event.changes["purpose"] == "demand"


@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize(
    ("purpose", "detail", "field"),
    [
        ("", "", "purpose"),
        ("own_copy", "", "purpose"),  # not a purpose staff may give
        ("browsing", "", "purpose"),
        ("other", "   ", "detail"),
        ("order", "长" * 201, "detail"),
    ],
)
def test_a_missing_or_bad_purpose_stores_nothing(world, purpose, detail, field):
    with pytest.raises(InvalidInput) as raised:
        services.archive_open(
            actor=world.wx_center, enterprise=world.acme, purpose=purpose, detail=detail
        )
    assert raised.value.field == field
    assert not ArchiveAccess.objects.exists()
    assert not AuditEvent.objects.filter(action="archive.open").exists()


@pytest.mark.clause("HM 6.3")
def test_staff_outside_the_region_cannot_open_and_nothing_is_logged(world):
    with pytest.raises(NotFound):
        services.archive_open(actor=world.hm_center, enterprise=world.acme, purpose="supervision")
    with pytest.raises(NotFound):
        services.archive_open(actor=world.authority, enterprise=world.acme, purpose="supervision")
    assert not ArchiveAccess.objects.exists()


@pytest.mark.clause("HM 6.3")
def test_a_refused_attempt_is_audited(world):
    services.archive_refusal_record(actor=world.hm_station_staff, enterprise_id=world.acme.pk)
    services.archive_refusal_record(actor=world.hm_station_staff, enterprise_id=999_999)
    events = list(AuditEvent.objects.filter(action="archive.refused").order_by("seq"))
    assert [e.object_id for e in events] == [str(world.acme.pk), ""]
    assert events[1].changes == {"enterprise_id": 999_999}


@pytest.mark.clause("HM 6.3")
def test_a_member_exports_the_own_archive_and_others_cannot(world):
    access = services.archive_export(actor=world.member, enterprise=world.acme)
    assert (access.kind, access.purpose, access.by_member) == ("export", "own_copy", True)
    assert AuditEvent.objects.filter(action="archive.export", actor_id=world.member.pk).exists()
    with pytest.raises(NotFound):
        services.archive_export(actor=world.neighbour_owner, enterprise=world.acme)
    assert ArchiveAccess.objects.count() == 1


@pytest.mark.clause("HM 6.3")
def test_staff_export_needs_a_fresh_opening_for_export(world):
    other = services.archive_open(actor=world.wx_center, enterprise=world.acme, purpose="order")
    with pytest.raises(services.ExportNeedsPurpose):
        services.archive_export(actor=world.wx_center, enterprise=world.acme, opening=other)
    opening = services.archive_open(actor=world.wx_center, enterprise=world.acme, purpose="export")
    with pytest.raises(services.ExportNeedsPurpose):  # someone else's opening
        services.archive_export(actor=world.station_staff, enterprise=world.acme, opening=opening)
    with pytest.raises(services.ExportNeedsPurpose):  # too old
        services.archive_export(
            actor=world.wx_center,
            enterprise=world.acme,
            opening=opening,
            now=opening.at + dt.timedelta(minutes=31),
        )
    export = services.archive_export(actor=world.wx_center, enterprise=world.acme, opening=opening)
    assert (export.kind, export.purpose, export.organisation) == ("export", "export", "无锡市")
    assert AuditEvent.objects.filter(action="archive.export").count() == 1


def test_access_rows_are_never_changed(world):
    access = services.archive_open(actor=world.wx_center, enterprise=world.acme, purpose="order")
    access.detail = "改过"
    with pytest.raises(ValueError, match="never changed"):
        access.save()

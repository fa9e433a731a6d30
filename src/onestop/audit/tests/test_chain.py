import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from onestop.audit import chain
from onestop.audit.models import AuditEvent, AuditHead
from onestop.audit.services import audit_record


def _record_three(user):
    for action in ("demo.one", "demo.two", "demo.three"):
        audit_record(action=action, actor=user, changes={"n": action, "when": "2026-10-01"})


def test_records_link_into_a_chain(make_user):
    user = make_user()
    _record_three(user)

    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert AuditHead.objects.get().hash == events[-1].hash
    assert chain.verify() == (3, None)


def test_verify_command_passes_on_an_intact_chain(make_user, capsys):
    _record_three(make_user())

    call_command("audit", "verify")

    assert "3 rows verified" in capsys.readouterr().out


def _raw_update(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.clause("WX 4.1.4")
def test_verify_names_the_first_row_edited_by_hand(make_user):
    _record_three(make_user())
    second = AuditEvent.objects.get(seq=2)

    # Someone edits the row directly in the database, bypassing the app.
    _raw_update(
        f"UPDATE {AuditEvent._meta.db_table} SET action = %s WHERE id = %s", ["x", second.pk]
    )

    with pytest.raises(CommandError, match=r"seq=2 .*edited"):
        call_command("audit", "verify")


def test_verify_detects_a_removed_middle_row(make_user):
    _record_three(make_user())
    _raw_update(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = %s", [2])

    checked, broken = chain.verify()

    assert checked == 1
    assert broken is not None
    assert broken.seq == 2
    assert "missing" in broken.reason


def test_verify_detects_a_removed_tail(make_user):
    _record_three(make_user())
    _raw_update(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = %s", [3])

    _checked, broken = chain.verify()

    assert broken is not None
    assert "end of the chain" in broken.reason


def test_verify_detects_a_rewritten_hash_link(make_user):
    _record_three(make_user())
    third = AuditEvent.objects.get(seq=3)
    _raw_update(
        f"UPDATE {AuditEvent._meta.db_table} SET prev_hash = %s WHERE id = %s", ["f" * 64, third.pk]
    )

    _checked, broken = chain.verify()

    assert broken is not None
    assert broken.seq == 3
    assert "previous-hash" in broken.reason


def test_events_cannot_be_changed_or_deleted_through_the_orm(make_user):
    event = audit_record(action="demo.one", actor=make_user())

    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_record_takes_region_from_the_actor_assignment(make_user, regions):
    staff = make_user("center_staff", "450200")

    event = audit_record(action="demo.one", actor=staff)

    assert event.region == regions["450200"]
    assert event.role == "center_staff@450200"


def test_record_survives_only_with_its_transaction(make_user):
    from django.db import transaction

    user = make_user()
    before = AuditEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(action="demo.rolled_back", actor=user)
        1 / 0  # noqa: B018

    assert AuditEvent.objects.count() == before
    assert chain.verify()[1] is None

"""Two staff members move the same complaint at once on PostgreSQL, each on
its own connection: one wins, the other sees the result; two complaints
filed at once get two numbers. (The PostgreSQL pass: DATABASE_URL set, -m production.)"""

from __future__ import annotations

import pytest

from onestop.complaints import selectors, services
from onestop.complaints.models import Complaint, ComplaintEvent, ComplaintStatus
from onestop.core.errors import InvalidTransition
from onestop.core.models import SlaClock
from onestop.orders.tests.test_concurrency import at_once

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]

S = ComplaintStatus


@pytest.fixture
def wx_center_2(make_user, regions):
    return make_user("center_staff", "320200", kind="staff", display_name="无锡中心小周")


@pytest.mark.clause("WX 7.4.3")
def test_accept_and_not_accept_at_once_one_wins(complaint, wx_center, wx_center_2):
    # Two staff decide on the same new complaint at once: either it is
    # accepted or it is not, never both. (Forward and conclude are no longer
    # exclusive: the center may conclude a forwarded complaint.)
    results = at_once(
        lambda: services.complaint_acknowledge(actor=wx_center, complaint=complaint),
        lambda: services.complaint_not_accept(
            actor=wx_center_2, complaint=complaint, reason="不属于平台受理范围。"
        ),
    )
    won = [r for r in results if isinstance(r, Complaint)]
    lost = [r for r in results if isinstance(r, InvalidTransition)]
    assert (len(won), len(lost)) == (1, 1)
    complaint.refresh_from_db()
    assert complaint.status == won[0].status
    assert complaint.status in (S.INVESTIGATING, S.NOT_ACCEPTED)
    assert list(
        ComplaintEvent.objects.filter(complaint=complaint).values_list("to_status", flat=True)
    ) == [S.RECEIVED, complaint.status]
    # Not accepting stops the clock; accepting leaves it running.
    clocks = selectors.clocks_of(complaint)
    assert len(clocks) == 1
    assert (clocks[0].stopped_at is not None) == (complaint.status == S.NOT_ACCEPTED)


def test_two_staff_forwarding_at_once_forward_once(complaint, wx_center, wx_center_2):
    services.complaint_acknowledge(actor=wx_center, complaint=complaint)
    results = at_once(
        lambda: services.complaint_forward(actor=wx_center, complaint=complaint),
        lambda: services.complaint_forward(actor=wx_center_2, complaint=complaint),
    )
    assert sorted(type(r).__name__ for r in results) == ["Complaint", "InvalidTransition"]
    assert ComplaintEvent.objects.filter(complaint=complaint, to_status=S.FORWARDED).count() == 1


def test_complaints_filed_at_once_get_different_numbers(file, customer, buyer):
    results = at_once(lambda: file(), lambda: file(user=buyer))
    assert all(isinstance(r, Complaint) for r in results)
    assert sorted(r.number for r in results) == ["TS-2026-000001", "TS-2026-000002"]  # type: ignore[union-attr]
    assert SlaClock.objects.filter(stopped_at__isnull=True).count() == 2

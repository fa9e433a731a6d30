"""Two moves of one corrective action at once on PostgreSQL, each on its own
connection: one wins, the other sees its result. (PostgreSQL pass:
DATABASE_URL set, -m production.)"""

from __future__ import annotations

import pytest

from onestop.core.errors import InvalidTransition
from onestop.orders.tests.test_concurrency import at_once
from onestop.supervision import services
from onestop.supervision.models import ActionEvent, ActionStatus, CorrectiveAction

from .conftest import issue

pytestmark = [
    pytest.mark.production,
    pytest.mark.django_db(transaction=True),
    pytest.mark.clause("HM 5.1"),
]


def test_verify_and_cancel_at_once_one_wins(wx_supervisor, make_user, institution, owner):
    colleague = make_user("center_staff", "320200", kind="staff")
    action = issue(wx_supervisor, target=institution)
    services.corrective_action_submit_evidence(actor=owner, action=action, evidence="已整改")

    results = at_once(
        lambda: services.corrective_action_verify(actor=wx_supervisor, action=action),
        lambda: services.corrective_action_cancel(actor=colleague, action=action, reason="撤销"),
    )

    won = [r for r in results if isinstance(r, CorrectiveAction)]
    lost = [r for r in results if isinstance(r, InvalidTransition)]
    assert (len(won), len(lost)) == (1, 1)
    action.refresh_from_db()
    assert action.status == won[0].status
    assert action.status in (ActionStatus.VERIFIED, ActionStatus.CANCELLED)
    assert ActionEvent.objects.filter(action=action).count() == 3


def test_two_evidence_submissions_at_once_store_one(wx_supervisor, make_user, institution, owner):
    from onestop.demands.tests import factories as f
    from onestop.enterprises.models import MemberRole

    partner = make_user("enterprise", "320281", kind="enterprise")
    f.member(partner, institution.enterprise, role=MemberRole.MEMBER)
    action = issue(wx_supervisor, target=institution)

    results = at_once(
        lambda: services.corrective_action_submit_evidence(
            actor=owner, action=action, evidence="甲提交"
        ),
        lambda: services.corrective_action_submit_evidence(
            actor=partner, action=action, evidence="乙提交"
        ),
    )

    assert sorted(type(r).__name__ for r in results) == ["CorrectiveAction", "InvalidTransition"]
    assert ActionEvent.objects.filter(action=action, to_status="evidence_submitted").count() == 1


def test_numbers_issued_at_once_differ(wx_supervisor, make_user, institution, station):
    colleague = make_user("center_staff", "320200", kind="staff")

    results = at_once(
        lambda: issue(wx_supervisor, target=institution),
        lambda: issue(colleague, target=station),
    )

    numbers = {r.number for r in results if isinstance(r, CorrectiveAction)}
    assert numbers == {"ZG-2026-000001", "ZG-2026-000002"}

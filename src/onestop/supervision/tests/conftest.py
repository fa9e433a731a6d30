"""A Jiangyin institution with its owner, a Jiangyin station with its staff,
supervisors of Wuxi (covering Jiangyin) and of Hami, orders and evaluation
rows for the credit grade; the clock pinned to a working Wednesday in 2026."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from onestop.catalog.models import ServiceCategory
from onestop.complaints.models import Channel, Complaint, ComplaintType, Target
from onestop.core.models import SlaClock, SlaOutcome
from onestop.demands.tests import factories as f
from onestop.evaluations.models import Evaluation, Invitation, SurveyForm
from onestop.institutions.models import Institution, Offering
from onestop.orders.models import ACCEPTANCE_CLOCK, Order, OrderStatus
from onestop.supervision import services
from onestop.supervision.models import CorrectiveAction, SourceKind, TargetKind

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SH)
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def jiangyin(regions):
    return regions["320281"]


@pytest.fixture
def wx_supervisor(make_user, regions):
    return make_user("center_staff", "320200", kind="staff", display_name="无锡中心陈静")


@pytest.fixture
def hm_supervisor(make_user, regions):
    return make_user("center_staff", "650500", kind="staff", display_name="哈密中心王磊")


@pytest.fixture
def owner(make_user, regions):
    return make_user("enterprise", "320281", kind="enterprise", display_name="澄信彭经理")


@pytest.fixture
def institution(jiangyin, owner) -> Institution:
    return f.institution(jiangyin, "江苏澄信检验检测认证股份有限公司", people=[owner])


@pytest.fixture
def station(jiangyin):
    return f.station(jiangyin)


@pytest.fixture
def station_worker(make_user, station):
    return f.station_staff(make_user, station, display_name="江阴站周磊")


@pytest.fixture
def category(db):
    return ServiceCategory.objects.create(code="metrology", name="计量")


@pytest.fixture
def offering(institution, category) -> Offering:
    return f.offering(institution, category)


def issue(actor, *, target=None, due_days: int = 10, **fields) -> CorrectiveAction:
    """Issue through the service; ``target`` is an Institution, Station or User."""
    from onestop.accounts.models import User
    from onestop.stations.models import Station

    if isinstance(target, Institution):
        kind, named = TargetKind.INSTITUTION, {"institution": target}
    elif isinstance(target, Station):
        kind, named = TargetKind.STATION, {"station": target}
    elif isinstance(target, User):
        kind, named = TargetKind.STAFF, {"staff_member": target}
    else:
        kind, named = fields.pop("target_kind"), {}
    data = {
        "target_kind": kind,
        "problem": "检测报告未按规定加盖CMA标志",
        "requirement": "重新出具报告并对相关人员进行培训",
        "source_kind": SourceKind.INSPECTION,
        "inspection_reference": "JC-2026-018",
        "due_on": timezone.localdate() + dt.timedelta(days=due_days),
        **named,
        **fields,
    }
    return services.corrective_action_issue(actor=actor, data=services.ActionInput(**data))


def make_overdue(action: CorrectiveAction, *, days: int = 1) -> CorrectiveAction:
    """Move the due date into the past (time passing, not a state)."""
    CorrectiveAction.objects.filter(pk=action.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=days)
    )
    action.refresh_from_db()
    return action


# --- credit inputs as rows ----------------------------------------------------------------


def order(offering: Offering, user, *, status=OrderStatus.COMPLETED, **fields) -> Order:
    return Order.objects.create(
        number=f"DD{20261118000000 + next(_serial)}",
        user=user,
        offering=offering,
        institution=offering.institution,
        region=offering.institution.region,
        status=status,
        description="压力表校准 5 只",
        contact_name="周主任",
        completed_at=timezone.now() if status == OrderStatus.COMPLETED else None,
        **fields,
    )


def survey() -> SurveyForm:
    form, _created = SurveyForm.objects.get_or_create(
        code="test-five",
        version=1,
        defaults={
            "title": "测试问卷",
            "definition": {"scale": [], "yes_no": [], "parts": [], "comment": {"label": "意见"}},
        },
    )
    return form


def evaluation(the_order: Order, *, score: str | None, bad: bool = False) -> Evaluation:
    """One submitted evaluation of a completed order (a stored row, as the
    evaluation service leaves it)."""
    form = survey()
    invitation = Invitation.objects.create(
        order=the_order, form=form, expires_at=timezone.now() + dt.timedelta(days=30)
    )
    return Evaluation.objects.create(
        invitation=invitation,
        order=the_order,
        form=form,
        institution_id=the_order.institution_id,
        region_id=the_order.region_id,
        rater_id=the_order.user_id,
        answers={},
        signed_on=timezone.localdate(),
        institution_score=Decimal(score) if score is not None else None,
        bad=bad,
    )


def complaint(institution: Institution, user, *, upheld: bool | None) -> Complaint:
    return Complaint.objects.create(
        number=f"TS-2026-{next(_serial):06d}",
        channel=Channel.ONLINE,
        complainant=user,
        complainant_name="周主任",
        target=Target.INSTITUTION,
        institution=institution,
        region=institution.region,
        type=ComplaintType.TIMELINESS,
        content="报告延误",
        request="尽快出具报告",
        received_at=timezone.now(),
        upheld=upheld,
    )


def acceptance_clock(the_order: Order, *, met: bool) -> SlaClock:
    now = timezone.now()
    return SlaClock.objects.create(
        subject_type=ContentType.objects.get_for_model(Order),
        subject_id=str(the_order.pk),
        kind=ACCEPTANCE_CLOCK,
        region=the_order.region,
        working_days=1,
        started_at=now - dt.timedelta(days=3),
        due_at=now - dt.timedelta(days=2),
        at_risk_at=now - dt.timedelta(days=2, hours=12),
        stopped_at=now - dt.timedelta(days=2, hours=1 if met else -1),
        outcome=SlaOutcome.MET if met else SlaOutcome.BREACHED,
    )

"""What follows the service in the matrix world (see authz_world): an
evaluation invitation and a bad review with its rectification case and
appeal, a corrective action, an important item and its review, a
published snapshot, the annual summary and improvement plan, an expert
and a Q&A session, a synonym group, an import job, a notification, and a
real-name application awaiting review with its ID card scan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from authz_world_parties import DISTRICT, LIUZHOU, Parties, new_user
from authz_world_records import Records

from onestop.documents.models import Document
from onestop.evaluations.models import Appeal, Evaluation, RectificationCase, SurveyForm
from onestop.evaluations.models import Invitation as SurveyInvitation
from onestop.experts.models import Expert, QaSession
from onestop.notifications.models import Notification
from onestop.orders.models import Order, OrderStatus
from onestop.regions.models import Region
from onestop.reporting.models import Snapshot
from onestop.search.models import SynonymGroup
from onestop.summaries.models import AnnualSummary, ImprovementItem, ImprovementPlan
from onestop.supervision.models import CorrectiveAction, ImportantItem, ItemReview
from onestop.transfer.models import ImportJob
from onestop.verification import services as verification
from onestop.verification.models import Application
from onestop.verification.tests.conftest import VALID_ID, png


@dataclass
class Oversight:
    """What the URLs' ids refer to."""

    survey_invitation: SurveyInvitation
    evaluation: Evaluation
    case: RectificationCase
    appeal: Appeal
    action: CorrectiveAction
    important: ImportantItem
    review: ItemReview
    snapshot: Snapshot
    summary: AnnualSummary
    improvement: ImprovementItem
    expert: Expert
    session: QaSession
    synonyms: SynonymGroup
    job: ImportJob
    notification: Notification
    application: Application
    document: Document


def build_oversight(
    regions: dict[str, Region],
    make_user: Any,
    parties: Parties,
    records: Records,
    now: dt.datetime,
    today: dt.date,
) -> Oversight:
    liuzhou, district = regions[LIUZHOU], regions[DISTRICT]
    victim_enterprise = parties.victim_enterprise
    owner = parties.owner
    institution = parties.institution
    lab_owner = parties.lab_owner
    offering = parties.offering
    center = parties.center
    done_order = records.done_order
    complaint = records.complaint

    form = SurveyForm.objects.order_by("pk").first()
    assert form is not None
    rated_order = Order.objects.create(
        number="DD2026111800003",
        user=owner,
        enterprise=victim_enterprise,
        offering=offering,
        institution=institution,
        region=district,
        status=OrderStatus.COMPLETED,
        description="校准压力表 3 只",
        contact_name="周主任",
        completed_at=now,
    )
    survey_invitation = SurveyInvitation.objects.create(
        order=rated_order, form=form, expires_at=now + dt.timedelta(days=30)
    )
    used_invitation = SurveyInvitation.objects.create(
        order=done_order, form=form, expires_at=now + dt.timedelta(days=30), used_at=now
    )
    evaluation = Evaluation.objects.create(
        invitation=used_invitation,
        order=done_order,
        form=form,
        institution=institution,
        region=district,
        rater=owner,
        answers={},
        signed_on=today,
        bad=True,
    )
    case = RectificationCase.objects.create(
        evaluation=evaluation, region=district, institution=institution
    )
    appeal = Appeal.objects.create(
        evaluation=evaluation,
        institution=institution,
        region=district,
        reason="评价与事实不符",
        lodged_by=lab_owner,
    )
    action = CorrectiveAction.objects.create(
        number="ZG2026111800001",
        target_kind="institution",
        institution=institution,
        region=district,
        source_kind="complaint",
        complaint=complaint,
        problem="报告出错",
        requirement="重新出具并整改",
        due_on=today + dt.timedelta(days=10),
        issued_by=center,
        issued_at=now,
    )
    important = ImportantItem.objects.create(region=liuzhou, offering=offering, marked_by=center)
    review = ItemReview.objects.create(
        region=liuzhou,
        offering=offering,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        findings="总体良好",
        rating="good",
        effectiveness="有效",
        reviewer=center,
    )
    snapshot = Snapshot.objects.create(
        region=liuzhou,
        period_kind="month",
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        title="柳州市 2026 年 10 月服务统计",
        tables=[],
        published_by=center,
        published_at=now,
    )
    summary = AnnualSummary.objects.create(
        region=liuzhou, year=2026, period_end=today, requested_by=center
    )
    plan = ImprovementPlan.objects.create(region=liuzhou, year=2026, published_at=now)
    improvement = ImprovementItem.objects.create(
        plan=plan,
        number=1,
        problem="响应慢",
        measure="增加人手",
        owner="柳州中心",
        due_on=today + dt.timedelta(days=30),
        created_by=center,
    )
    expert = Expert.objects.create(
        name="黄专家",
        title="高级工程师",
        organisation="柳州计量院",
        region=liuzhou,
        specialties="压力计量",
        contact_phone="13800138073",
    )
    session = QaSession.objects.create(
        expert=expert,
        topic="压力表检定答疑",
        channel="video",
        starts_at=now + dt.timedelta(days=5),
        ends_at=now + dt.timedelta(days=5, hours=1),
        capacity=20,
        join_info="会议号 123",
        region=liuzhou,
        created_by=center,
    )
    synonyms = SynonymGroup.objects.create(terms="校准,检定", updated_by=center)
    job = ImportJob.objects.create(kind="institution", created_by=center, scope={})
    notification = Notification.objects.create(recipient=owner, kind="order", title="订单已提交")
    # A person whose real-name verification (and ID card scan) awaits review.
    person = new_user(make_user, "individual", DISTRICT, "individual", display_name="受害个人")
    application = verification.application_submit_individual(
        user=person, real_name="赵明远", id_number=VALID_ID, id_card=png()
    )
    document = Document.objects.get(owner=person)
    return Oversight(
        survey_invitation=survey_invitation,
        evaluation=evaluation,
        case=case,
        appeal=appeal,
        action=action,
        important=important,
        review=review,
        snapshot=snapshot,
        summary=summary,
        improvement=improvement,
        expert=expert,
        session=session,
        synonyms=synonyms,
        job=job,
        notification=notification,
        application=application,
        document=document,
    )

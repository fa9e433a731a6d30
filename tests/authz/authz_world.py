"""The authorisation matrix's world: one object of each kind, in Liuzhou,
belonging to a victim (the enterprise "柳州受害精密机械有限公司", its owner and
member, and the testing institution that serves it), plus one user per role.

Objects are created directly (no services) so that the world is small and
fast to build; each is in the state its pages expect to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from onestop.accounts.models import Role, User
from onestop.accounts.services import role_grant
from onestop.catalog.models import ServiceCategory, ServiceItem
from onestop.complaints.models import Complaint
from onestop.core import crypto
from onestop.demands.models import Demand, Recommendation, Visit
from onestop.documents.models import Document
from onestop.enterprises.models import (
    Enterprise,
    EnterpriseStatus,
    Invitation,
    MemberRole,
    Membership,
)
from onestop.evaluations.models import Appeal, Evaluation, RectificationCase, SurveyForm
from onestop.evaluations.models import Invitation as SurveyInvitation
from onestop.evaluations.services import evaluations_load_forms
from onestop.evaluations.services.links import invitation_token
from onestop.experts.models import Expert, QaSession
from onestop.fieldwork.models import Appointment, FollowUp, ProxyTask, Sample, Slot
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Offering,
    Qualification,
    QualificationKind,
)
from onestop.notifications.models import Notification
from onestop.orders.models import Order, OrderStatus
from onestop.regions.models import Region
from onestop.reporting.models import Snapshot
from onestop.search.models import SynonymGroup
from onestop.stations.models import Station, StationKind, Tier
from onestop.summaries import rules as summary_rules
from onestop.summaries.models import AnnualSummary, ImprovementItem, ImprovementPlan
from onestop.supervision.models import CorrectiveAction, ImportantItem, ItemReview
from onestop.transfer.models import ImportJob
from onestop.verification import services as verification
from onestop.verification.models import Identity
from onestop.verification.tests.conftest import VALID_ID, png

VICTIM_MOBILE = "13800138071"
LIUZHOU, DISTRICT, HAMI = "450200", "450202", "650500"

# The thirteen roles of the matrix, in the order the test walks them.
ROLES = (
    "visitor",
    "individual",
    "enterprise_owner",
    "enterprise_member",
    "other_enterprise",
    "institution_staff",
    "other_institution",
    "expert",
    "station_staff",
    "station_staff_elsewhere",
    "center_staff",
    "authority",
    "sysadmin",
)


@dataclass
class World:
    users: dict[str, Any]
    ids: dict[str, str]
    # Per URL namespace, values that differ from ``ids`` (a number is an order
    # number under orders:, a complaint number under complaints:, ...).
    by_namespace: dict[str, dict[str, str]] = field(default_factory=dict)


_n = iter(range(1, 1_000_000))


def _uscc() -> str:
    return f"91450200MA{next(_n):07d}X"


def _enterprise(region: Region, name: str) -> Enterprise:
    return Enterprise.objects.create(
        name=name,
        uscc=_uscc(),
        legal_representative="王某",
        address="柳州市示范路9号",
        region=region,
        industry="制造业",
        status=EnterpriseStatus.VERIFIED,
    )


def _person(make_user: Any, role: str | None, region: str | None, kind: str, **fields: Any) -> User:
    user: User = make_user(role, region, kind=kind, **fields)
    return user


def _owner_of(make_user: Any, enterprise: Enterprise, region: str, **fields: Any) -> User:
    user = _person(make_user, "enterprise", region, "enterprise", **fields)
    Membership.objects.create(enterprise=enterprise, user=user, role=MemberRole.OWNER)
    return user


def _institution(enterprise: Enterprise, region: Region, name: str) -> Institution:
    now = timezone.now()
    return Institution.objects.create(
        enterprise=enterprise,
        name=name,
        kind=InstitutionKind.TESTING_LAB,
        region=region,
        address="柳州市示范路1号",
        service_phone="0772-2812345",
        status=InstitutionStatus.ACTIVE,
        agreement_version="2026-1",
        agreement_accepted_at=now,
        applied_at=now,
        decided_at=now,
    )


def build(regions: dict[str, Region], make_user: Any) -> World:
    now = timezone.now()
    today = timezone.localdate()
    liuzhou, district = regions[LIUZHOU], regions[DISTRICT]
    evaluations_load_forms()

    # The victim enterprise (customer), its owner and member.
    victim_enterprise = _enterprise(district, "柳州受害精密机械有限公司")
    owner = _owner_of(
        make_user,
        victim_enterprise,
        DISTRICT,
        display_name="受害企业周主任",
        mobile=VICTIM_MOBILE,
        mobile_index=crypto.blind_index(VICTIM_MOBILE, purpose="mobile"),
    )
    member = _person(make_user, "enterprise", DISTRICT, "enterprise", display_name="受害企业同事")
    membership = Membership.objects.create(
        enterprise=victim_enterprise, user=member, role=MemberRole.MEMBER
    )
    invitation = Invitation.objects.create(
        enterprise=victim_enterprise,
        mobile_index=crypto.blind_index("13800138072", purpose="mobile"),
        masked_mobile="138****8072",
        invited_by=owner,
    )
    other_enterprise = _enterprise(district, "柳州他人五金有限公司")
    other_owner = _owner_of(make_user, other_enterprise, DISTRICT, display_name="他人企业老板")

    # The institution that serves the victim, and another one.
    lab = _enterprise(liuzhou, "柳州示范检测有限公司")
    institution = _institution(lab, district, "柳州示范检测所")
    lab_owner = _owner_of(make_user, lab, LIUZHOU, display_name="检测所王经理")
    other_lab = _enterprise(liuzhou, "柳州另一检测有限公司")
    _institution(other_lab, district, "柳州另一检测所")
    other_lab_owner = _owner_of(make_user, other_lab, LIUZHOU, display_name="另一检测所李工")

    category = ServiceCategory.objects.create(code="testing-services", name="检验检测服务")
    qualification = Qualification.objects.create(
        institution=institution,
        kind=QualificationKind.CMA,
        number="241012340567",
        scope="压力表校准",
        issuer="广西壮族自治区市场监督管理局",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2029, 12, 31),
    )
    offering = Offering.objects.create(
        institution=institution,
        category=category,
        name="压力表校准",
        scope="一般压力表",
        qualification=qualification,
        price_min=Decimal("80"),
        price_max=Decimal("150"),
        turnaround_working_days=5,
    )
    item = ServiceItem.objects.create(
        category=category,
        name="计量器具检定",
        summary="强制检定",
        conditions="无",
        fees="按标准收费",
        channel="线上",
        handled_by="柳州市市场监督管理局",
    )

    station = Station.objects.create(
        region=district,
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="城中区质量服务站",
        address="柳州市城中区示范路2号",
        person_in_charge="陈站长",
    )
    hm_station = Station.objects.create(
        region=regions["650502"],
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="伊州区质量服务站",
        address="哈密市伊州区示范路3号",
        person_in_charge="马站长",
    )

    # Staff.
    station_staff = _person(make_user, None, None, "staff", display_name="城中站小陈")
    role_grant(
        actor=None, user=station_staff, role=Role.STATION_STAFF, region=district, scope=station
    )
    elsewhere = _person(make_user, None, None, "staff", display_name="伊州站小马")
    role_grant(
        actor=None,
        user=elsewhere,
        role=Role.STATION_STAFF,
        region=regions["650502"],
        scope=hm_station,
    )
    center = _person(make_user, "center_staff", LIUZHOU, "staff", display_name="柳州中心小刘")
    authority = _person(make_user, "authority", LIUZHOU, "staff", display_name="柳州市局")
    sysadmin = _person(make_user, "sysadmin", None, "staff", display_name="系统管理员")
    expert_user = _person(make_user, "expert", LIUZHOU, "staff", display_name="专家黄工")
    individual = _person(make_user, "individual", DISTRICT, "individual", display_name="路人孙先生")
    Identity.objects.create(
        user=individual,
        real_name="孙某",
        id_number="450202199001010011",
        id_index=crypto.blind_index("450202199001010011", purpose="id_number"),
        verified_at=now,
    )

    # The victim's records.
    demand = Demand.objects.create(
        number="XQ2026111800001",
        requester=owner,
        enterprise=victim_enterprise,
        contact_name="周主任",
        # The number given for this demand, shown to those who handle it.
        contact_phone="13800138074",
        contact_method="phone",
        category=category,
        title="压力表校准需求",
        description="十只压力表需要校准",
        region=district,
        source="online",
        station=station,
    )
    recommendation = Recommendation.objects.create(
        demand=demand,
        offering=offering,
        institution=institution,
        recommended_by=center,
        recommended_at=now,
    )
    visit = Visit.objects.create(
        station=station,
        enterprise=victim_enterprise,
        visited_on=today,
        needs_found="需要校准",
        recorded_by=station_staff,
    )
    order = Order.objects.create(
        number="DD2026111800001",
        user=owner,
        enterprise=victim_enterprise,
        offering=offering,
        institution=institution,
        region=district,
        status=OrderStatus.SUBMITTED,
        description="校准压力表 10 只",
        contact_name="周主任",
    )
    done_order = Order.objects.create(
        number="DD2026111800002",
        user=owner,
        enterprise=victim_enterprise,
        offering=offering,
        institution=institution,
        region=district,
        status=OrderStatus.COMPLETED,
        description="校准压力表 5 只",
        contact_name="周主任",
        completed_at=now,
    )
    complaint = Complaint.objects.create(
        number="TS2026111800001",
        channel="online",
        complainant=owner,
        enterprise=victim_enterprise,
        complainant_name="周主任",
        complainant_phone=VICTIM_MOBILE,
        target="institution",
        institution=institution,
        order=done_order,
        region=district,
        type="quality",
        content="报告出错",
        request="重新出具",
        received_at=now,
    )
    slot = Slot.objects.create(
        station=station,
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=1),
        purpose="visit",
        created_by=station_staff,
    )
    booked = Slot.objects.create(
        station=station,
        starts_at=now + dt.timedelta(days=4),
        ends_at=now + dt.timedelta(days=4, hours=1),
        purpose="visit",
        created_by=station_staff,
    )
    appointment = Appointment.objects.create(slot=booked, user=owner)
    sample = Sample.objects.create(
        order=order,
        station=station,
        number="YP2026111800001",
        description="压力表",
        quantity="10 只",
        condition="完好",
    )
    task = ProxyTask.objects.create(
        order=order,
        station=station,
        title="代办送检",
        due_at=now + dt.timedelta(days=2),
        created_by=station_staff,
    )
    follow_up = FollowUp.objects.create(
        order=done_order, region=district, station=station, due_on=today
    )
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
    person = _person(make_user, "individual", DISTRICT, "individual", display_name="受害个人")
    application = verification.application_submit_individual(
        user=person, real_name="赵明远", id_number=VALID_ID, id_card=png()
    )
    document = Document.objects.get(owner=person)

    users = {
        "visitor": AnonymousUser(),
        "individual": individual,
        "enterprise_owner": owner,
        "enterprise_member": member,
        "other_enterprise": other_owner,
        "institution_staff": lab_owner,
        "other_institution": other_lab_owner,
        "expert": expert_user,
        "station_staff": station_staff,
        "station_staff_elsewhere": elsewhere,
        "center_staff": center,
        "authority": authority,
        "sysadmin": sysadmin,
    }
    ids = {
        "notification_id": str(notification.pk),
        "code": category.code,
        "item_id": str(item.pk),
        "public_id": str(document.public_id),
        "invitation_id": str(invitation.pk),
        "membership_id": str(membership.pk),
        "application_id": str(application.pk),
        "station_id": str(station.pk),
        "institution_id": str(institution.pk),
        "offering_id": str(offering.pk),
        "expert_id": str(expert.pk),
        "session_id": str(session.pk),
        "group_id": str(synonyms.pk),
        "kind": "institution",
        "job_id": str(job.pk),
        "visit_id": str(visit.pk),
        "recommendation_id": str(recommendation.pk),
        "slot_id": str(slot.pk),
        "appointment_id": str(appointment.pk),
        "sample_id": str(sample.pk),
        "task_id": str(task.pk),
        "follow_up_id": str(follow_up.pk),
        "token": invitation_token(survey_invitation),
        "enterprise_id": str(victim_enterprise.pk),
        "evaluation_id": str(evaluation.pk),
        "snapshot_id": str(snapshot.pk),
        "year": "2026",
        "day": "2026-11-18",
        "number": demand.number,
        "action": "cancel",
        "move": "verify",
        "pk": "0",
    }
    by_namespace = {
        "orders": {"number": order.number, "action": "cancel"},
        "complaints": {"number": complaint.number, "action": "withdraw"},
        "complaints:manage_act": {"number": complaint.number, "action": "acknowledge"},
        "demands": {"number": demand.number},
        "evaluations": {"pk": str(appeal.pk)},
        "evaluations:institution_appeal": {"pk": str(evaluation.pk)},
        "evaluations:case": {"pk": str(case.pk)},
        "supervision": {"pk": str(action.pk)},
        "supervision:my_action": {"pk": str(action.pk)},
        "supervision:review": {"pk": str(review.pk)},
        "supervision:item_unmark": {"pk": str(important.pk)},
        "reporting": {"pk": str(snapshot.pk)},
        "summaries": {"pk": str(summary.pk), "code": LIUZHOU, "kind": "pdf"},
        "summaries:item": {"pk": str(improvement.pk)},
        "summaries:item_remove": {"pk": str(improvement.pk)},
        "summaries:item_move": {"pk": str(improvement.pk), "action": summary_rules.ACTIONS[0]},
        "api:regions": {"code": LIUZHOU},
        "api:summaries": {"code": LIUZHOU},
        "api:orders": {"number": order.number, "action": "cancel"},
        "api:open311": {"number": order.number},
        "api:complaints": {"number": complaint.number},
        "api:demands": {"number": demand.number},
    }
    return World(users=users, ids=ids, by_namespace=by_namespace)

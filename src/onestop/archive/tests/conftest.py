"""Two Jiangyin enterprises (ACME, whose archive is read, and a neighbour
with records of its own), a testing institution, a Jiangyin station and a
Hami one with their staff, center staff of Wuxi and Hami, and the roles that
must not read archives. ``records(world, enterprise, member)`` hand-makes one
row of every kind the archive shows; the clock is pinned to a working day."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from onestop.accounts.models import Role, User
from onestop.accounts.services import role_grant
from onestop.catalog.models import ServiceCategory
from onestop.complaints.models import Channel, Complaint, ComplaintType, Target
from onestop.core import crypto
from onestop.demands.models import ContactMethod, Demand, DemandSource, Visit
from onestop.documents.models import Document, DocumentKind
from onestop.enterprises.models import Enterprise, MemberRole, Membership, NameChange
from onestop.evaluations.models import Evaluation, Invitation, RectificationCase, SurveyForm
from onestop.experts.models import Channel as QaChannel
from onestop.experts.models import Expert, QaRegistration, QaSession
from onestop.fieldwork.models import FollowUp, FollowUpMethod, Sample, SampleStatus
from onestop.fieldwork.tests.conftest import (
    NOW,
    enterprise_in,
    institution_of,
    make_order,
    station_in,
    station_staff,
)
from onestop.institutions.models import Institution, Offering
from onestop.orders.models import AttachmentKind, OrderAttachment, OrderStatus
from onestop.stations.models import Station
from onestop.verification.models import Application, ApplicationKind, ApplicationStatus

_numbers = iter(range(1, 1_000_000))


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


def with_mobile(make_user, role, region_code, number, **fields) -> User:
    return make_user(
        role,
        region_code,
        mobile=number,
        mobile_index=crypto.blind_index(number, purpose="mobile"),
        **fields,
    )


@dataclass
class World:
    acme: Enterprise
    neighbour: Enterprise
    owner: User
    member: User
    neighbour_owner: User
    institution: Institution
    inst_person: User
    offering: Offering
    category: ServiceCategory
    station: Station
    hm_station: Station
    station_staff: User
    hm_station_staff: User
    wx_center: User
    hm_center: User
    authority: User
    expert_user: User
    institution_staff: User
    expert: Expert
    form: SurveyForm
    region: object
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(regions, make_user) -> World:
    jiangyin, hami = regions["320281"], regions["650502"]
    category = ServiceCategory.objects.create(code="testing-services", name="检验检测服务")
    lab = enterprise_in(jiangyin, name="江阴市示范计量检测有限公司", uscc="91320281MA1X2Y3W4B")
    institution = institution_of(lab, name="江阴市示范计量检测所")
    inst_person = make_user("enterprise", "320281", kind="enterprise", display_name="检测所王经理")
    Membership.objects.create(enterprise=lab, user=inst_person, role=MemberRole.OWNER)
    offering = Offering.objects.create(
        institution=institution,
        category=category,
        name="压力表校准",
        scope="一般压力表 0–60 MPa",
        turnaround_working_days=5,
    )
    acme = enterprise_in(jiangyin, name="江阴澄星精密机械有限公司", uscc="91320281MA20ACME0X")
    neighbour = enterprise_in(jiangyin, name="江阴邻家纺织有限公司", uscc="91320281MA20NEIG8Y")
    owner = with_mobile(
        make_user, "enterprise", "320281", "13800138021", kind="enterprise", display_name="澄星周总"
    )
    member = with_mobile(
        make_user,
        "enterprise",
        "320281",
        "13800138022",
        kind="enterprise",
        display_name="澄星吴工",
    )
    neighbour_owner = with_mobile(
        make_user, "enterprise", "320281", "13800138023", kind="enterprise", display_name="邻家钱总"
    )
    Membership.objects.create(enterprise=acme, user=owner, role=MemberRole.OWNER)
    Membership.objects.create(enterprise=acme, user=member, role=MemberRole.MEMBER)
    Membership.objects.create(enterprise=neighbour, user=neighbour_owner, role=MemberRole.OWNER)
    station = station_in(jiangyin, "江阴市市场监督管理局服务站")
    hm_station = station_in(hami, "伊州区质量服务站")
    expert = Expert.objects.create(
        name="孙教授",
        title="高级工程师",
        organisation="江阴市计量测试所",
        region=jiangyin,
        specialties="压力计量",
    )
    institution_staff = make_user(None, None, kind="staff", display_name="检测所张工")
    role_grant(
        actor=None,
        user=institution_staff,
        role=Role.INSTITUTION_STAFF,
        region=jiangyin,
        scope=institution,
    )
    return World(
        acme=acme,
        neighbour=neighbour,
        owner=owner,
        member=member,
        neighbour_owner=neighbour_owner,
        institution=institution,
        inst_person=inst_person,
        offering=offering,
        category=category,
        station=station,
        hm_station=hm_station,
        station_staff=station_staff(make_user, station, "服务站周磊"),
        hm_station_staff=station_staff(make_user, hm_station, "伊州站马丽"),
        wx_center=make_user("center_staff", "320200", kind="staff", display_name="无锡中心陈静"),
        hm_center=make_user("center_staff", "650500", kind="staff", display_name="哈密中心王磊"),
        authority=make_user("authority", "320200", kind="staff", display_name="无锡局易海红"),
        expert_user=make_user("expert", "320281", kind="staff", display_name="孙教授"),
        institution_staff=institution_staff,
        expert=expert,
        form=SurveyForm.objects.create(
            code=f"archive-test-{uuid.uuid4().hex[:8]}",
            version=1,
            title="测试问卷",
            definition={"scale": [], "yes_no": [], "parts": []},
        ),
        region=jiangyin,
    )


def document(owner: User, name: str, region) -> Document:
    return Document.objects.create(
        owner=owner,
        kind=DocumentKind.OTHER,
        region=region,
        content_type="application/pdf",
        size=1024,
        sha256="0" * 64,
        storage_name=uuid.uuid4().hex,
        original_name=name,
    )


@dataclass
class Records:
    """The identifying strings of one enterprise's records (to find on pages)."""

    demand: str
    visit_needs: str
    order: str
    follow_up_outcome: str
    sample: str
    consultation: str
    evaluation_comment: str
    complaint: str
    personal_complaint: str
    order_report: str
    sample_report: str
    former_name: str

    def all(self) -> list[str]:
        return list(vars(self).values())


def records(world: World, enterprise: Enterprise, person: User, *, tag: str) -> Records:
    """One row of every kind the archive shows, for ``enterprise``; ``person``
    is one of its members; ``tag`` makes the texts unique."""
    n = next(_numbers)
    region = enterprise.region
    now = timezone.now()
    Application.objects.create(
        kind=ApplicationKind.ENTERPRISE,
        status=ApplicationStatus.APPROVED,
        applicant=person,
        enterprise=enterprise,
        region=region,
        submitted_at=now - dt.timedelta(days=30),
        decided_at=now - dt.timedelta(days=28),
    )
    former = f"{tag}旧名称有限公司"
    NameChange.objects.create(
        enterprise=enterprise,
        old_name=former,
        new_name=enterprise.name,
        changed_on=dt.date(2026, 3, 1),
        reported_at=now - dt.timedelta(days=200),
    )
    visit = Visit.objects.create(
        station=world.station,
        enterprise=enterprise,
        visited_on=dt.date(2026, 11, 2),
        needs_found=f"{tag}需要压力表校准",
        recorded_by=world.station_staff,
    )
    demand = Demand.objects.create(
        number=f"XQ20261118{n:05d}",
        requester=person,
        enterprise=enterprise,
        contact_name="周总",
        contact_method=ContactMethod.PHONE,
        category=world.category,
        title=f"{tag}压力表校准需求",
        description="车间压力表 20 只",
        region=region,
        source=DemandSource.VISIT,
        visit=visit,
        station=world.station,
        registered_by=world.station_staff,
    )
    order = make_order(
        person,
        world.offering,
        region=region,
        status=OrderStatus.COMPLETED,
        enterprise=enterprise,
        completed_at=now,
    )
    FollowUp.objects.create(
        order=order,
        region=region,
        station=world.station,
        due_on=dt.date(2026, 11, 25),
        method=FollowUpMethod.PHONE,
        outcome=f"{tag}回访满意",
        done_by=world.station_staff,
        done_at=now,
    )
    sample = Sample.objects.create(
        order=order,
        station=world.station,
        number=f"YP20261118{n:05d}",
        description="压力表",
        quantity="5 只",
        condition="完好",
        status=SampleStatus.HANDED_OUT,
        report=document(world.inst_person, f"{tag}样品检测报告.pdf", region),
    )
    OrderAttachment.objects.create(
        order=order,
        document=document(world.inst_person, f"{tag}校准证书.pdf", region),
        kind=AttachmentKind.REPORT,
        uploaded_by=world.inst_person,
    )
    invitation = Invitation.objects.create(
        order=order, form=world.form, expires_at=now + dt.timedelta(days=30)
    )
    evaluation = Evaluation.objects.create(
        invitation=invitation,
        order=order,
        form=world.form,
        institution=world.institution,
        region=region,
        rater=person,
        answers={},
        comment=f"{tag}报告晚了三天",
        signed_on=now.date(),
        institution_score=Decimal("2.50"),
        bad=True,
    )
    RectificationCase.objects.create(
        evaluation=evaluation, region=region, institution=world.institution, reasons=["q1"]
    )
    complaint = _complaint(world, person, enterprise=enterprise, order=order, n=n, tag=tag)
    personal = _complaint(world, person, enterprise=None, order=None, n=n + 500_000, tag=tag)
    session = QaSession.objects.create(
        expert=world.expert,
        topic=f"{tag}压力计量答疑",
        channel=QaChannel.VIDEO,
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=1),
        capacity=50,
        join_info="会议号 123",
        region=region,
        created_by=world.wx_center,
    )
    QaRegistration.objects.create(session=session, user=person, question="压力表多久检定一次")
    return Records(
        demand=demand.number,
        visit_needs=visit.needs_found,
        order=order.number,
        follow_up_outcome=f"{tag}回访满意",
        sample=sample.number,
        consultation=session.topic,
        evaluation_comment=evaluation.comment,
        complaint=complaint.number,
        personal_complaint=personal.number,
        order_report=f"{tag}校准证书.pdf",
        sample_report=f"{tag}样品检测报告.pdf",
        former_name=former,
    )


def _complaint(world, person, *, enterprise, order, n, tag) -> Complaint:
    return Complaint.objects.create(
        number=f"TS-2026-{n:06d}",
        channel=Channel.ONLINE,
        complainant=person,
        enterprise=enterprise,
        complainant_name=str(person),
        target=Target.INSTITUTION,
        institution=world.institution,
        order=order,
        region=world.institution.region,
        type=ComplaintType.TIMELINESS,
        content=f"{tag}报告超期",
        request="尽快出具报告",
        received_at=timezone.now(),
    )


def more_records(world: World, enterprise: Enterprise, person: User, count: int) -> None:
    for index in range(count):
        records(world, enterprise, person, tag=f"多{index}")

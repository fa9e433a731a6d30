"""One enterprise's quality archive (HM 6.1, HM 6.2, LZ 6.5.3), read from the
rows the other apps keep: nothing is copied, so the archive always says what
the records say.

Thirteen queries whatever the numbers of rows: one per section. Each long
section brings its newest SECTION_LIMIT rows and, through a window count in
the same query, how many there are in all, so the page stays fast and says
what it left out. The caller has already decided that the reader may see
this enterprise (onestop.archive.selectors.access).

Records belong to the enterprise when they name it (demands, visits,
orders and what hangs off them). Complaints and Q&A registrations a member
made for no enterprise belong to it when they were made while that person
was a member; a member's records for another enterprise never show here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Count, Exists, F, Model, OuterRef, Q, QuerySet, Window
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.complaints.models import Complaint
from onestop.demands.models import Demand, Visit
from onestop.enterprises.models import Enterprise, MemberRole, Membership, NameChange
from onestop.evaluations.models import Evaluation
from onestop.experts.models import QaRegistration
from onestop.fieldwork.models import FollowUp, Sample, SampleStatus
from onestop.orders.models import AttachmentKind, Order, OrderAttachment
from onestop.verification.models import Application, ApplicationKind

SECTION_LIMIT = 50

M = TypeVar("M", bound=Model)
T = TypeVar("T")


@dataclass(frozen=True)
class Section(Generic[T]):
    """The newest rows of one section and how many there are in all."""

    rows: list[T]
    total: int

    @property
    def left_out(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class MemberRow:
    name: str
    role: str
    masked_mobile: str
    joined_at: dt.datetime


@dataclass(frozen=True)
class ReportRow:
    """A report or certificate the enterprise received, linked to the
    document download (which checks the reader itself)."""

    source: str | Promise
    order_number: str
    title: str
    at: dt.datetime
    url: str


@dataclass(frozen=True)
class Archive:
    enterprise: Enterprise
    verification: Application | None
    name_changes: list[NameChange]
    members: list[MemberRow]
    demands: Section[Demand]
    visits: Section[Visit]
    orders: Section[Order]
    follow_ups: Section[FollowUp]
    samples: Section[Sample]
    consultations: Section[QaRegistration]
    evaluations: Section[Evaluation]
    complaints: Section[Complaint]
    reports: Section[ReportRow]


def _section(queryset: QuerySet[M], limit: int = SECTION_LIMIT) -> Section[M]:
    """The first ``limit`` rows of the ordered queryset and the full count, in one query."""
    rows = list(queryset.annotate(archive_total=Window(expression=Count("pk")))[:limit])
    total = int(getattr(rows[0], "archive_total", 0)) if rows else 0
    return Section(rows=rows, total=total)


def _while_member(enterprise: Enterprise, user_field: str, at_field: str) -> Exists:
    """The row's person was a member of ``enterprise`` when the row was made."""
    return Exists(
        Membership.objects.filter(
            enterprise=enterprise,
            user=OuterRef(user_field),
            joined_at__lte=OuterRef(at_field),
        ).filter(Q(removed_at__isnull=True) | Q(removed_at__gt=OuterRef(at_field)))
    )


def _verification(enterprise: Enterprise) -> Application | None:
    return (
        Application.objects.filter(enterprise=enterprise, kind=ApplicationKind.ENTERPRISE)
        .order_by("-submitted_at", "-id")
        .first()
    )


def _members(enterprise: Enterprise) -> list[MemberRow]:
    memberships = (
        enterprise.memberships.filter(removed_at__isnull=True, user__is_active=True)
        .select_related("user")
        .order_by("-role", "joined_at", "id")
    )
    return [
        MemberRow(
            name=str(m.user),
            role=str(MemberRole(m.role).label),
            masked_mobile=m.user.masked_mobile,
            joined_at=m.joined_at,
        )
        for m in memberships
    ]


def _reports(enterprise: Enterprise) -> Section[ReportRow]:
    attachments = _section(
        OrderAttachment.objects.filter(
            order__enterprise=enterprise,
            kind=AttachmentKind.REPORT,
            document__deleted_at__isnull=True,
        )
        .select_related("order", "document")
        .order_by("-created_at", "-id")
    )
    # A sample's report counts as received once it was handed out.
    samples = _section(
        Sample.objects.filter(
            order__enterprise=enterprise,
            status=SampleStatus.HANDED_OUT,
            report__isnull=False,
            report__deleted_at__isnull=True,
        )
        .select_related("order", "report")
        .order_by("-updated_at", "-id")
    )
    rows = [
        ReportRow(
            source=_("Order report"),
            order_number=a.order.number,
            title=a.document.original_name or str(a.document.get_kind_display()),
            at=a.created_at,
            url=a.document.get_absolute_url(),
        )
        for a in attachments.rows
    ]
    rows += [
        ReportRow(
            source=_("Sample report"),
            order_number=s.order.number,
            title=f"{s.number} {s.report.original_name or s.description}",
            at=s.report.created_at,
            url=s.report.get_absolute_url(),
        )
        for s in samples.rows
        if s.report is not None
    ]
    rows.sort(key=lambda row: row.at, reverse=True)
    return Section(rows=rows[:SECTION_LIMIT], total=attachments.total + samples.total)


def archive_of(*, enterprise: Enterprise) -> Archive:
    """The whole archive of ``enterprise`` (HM 6.1): basic information and
    every kind of service record, newest first. Thirteen queries."""
    member_filed = Q(enterprise__isnull=True) & _while_member(
        enterprise, "complainant", "received_at"
    )
    return Archive(
        enterprise=enterprise,
        verification=_verification(enterprise),
        name_changes=list(enterprise.name_changes.order_by("-changed_on", "-id")),
        members=_members(enterprise),
        demands=_section(
            Demand.objects.filter(enterprise=enterprise)
            .select_related("category", "station", "visit")
            .order_by("-created_at", "-id")
        ),
        # HM 6.2: what stations recorded, with when they recorded it.
        visits=_section(
            Visit.objects.filter(enterprise=enterprise)
            .select_related("station", "recorded_by")
            .order_by("-visited_on", "-id")
        ),
        orders=_section(
            Order.objects.filter(enterprise=enterprise)
            .select_related("offering", "institution")
            .order_by("-created_at", "-id")
        ),
        follow_ups=_section(
            FollowUp.objects.filter(
                Q(order__enterprise=enterprise) | Q(demand__enterprise=enterprise)
            )
            .select_related("order", "demand", "station")
            .order_by(F("done_at").desc(nulls_first=True), "-due_on", "-id")
        ),
        samples=_section(
            Sample.objects.filter(order__enterprise=enterprise)
            .select_related("order", "station")
            .order_by("-created_at", "-id")
        ),
        consultations=_section(
            QaRegistration.objects.filter(cancelled_at__isnull=True)
            .filter(_while_member(enterprise, "user", "created_at"))
            .select_related("session__expert", "user")
            .order_by("-session__starts_at", "-id")
        ),
        evaluations=_section(
            Evaluation.objects.filter(
                Q(order__enterprise=enterprise) | Q(demand__enterprise=enterprise)
            )
            .select_related("order__offering", "demand", "institution", "rectification")
            .order_by("-created_at", "-id")
        ),
        complaints=_section(
            Complaint.objects.filter(Q(enterprise=enterprise) | member_filed)
            .select_related("institution", "station", "order")
            .order_by("-received_at", "-id")
        ),
        reports=_reports(enterprise),
    )

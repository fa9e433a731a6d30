"""The workbench overview's "my queues" (issue 5): for each queue the user
may work, how many rows wait and the link that opens it filtered. One
aggregate query per queue family; nothing is counted that the user's
permissions and region scope do not cover."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.demands.models import Demand, DemandStatus
from onestop.orders.models import Order, OrderStatus


@dataclass(frozen=True)
class Queue:
    label: str | Promise
    count: int | None
    url: str


def _demand_queues(user: Any) -> list[Queue]:
    scope = authz.region_scope(user, authz.Perm.DEMAND_HANDLE)
    waiting = [DemandStatus.PUBLISHED, DemandStatus.RESPONDED]
    counts = scope.filter(Demand.objects.all(), "region").aggregate(
        new=Count("pk", filter=Q(status=DemandStatus.PUBLISHED)),
        unassigned=Count("pk", filter=Q(status__in=waiting, assigned_to__isnull=True)),
    )
    base = reverse("demands:manage_queue")
    return [
        Queue(_("New demands awaiting response"), counts["new"], f"{base}?status=published"),
        Queue(_("Demands nobody has taken on"), counts["unassigned"], f"{base}?assigned=nobody"),
        Queue(_("Demand deadlines at risk"), None, f"{base}?clock=at_risk"),
        Queue(_("Demand deadlines breached"), None, f"{base}?clock=breached"),
    ]


def _escalation_queues(user: Any) -> list[Queue]:
    demands = authz.region_scope(user, authz.Perm.ESCALATION_HANDLE).filter(
        Demand.objects.filter(escalated_at__isnull=False).exclude(
            status__in=[DemandStatus.CLOSED, DemandStatus.CANCELLED]
        ),
        "region",
    )
    return [
        Queue(_("Escalated demands"), demands.count(), reverse("demands:manage_escalations")),
        Queue(_("Escalated orders"), None, reverse("orders:manage_list") + "?escalated=on"),
    ]


def _order_queues(user: Any) -> list[Queue]:
    counts = (
        authz.region_scope(user, authz.Perm.ORDER_OVERSEE)
        .filter(Order.objects.all(), "region")
        .aggregate(
            submitted=Count("pk", filter=Q(status=OrderStatus.SUBMITTED)),
        )
    )
    base = reverse("orders:manage_list")
    return [
        Queue(
            _("Orders awaiting the institution's acceptance"),
            counts["submitted"],
            f"{base}?status=submitted",
        ),
        Queue(_("Order acceptance deadlines at risk"), None, f"{base}?clock=at_risk"),
    ]


def _fieldwork_queues(user: Any) -> list[Queue]:
    from onestop.fieldwork import selectors as fieldwork

    tasks = fieldwork.task_counts(user=user)
    samples = fieldwork.sample_status_counts(user=user)
    return [
        Queue(
            _("Proxy tasks overdue"),
            tasks.get("overdue"),
            reverse("fieldwork:tasks") + "?view=overdue",
        ),
        Queue(
            _("Proxy tasks due soon"),
            tasks.get("due_soon"),
            reverse("fieldwork:tasks") + "?view=due_soon",
        ),
        Queue(
            _("Samples in transit"),
            samples.get("in_transit"),
            reverse("fieldwork:samples") + "?status=in_transit",
        ),
        Queue(
            _("Reports ready to hand out"),
            samples.get("report_ready"),
            reverse("fieldwork:samples") + "?status=report_ready",
        ),
        Queue(
            _("Follow-up visits due today"),
            None,
            reverse("fieldwork:follow_ups") + "?view=today",
        ),
        Queue(
            _("Follow-up visits overdue"),
            None,
            reverse("fieldwork:follow_ups") + "?view=overdue",
        ),
    ]


def _complaint_queues(user: Any) -> list[Queue]:
    from onestop.complaints.models import Complaint, ComplaintStatus

    counts = (
        authz.region_scope(user, authz.Perm.COMPLAINT_HANDLE)
        .filter(Complaint.objects.all(), "region")
        .aggregate(
            received=Count("pk", filter=Q(status=ComplaintStatus.RECEIVED)),
            investigating=Count("pk", filter=Q(status=ComplaintStatus.INVESTIGATING)),
            responded=Count("pk", filter=Q(status=ComplaintStatus.RESPONDED)),
        )
    )
    base = reverse("complaints:manage_queue")
    return [
        Queue(_("Complaints awaiting acceptance"), counts["received"], f"{base}?status=received"),
        Queue(
            _("Complaints under investigation"),
            counts["investigating"],
            f"{base}?status=investigating",
        ),
        Queue(
            _("Complaints answered by the institution, awaiting the conclusion"),
            counts["responded"],
            f"{base}?status=responded",
        ),
    ]


def _evaluation_queues(user: Any) -> list[Queue]:
    from onestop.evaluations.models import Appeal, AppealStatus, CaseStatus, RectificationCase

    queues = [
        Queue(
            _("Bad reviews awaiting a callback"),
            authz.region_scope(user, authz.Perm.ORDER_OVERSEE)
            .filter(RectificationCase.objects.filter(status=CaseStatus.OPEN), "region")
            .count(),
            reverse("evaluations:case_queue") + "?status=open",
        )
    ]
    if authz.has_perm(user, authz.Perm.EVALUATION_REVIEW):
        queues.append(
            Queue(
                _("Appeals against reviews awaiting a decision"),
                authz.region_scope(user, authz.Perm.EVALUATION_REVIEW)
                .filter(Appeal.objects.filter(status=AppealStatus.PENDING), "region")
                .count(),
                reverse("evaluations:appeal_queue") + "?status=pending",
            )
        )
    return queues


def _supervision_queues(user: Any) -> list[Queue]:
    return [
        Queue(
            _("Corrective actions overdue"),
            None,
            reverse("supervision:actions") + "?overdue=on",
        )
    ]


def queues_for(user: Any) -> list[Queue]:
    queues: list[Queue] = []
    if authz.has_perm(user, authz.Perm.DEMAND_HANDLE):
        queues += _demand_queues(user)
    if authz.has_perm(user, authz.Perm.ESCALATION_HANDLE):
        queues += _escalation_queues(user)
    if authz.has_perm(user, authz.Perm.ORDER_OVERSEE):
        queues += _order_queues(user)
    if authz.has_perm(user, authz.Perm.FIELDWORK_HANDLE):
        queues += _fieldwork_queues(user)
    if authz.has_perm(user, authz.Perm.COMPLAINT_HANDLE):
        queues += _complaint_queues(user)
    if authz.has_perm(user, authz.Perm.ORDER_OVERSEE):
        queues += _evaluation_queues(user)
    if authz.has_perm(user, authz.Perm.SUPERVISE):
        queues += _supervision_queues(user)
    return queues

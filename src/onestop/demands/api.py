"""Demands API under /api/v1/demands/ (WX 5.1 b, 5.1 d): the user's own
demands — list, detail with history and recommendations, publish (multipart,
with optional attachments), accept a recommendation, withdraw. The same
services as the pages; login required (the API's default auth)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from onestop.catalog.models import ServiceCategory
from onestop.core.errors import InvalidInput
from onestop.core.http import AuthenticatedRequest
from onestop.core.idempotency import idempotent
from onestop.demands import explain, selectors, services
from onestop.demands.models import Demand
from onestop.regions.selectors import region_get

router = Router(tags=["demands"])

UNKNOWN_CATEGORY = _("There is no such service category.")
OPTIONAL_FILES: Any = File(None)  # type: ignore[type-arg]
USER_NOTES = frozenset(
    {"register", "respond", "recommend", "refer", "accept", "docking_record", "cancel", "close"}
)


class ErrorOut(Schema):
    code: str
    detail: str


class DemandSummaryOut(Schema):
    number: str
    title: str
    category: str
    region: str
    status: str
    status_label: str
    created_at: dt.datetime


class EventOut(Schema):
    kind: str
    label: str
    at: dt.datetime
    from_status: str
    to_status: str
    note: str


class RecommendationOut(Schema):
    id: int
    position: int
    institution: str
    offering: str | None
    offering_id: int | None
    outside_platform: bool
    contact: str
    score: float | None
    reasons: list[str]
    note: str
    accepted: bool
    declined: bool


class ClockOut(Schema):
    kind: str
    label: str
    due_at: dt.datetime
    stopped_at: dt.datetime | None
    outcome: str


class DockingOut(Schema):
    institution: str
    service_phone: str
    address: str
    project: str
    expected_start: dt.date | None
    expected_end: dt.date | None
    price: str | None


class DemandOut(DemandSummaryOut):
    description: str
    desired_date: dt.date | None
    contact_name: str
    contact_method: str
    response: str
    events: list[EventOut]
    recommendations: list[RecommendationOut]
    clocks: list[ClockOut]
    docking: DockingOut | None


class PublishIn(Schema):
    category: str  # a category code
    title: str
    description: str
    region_code: str
    contact_name: str
    contact_method: str
    contact_phone: str = ""
    desired_date: dt.date | None = None


class CancelIn(Schema):
    reason: str = ""


_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 415: ErrorOut}


def _summary(demand: Demand) -> dict[str, Any]:
    return {
        "number": demand.number,
        "title": demand.title,
        "category": demand.category.name,
        "region": demand.region.name,
        "status": demand.status,
        "status_label": str(demand.get_status_display()),
        "created_at": demand.created_at,
    }


def _detail(demand: Demand) -> DemandOut:
    docking = getattr(demand, "docking", None)
    institution = docking.recommendation.institution if docking is not None else None
    return DemandOut(
        **_summary(demand),
        description=demand.description,
        desired_date=demand.desired_date,
        contact_name=demand.contact_name,
        contact_method=demand.contact_method,
        response=demand.response_note,
        events=[
            EventOut(
                kind=e.kind,
                label=e.kind_label,
                at=e.at,
                from_status=e.from_status,
                to_status=e.to_status,
                note=e.note if e.kind in USER_NOTES else "",
            )
            for e in demand.events.all()
        ],
        recommendations=[
            RecommendationOut(
                id=r.pk,
                position=r.position,
                institution=r.institution.name if r.institution else r.external_name,
                offering=r.offering.name if r.offering else None,
                offering_id=r.offering_id,
                outside_platform=r.institution_id is None,
                contact=r.external_contact if r.institution_id is None else "",
                score=float(r.score) if r.institution_id else None,
                reasons=explain.plain_reasons(r.explanation),
                note=r.note,
                accepted=r.accepted_at is not None,
                declined=r.declined_at is not None,
            )
            for r in demand.recommendations.all()
        ],
        clocks=[
            ClockOut(
                kind=c.kind,
                label=c.kind_label,
                due_at=c.due_at,
                stopped_at=c.stopped_at,
                outcome=c.outcome,
            )
            for c in selectors.clocks_of(demand)
        ],
        docking=DockingOut(
            institution=institution.name,
            service_phone=institution.service_phone,
            address=institution.address,
            project=docking.project,
            expected_start=docking.expected_start,
            expected_end=docking.expected_end,
            price=str(docking.price) if docking.price is not None else None,
        )
        if docking is not None and institution is not None
        else None,
    )


@router.get("/mine", response=list[DemandSummaryOut], summary="My demands, newest first")
def my_demands(request: AuthenticatedRequest) -> list[DemandSummaryOut]:
    demands = selectors.demands_of(user=request.user)[:200]
    return [DemandSummaryOut(**_summary(d)) for d in demands]


@router.get(
    "/mine/{number}",
    response={200: DemandOut, 404: ErrorOut},
    summary="One of my demands: history, deadlines, recommendations and why, docking",
)
def my_demand(request: AuthenticatedRequest, number: str) -> DemandOut:
    return _detail(selectors.demand_for_user(user=request.user, number=number))


@router.post(
    "/mine",
    response={201: DemandOut, **_ERRORS},
    summary="Publish a demand (multipart; optional attachments)",
)
@idempotent("demands.publish")
def publish(
    request: AuthenticatedRequest,
    data: Form[PublishIn],
    attachments: list[UploadedFile] | None = OPTIONAL_FILES,
) -> Status[DemandOut]:
    category = ServiceCategory.objects.filter(code=data.category).first()
    if category is None:
        raise InvalidInput(UNKNOWN_CATEGORY, field="category")
    demand = services.demand_publish(
        user=request.user,
        category=category,
        title=data.title,
        description=data.description,
        region=region_get(code=data.region_code),
        contact_name=data.contact_name,
        contact_method=data.contact_method,
        contact_phone=data.contact_phone,
        desired_date=data.desired_date,
        attachments=list(attachments or []),
    )
    return Status(201, _detail(selectors.demand_for_user(user=request.user, number=demand.number)))


@router.post(
    "/mine/{number}/recommendations/{recommendation_id}/accept",
    response={200: DemandOut, **_ERRORS},
    summary="Choose a recommended institution (docking)",
)
def accept(request: AuthenticatedRequest, number: str, recommendation_id: int) -> DemandOut:
    demand = selectors.demand_for_user(user=request.user, number=number)
    chosen = next((r for r in demand.recommendations.all() if r.pk == recommendation_id), None)
    if chosen is None:
        raise selectors.DemandNotFound()
    services.demand_accept_recommendation(user=request.user, demand=demand, recommendation=chosen)
    return _detail(selectors.demand_for_user(user=request.user, number=number))


@router.post(
    "/mine/{number}/cancel",
    response={200: DemandOut, **_ERRORS},
    summary="Withdraw my demand (not once docked)",
)
def cancel(request: AuthenticatedRequest, number: str, data: CancelIn) -> DemandOut:
    demand = selectors.demand_for_user(user=request.user, number=number)
    services.demand_cancel(user=request.user, demand=demand, reason=data.reason)
    return _detail(selectors.demand_for_user(user=request.user, number=number))

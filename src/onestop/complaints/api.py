"""Complaints API under /api/v1/complaints/ (WX 7.4.2 online channel, WX 7.4.3):
a logged-in user files a complaint and follows their own; staff list the
complaints of their regions and stations. The same selectors and services as
the pages; another user's complaint or order is 404."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status

from onestop.accounts import authz, twofactor
from onestop.accounts.authz import Perm
from onestop.complaints import selectors, services
from onestop.complaints.models import Complaint
from onestop.complaints.selectors import QUEUE_OPEN, ComplainantPage
from onestop.core.errors import NotFound
from onestop.core.http import AuthenticatedRequest

router = Router(tags=["complaints"])

PAGE_SIZE = 20


class ErrorOut(Schema):
    code: str
    detail: str


class ComplaintIn(Schema):
    target: str
    type: str
    content: str
    request: str
    institution_id: int | None = None
    station_id: int | None = None
    order_number: str | None = None
    enterprise_id: int | None = None
    anonymous_to_institution: bool = False


class PageFilter(Schema):
    page: int = 1


class StaffFilter(Schema):
    status: str = QUEUE_OPEN
    page: int = 1


class ComplaintSummaryOut(Schema):
    number: str
    status: str
    status_label: str
    type: str
    target: str
    about: str
    received_at: dt.datetime
    url: str


class ComplaintListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ComplaintSummaryOut]


class EventOut(Schema):
    at: dt.datetime
    from_status: str
    to_status: str
    note: str


class ComplaintOut(ComplaintSummaryOut):
    channel: str
    content: str
    request: str
    order_number: str | None
    enterprise: str | None
    anonymous_to_institution: bool
    investigation_due_at: dt.datetime | None
    upheld: bool | None
    feedback: str
    satisfaction: str
    reopened_count: int
    timeline: list[EventOut]
    actions: list[str]


class StaffComplaintOut(ComplaintSummaryOut):
    channel: str
    region: str
    complainant_name: str
    investigation_due_at: dt.datetime | None


class StaffListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[StaffComplaintOut]


def _about(complaint: Complaint) -> str:
    if complaint.institution is not None:
        return complaint.institution.name
    if complaint.station is not None:
        return complaint.station.name
    return ""


def _summary(complaint: Complaint) -> dict[str, object]:
    return {
        "number": complaint.number,
        "status": complaint.status,
        "status_label": str(complaint.get_status_display()),
        "type": complaint.type,
        "target": complaint.target,
        "about": _about(complaint),
        "received_at": complaint.received_at,
        "url": complaint.get_absolute_url(),
    }


def _detail(page: ComplainantPage) -> ComplaintOut:
    complaint = page.complaint
    decided = complaint.fed_back_at is not None
    return ComplaintOut(
        **_summary(complaint),  # type: ignore[arg-type]
        channel=complaint.channel,
        content=complaint.content,
        request=complaint.request,
        order_number=complaint.order.number if complaint.order else None,
        enterprise=complaint.enterprise.name if complaint.enterprise else None,
        anonymous_to_institution=complaint.anonymous_to_institution,
        investigation_due_at=page.clock.due_at if page.clock else None,
        upheld=complaint.upheld if decided else None,
        feedback=complaint.feedback,
        satisfaction=complaint.satisfaction,
        reopened_count=complaint.reopened_count,
        timeline=[
            EventOut(
                at=event.at,
                from_status=event.from_status,
                to_status=event.to_status,
                note=event.note if event.to_status in selectors.NOTES_FOR_COMPLAINANT else "",
            )
            for event in page.events
        ],
        actions=[rule.action for rule, _party in page.actions],
    )


def _mine(request: AuthenticatedRequest, number: str) -> ComplaintOut:
    return _detail(selectors.complainant_page(user=request.user, number=number, now=timezone.now()))


@router.post(
    "/",
    response={
        201: ComplaintOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Make a complaint (about one of my orders, an institution, a station or the platform)",
)
def complaint_create(request: AuthenticatedRequest, data: ComplaintIn) -> Status[ComplaintOut]:
    user = request.user
    order = selectors.my_order(user=user, number=data.order_number) if data.order_number else None
    enterprise = None
    if data.enterprise_id is not None:
        enterprise = next(
            (e for e in selectors.my_enterprises(user=user) if e.pk == data.enterprise_id), None
        )
        if enterprise is None:
            raise NotFound()
    complaint = services.complaint_file(
        user=user,
        target=data.target,
        complaint_type=data.type,
        content=data.content,
        request=data.request,
        institution_id=data.institution_id,
        station_id=data.station_id,
        order=order,
        enterprise=enterprise,
        anonymous_to_institution=data.anonymous_to_institution,
    )
    return Status(201, _mine(request, complaint.number))


@router.get(
    "/mine",
    response={200: ComplaintListOut, 401: ErrorOut},
    summary="My complaints, newest first",
)
def complaint_mine(request: AuthenticatedRequest, filters: Query[PageFilter]) -> ComplaintListOut:
    page = Paginator(selectors.complaints_of_user(request.user), PAGE_SIZE).get_page(filters.page)
    return ComplaintListOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[ComplaintSummaryOut(**_summary(c)) for c in page.object_list],  # type: ignore[arg-type]
    )


@router.get(
    "/",
    response={200: StaffListOut, 401: ErrorOut, 403: ErrorOut, 400: ErrorOut},
    summary="Complaints of my regions and stations (staff, after two-factor login)",
)
def complaint_staff_list(
    request: AuthenticatedRequest, filters: Query[StaffFilter]
) -> StaffListOut:
    user = request.user
    if not twofactor.session_is_verified(user) or not (
        authz.has_perm(user, Perm.COMPLAINT_HANDLE) or authz.has_perm(user, Perm.COMPLAINT_REGISTER)
    ):
        raise authz.NotAllowed()
    complaints = selectors.staff_queue(user=user, status=filters.status)
    page = Paginator(complaints, PAGE_SIZE).get_page(filters.page)
    return StaffListOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[
            StaffComplaintOut(
                **_summary(c),  # type: ignore[arg-type]
                channel=c.channel,
                region=c.region.name,
                complainant_name=c.complainant_name,
                investigation_due_at=getattr(c, "due_at", None),
            )
            for c in page.object_list
        ],
    )


@router.get(
    "/{number}",
    response={200: ComplaintOut, 401: ErrorOut, 404: ErrorOut},
    summary="One of my complaints: its progress, the outcome and what I can do next",
)
def complaint_get(request: AuthenticatedRequest, number: str) -> ComplaintOut:
    return _mine(request, number)

"""The institution's door: what was forwarded to it, never who complains
when the complaint is anonymous to it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import QuerySet

from onestop.accounts.models import User
from onestop.complaints import rules
from onestop.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintStatus,
)
from onestop.complaints.selectors.common import (
    ComplaintNotFound,
)
from onestop.core.crypto import mask_mobile
from onestop.institutions.models import Institution
from onestop.institutions.selectors import institution_for_user


def institution_of(*, user: User) -> Institution:
    institution = institution_for_user(user)
    if institution is None:
        raise ComplaintNotFound()
    return institution


def institution_queue(*, institution: Institution) -> QuerySet[Complaint]:
    """Complaints forwarded to the institution, newest forwarded first. The
    rows' identity fields are never rendered by the list."""
    return (
        Complaint.objects.filter(institution=institution, forwarded_at__isnull=False)
        .only("number", "type", "status", "forwarded_at", "responded_at", "institution_id")
        .order_by("-forwarded_at", "-id")
    )


@dataclasses.dataclass(frozen=True)
class InstitutionEvent:
    at: dt.datetime
    to_status: str
    to_label: str
    note: str


@dataclasses.dataclass(frozen=True)
class InstitutionView:
    """What an institution may read of a complaint forwarded to it. With
    ``anonymous`` the complainant fields are empty: the page and the API are
    built from this object only, never from the Complaint row."""

    number: str
    type_label: str
    status: str
    status_label: str
    content: str
    request: str
    received_at: dt.datetime
    forwarded_at: dt.datetime | None
    order_number: str
    response: str
    responded_at: dt.datetime | None
    conclusion: str
    upheld: bool | None
    anonymous: bool
    complainant_name: str
    complainant_phone: str
    enterprise_name: str
    events: list[InstitutionEvent]
    attachments: list[ComplaintAttachment]
    can_respond: bool


def complaint_for_institution(*, user: User, number: str) -> Complaint:
    """The row behind a forwarded complaint, for the institution's writes only
    (its pages are built from institution_view)."""
    institution = institution_of(user=user)
    complaint = Complaint.objects.filter(
        number=number, institution=institution, forwarded_at__isnull=False
    ).first()
    if complaint is None:
        raise ComplaintNotFound()
    return complaint


def institution_view(*, user: User, number: str) -> InstitutionView:
    institution = institution_of(user=user)
    complaint = (
        Complaint.objects.filter(number=number, institution=institution, forwarded_at__isnull=False)
        .select_related("order", "enterprise")
        .first()
    )
    if complaint is None:
        raise ComplaintNotFound()
    anonymous = complaint.anonymous_to_institution
    events = [
        InstitutionEvent(
            at=event.at,
            to_status=event.to_status,
            to_label=str(ComplaintStatus(event.to_status).label) if event.to_status else "",
            note=event.note,
        )
        for event in complaint.events.filter(visible_to_institution=True)
    ]
    attachments: list[ComplaintAttachment] = []
    if not anonymous:
        attachments = list(complaint.attachments.select_related("document"))
    phone = str(complaint.complainant_phone or "")
    return InstitutionView(
        number=complaint.number,
        type_label=str(complaint.get_type_display()),
        status=complaint.status,
        status_label=str(complaint.get_status_display()),
        content=complaint.content,
        request=complaint.request,
        received_at=complaint.received_at,
        forwarded_at=complaint.forwarded_at,
        order_number=complaint.order.number if complaint.order else "",
        response=complaint.institution_response,
        responded_at=complaint.responded_at,
        conclusion=complaint.conclusion if complaint.concluded_at else "",
        upheld=complaint.upheld if complaint.concluded_at else None,
        anonymous=anonymous,
        complainant_name="" if anonymous else complaint.complainant_name,
        complainant_phone="" if anonymous or not phone else mask_mobile(phone),
        enterprise_name="" if anonymous or not complaint.enterprise else complaint.enterprise.name,
        events=events,
        attachments=attachments,
        can_respond=rules.can_respond(complaint),
    )


def institution_reads_document(user: Any, document: Any) -> bool:
    """documents.register_reader: an institution's people read the files of a
    complaint forwarded to it, unless the complaint is anonymous to it."""
    institution = institution_for_user(user)
    if institution is None:
        return False
    return ComplaintAttachment.objects.filter(
        document_id=document.pk,
        complaint__institution=institution,
        complaint__forwarded_at__isnull=False,
        complaint__anonymous_to_institution=False,
    ).exists()

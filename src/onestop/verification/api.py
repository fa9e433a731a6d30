"""Verification API under /api/v1/verification/: submit and follow one's own
applications (the same services as the pages; multipart for the files)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from onestop.core.http import AuthenticatedRequest
from onestop.regions.selectors import region_get
from onestop.verification import selectors, services
from onestop.verification.models import Application

router = Router(tags=["verification"])

# A file that may be left out on resubmission (the previous one is kept).
OPTIONAL_FILE: Any = File(None)  # type: ignore[type-arg]


class ErrorOut(Schema):
    code: str
    detail: str


class EventOut(Schema):
    to_status: str
    at: dt.datetime
    reasons: list[str]
    note: str


class ApplicationOut(Schema):
    id: int
    kind: str
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    events: list[EventOut]


class IndividualIn(Schema):
    real_name: str
    id_number: str


class EnterpriseIn(Schema):
    name: str
    uscc: str
    legal_representative: str
    address: str
    region_code: str
    industry: str


def _out(application: Application) -> ApplicationOut:
    return ApplicationOut(
        id=application.pk,
        kind=application.kind,
        status=application.status,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        events=[
            EventOut(to_status=e.to_status, at=e.created_at, reasons=e.reasons, note=e.note)
            for e in application.events.all()
        ],
    )


_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 415: ErrorOut}


@router.get(
    "/applications", response=list[ApplicationOut], summary="My applications and their progress"
)
def my_applications(request: HttpRequest) -> list[ApplicationOut]:
    user = request.user  # django_auth guarantees a logged-in user here
    return [_out(a) for a in selectors.applications_of(user=user)]  # type: ignore[arg-type]


@router.post(
    "/individual",
    response={201: ApplicationOut, **_ERRORS},
    summary="Submit (or resubmit) real-name verification with the ID-card scan",
)
def submit_individual(
    request: AuthenticatedRequest,
    data: Form[IndividualIn],
    id_card: UploadedFile | None = OPTIONAL_FILE,
) -> Status[ApplicationOut]:
    application = services.application_submit_individual(
        user=request.user, real_name=data.real_name, id_number=data.id_number, id_card=id_card
    )
    return Status(
        201,
        _out(selectors.application_for_applicant(user=request.user, application_id=application.pk)),
    )


@router.post(
    "/enterprise",
    response={201: ApplicationOut, **_ERRORS},
    summary="Submit (or resubmit) enterprise verification with licence, qualification and pledge",
)
def submit_enterprise(
    request: AuthenticatedRequest,
    data: Form[EnterpriseIn],
    licence: UploadedFile | None = OPTIONAL_FILE,
    qualification: UploadedFile | None = OPTIONAL_FILE,
    pledge: UploadedFile | None = OPTIONAL_FILE,
) -> Status[ApplicationOut]:
    details = services.EnterpriseDetails(
        name=data.name,
        uscc=data.uscc,
        legal_representative=data.legal_representative,
        address=data.address,
        region=region_get(code=data.region_code),
        industry=data.industry,
    )
    application = services.application_submit_enterprise(
        user=request.user,
        details=details,
        licence=licence,
        qualification=qualification,
        pledge=pledge,
    )
    return Status(
        201,
        _out(selectors.application_for_applicant(user=request.user, application_id=application.pk)),
    )

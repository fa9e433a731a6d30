"""Institutions API under /api/v1/institutions/: the public directory of
onboarded institutions and their offerings (the same selectors as the pages;
no login needed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from onestop.institutions import selectors
from onestop.institutions.models import Institution, Offering, Qualification, StatusChange
from onestop.regions.selectors import region_get

router = Router(tags=["institutions"])

PAGE_SIZE = 20


class ErrorOut(Schema):
    code: str
    detail: str


class InstitutionFilter(Schema):
    kind: str = ""
    region: str = ""  # a region code; its whole subtree matches
    page: int = 1


class InstitutionSummaryOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    region_code: str
    region_name: str
    address: str
    service_phone: str
    rating: Decimal
    url: str


class InstitutionPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[InstitutionSummaryOut]


class QualificationOut(Schema):
    kind: str
    number: str
    scope: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    valid_today: bool


class NoticeOut(Schema):
    at: dt.datetime
    status: str
    reason: str


class OfferingSummaryOut(Schema):
    id: int
    name: str
    category_code: str
    category_name: str
    price_min: Decimal | None
    price_max: Decimal | None
    price_note: str
    turnaround_working_days: int
    qualification_valid: bool
    url: str


class InstitutionOut(InstitutionSummaryOut):
    status: str
    description: str
    qualifications: list[QualificationOut]
    offerings: list[OfferingSummaryOut]
    notices: list[NoticeOut]


class StationRefOut(Schema):
    id: int
    name: str
    url: str


class OfferingOut(OfferingSummaryOut):
    institution_id: int
    institution_name: str
    scope: str
    service_item_id: int | None
    qualification: QualificationOut | None
    online: bool
    at_lab: bool
    stations: list[StationRefOut]


def _summary(institution: Institution) -> dict[str, Any]:
    return {
        "id": institution.pk,
        "name": institution.name,
        "kind": institution.kind,
        "kind_label": str(institution.get_kind_display()),
        "region_code": institution.region.code,
        "region_name": institution.region.name,
        "address": institution.address,
        "service_phone": institution.service_phone,
        "rating": institution.rating,
        "url": f"/institutions/{institution.pk}/",
    }


def _qualification(q: Qualification, today: dt.date) -> QualificationOut:
    return QualificationOut(
        kind=q.kind,
        number=q.number,
        scope=q.scope,
        issuer=q.issuer,
        valid_from=q.valid_from,
        valid_to=q.valid_to,
        valid_today=q.is_valid_on(today),
    )


def _offering_summary(offering: Offering, today: dt.date) -> dict[str, Any]:
    qualification = offering.qualification
    return {
        "id": offering.pk,
        "name": offering.name,
        "category_code": offering.category.code,
        "category_name": offering.category.name,
        "price_min": offering.price_min,
        "price_max": offering.price_max,
        "price_note": offering.price_note,
        "turnaround_working_days": offering.turnaround_working_days,
        "qualification_valid": qualification is None or qualification.is_valid_on(today),
        "url": f"/institutions/offerings/{offering.pk}/",
    }


def _notice(change: StatusChange) -> NoticeOut:
    return NoticeOut(at=change.at, status=change.to_status, reason=change.reason)


@router.get(
    "/",
    response={200: InstitutionPageOut, 404: ErrorOut},
    auth=None,
    summary="Onboarded institutions, by kind and region",
)
def institution_list(request: HttpRequest, filters: Query[InstitutionFilter]) -> InstitutionPageOut:
    region = region_get(code=filters.region) if filters.region else None
    institutions = selectors.institutions_public(kind=filters.kind, region=region)
    page = Paginator(institutions, PAGE_SIZE).get_page(filters.page)
    return InstitutionPageOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[InstitutionSummaryOut(**_summary(i)) for i in page.object_list],
    )


@router.get(
    "/offerings/{offering_id}",
    response={200: OfferingOut, 404: ErrorOut},
    auth=None,
    summary="One published offering of an active institution",
)
def offering_get(request: HttpRequest, offering_id: int) -> OfferingOut:
    offering = selectors.offering_page_public(offering_id=offering_id)
    today = timezone.localdate()
    qualification = offering.qualification
    return OfferingOut(
        **_offering_summary(offering, today),
        institution_id=offering.institution_id,
        institution_name=offering.institution.name,
        scope=offering.scope,
        service_item_id=offering.service_item_id,
        qualification=_qualification(qualification, today) if qualification else None,
        online=offering.online,
        at_lab=offering.at_lab,
        stations=[
            StationRefOut(id=s.pk, name=s.name, url=f"/stations/{s.pk}/")
            for s in offering.active_stations  # type: ignore[attr-defined]
        ],
    )


@router.get(
    "/{institution_id}",
    response={200: InstitutionOut, 404: ErrorOut},
    auth=None,
    summary="One institution: certificates, published offerings and public notices",
)
def institution_get(request: HttpRequest, institution_id: int) -> InstitutionOut:
    page = selectors.institution_page_public(institution_id=institution_id)
    institution = page.institution
    return InstitutionOut(
        **_summary(institution),
        status=institution.status,
        description=institution.description,
        qualifications=[_qualification(q, page.today) for q in page.qualifications],
        offerings=[OfferingSummaryOut(**_offering_summary(o, page.today)) for o in page.offerings],
        notices=[_notice(change) for change in page.notices],
    )

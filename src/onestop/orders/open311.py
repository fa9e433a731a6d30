"""Open311-style public status of requests under /api/v1/open311/ (the lead
mounts ``router``): GeoReport v2's service request fields for demands (XQ…)
and orders (DD…), read-only and without login. Nothing personal is given
out: no names, contacts, descriptions or notes — only the category, the
state, the times and who is responsible (WX 5.1 d: track service progress)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from onestop.core.errors import NotFound
from onestop.orders import selectors
from onestop.orders.selectors import PublicRequest, clean_numbers

router = Router(tags=["open311"])


class RequestNotFound(NotFound):
    code = "request_not_found"
    default_message = _("No demand or order has this number.")


class ErrorOut(Schema):
    code: str
    detail: str


class RequestsFilter(Schema):
    # Comma-separated numbers; ``service_request_id`` is GeoReport's name for it.
    numbers: str = ""
    service_request_id: str = ""


class ServiceRequestOut(Schema):
    service_request_id: str
    status: str  # "open" or "closed"
    detailed_status: str
    detailed_status_label: str
    service_code: str
    service_name: str
    requested_datetime: dt.datetime
    updated_datetime: dt.datetime
    expected_datetime: dt.datetime | None
    agency_responsible: str


def _local(instant: dt.datetime | None) -> dt.datetime | None:
    # GeoReport gives times with the local offset; China time reads best here.
    return timezone.localtime(instant) if instant is not None else None


def _out(request: PublicRequest) -> ServiceRequestOut:
    return ServiceRequestOut(
        service_request_id=request.number,
        status="open" if request.open else "closed",
        detailed_status=request.status,
        detailed_status_label=request.status_label,
        service_code=request.service_code,
        service_name=request.service_name,
        requested_datetime=timezone.localtime(request.requested_at),
        updated_datetime=timezone.localtime(request.updated_at),
        expected_datetime=_local(request.expected_at),
        agency_responsible=request.agency,
    )


@router.get(
    "/requests",
    response={200: list[ServiceRequestOut], 400: ErrorOut},
    auth=None,
    summary="Status of several demands or orders: ?numbers=XQ…,DD…",
)
def requests_list(request: HttpRequest, filters: Query[RequestsFilter]) -> list[ServiceRequestOut]:
    raw = f"{filters.numbers},{filters.service_request_id}".split(",")
    numbers = clean_numbers(raw)
    return [_out(r) for r in selectors.open311_requests(numbers=numbers)]


@router.get(
    "/requests/{number}",
    response={200: list[ServiceRequestOut], 400: ErrorOut, 404: ErrorOut},
    auth=None,
    summary="Status of one demand or order (a list of one, as in GeoReport v2)",
)
def request_get(request: HttpRequest, number: str) -> list[ServiceRequestOut]:
    numbers = clean_numbers([number.removesuffix(".json")])
    found = selectors.open311_requests(numbers=numbers)
    if not found:
        raise RequestNotFound()
    return [_out(r) for r in found]

"""The public status of orders and demands by number (Open311-style)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import InvalidInput
from onestop.core.models import SlaClock
from onestop.orders.models import (
    OPEN_STATUSES,
    Order,
)
from onestop.orders.selectors.common import (
    _order_type_id,
)

# --- Open311 ---------------------------------------------------------------------------------

NUMBER = re.compile(r"^(DD|XQ)\d{13,15}$")
MAX_NUMBERS = 20


def clean_numbers(raw: Iterable[str]) -> list[str]:
    """Order/demand numbers from a request, de-duplicated; InvalidInput when malformed."""
    numbers = list(dict.fromkeys(n.strip().upper() for n in raw if n.strip()))
    if not numbers:
        raise InvalidInput(_("Give at least one request number."))
    if len(numbers) > MAX_NUMBERS:
        raise InvalidInput(_("At most %(n)s numbers at a time."), n=MAX_NUMBERS)
    for number in numbers:
        if not NUMBER.match(number):
            raise InvalidInput(_("%(number)s is not a request number."), number=number)
    return numbers


@dataclasses.dataclass(frozen=True)
class PublicRequest:
    """What anyone may know of a demand or an order from its number
    (Open311 GeoReport v2 style): no person, no text anyone typed."""

    number: str
    service_code: str
    service_name: str
    open: bool
    status: str
    status_label: str
    requested_at: dt.datetime
    updated_at: dt.datetime
    expected_at: dt.datetime | None
    agency: str


def _running_due(type_id: int, ids: list[int]) -> dict[str, dt.datetime]:
    """The earliest due time of each subject's running clocks (one query)."""
    due: dict[str, dt.datetime] = {}
    rows = SlaClock.objects.filter(
        subject_type_id=type_id,
        subject_id__in=[str(pk) for pk in ids],
        stopped_at__isnull=True,
        paused_at__isnull=True,
    ).values_list("subject_id", "due_at")
    for subject_id, due_at in rows:
        if subject_id not in due or due_at < due[subject_id]:
            due[subject_id] = due_at
    return due


def open311_requests(*, numbers: list[str]) -> list[PublicRequest]:
    """Public status of the demands (XQ…) and orders (DD…) named, in the
    order asked; unknown numbers are left out. Four queries at most."""
    from django.conf import settings

    from onestop.core.workdays import end_of_day
    from onestop.demands.models import Demand, DemandStatus

    found: dict[str, PublicRequest] = {}
    order_numbers = [n for n in numbers if n.startswith("DD")]
    demand_numbers = [n for n in numbers if n.startswith("XQ")]
    if order_numbers:
        orders = list(
            Order.objects.filter(number__in=order_numbers).select_related(
                "offering__category", "institution"
            )
        )
        due = _running_due(_order_type_id(), [o.pk for o in orders])
        for order in orders:
            expected = due.get(str(order.pk))
            if expected is None and order.expected_completion is not None:
                # Completion is promised for a day: its end, like every deadline.
                expected = end_of_day(order.expected_completion)
            category = order.offering.category
            found[order.number] = PublicRequest(
                number=order.number,
                service_code=category.code,
                service_name=category.name,
                open=order.status in OPEN_STATUSES,
                status=order.status,
                status_label=str(order.get_status_display()),
                requested_at=order.created_at,
                updated_at=order.updated_at,
                expected_at=expected,
                agency=order.institution.name,
            )
    if demand_numbers:
        demands = list(
            Demand.objects.filter(number__in=demand_numbers).select_related("category", "station")
        )
        demand_type = ContentType.objects.get_for_model(Demand).pk
        due = _running_due(demand_type, [d.pk for d in demands])
        still_open = {DemandStatus.PUBLISHED, DemandStatus.RESPONDED, DemandStatus.RECOMMENDED}
        for demand in demands:
            found[demand.number] = PublicRequest(
                number=demand.number,
                service_code=demand.category.code,
                service_name=demand.category.name,
                open=demand.status in still_open,
                status=demand.status,
                status_label=str(demand.get_status_display()),
                requested_at=demand.created_at,
                updated_at=demand.updated_at,
                expected_at=due.get(str(demand.pk)),
                agency=demand.station.name
                if demand.station is not None
                else str(settings.ONESTOP_PLATFORM_NAME),
            )
    return [found[n] for n in numbers if n in found]

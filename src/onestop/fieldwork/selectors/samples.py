"""Reads of samples as staff, the institution's people and the orderer see
them, and who may read a sample's photo and report."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import NotFound
from onestop.fieldwork.models import Sample, SampleEvent, SampleStatus
from onestop.fieldwork.scope import fieldwork_scope
from onestop.institutions.models import Institution
from onestop.institutions.selectors import institution_for_user
from onestop.orders.models import Order
from onestop.stations.models import Station


class SampleNotFound(NotFound):
    code = "sample_not_found"
    default_message = _("No such sample.")


def _with_chain(samples: QuerySet[Sample]) -> QuerySet[Sample]:
    return samples.select_related(
        "order__user",
        "order__institution",
        "order__offering",
        "station__region",
        "photo",
        "report",
    ).prefetch_related(
        Prefetch(
            "events", queryset=SampleEvent.objects.select_related("actor").order_by("at", "id")
        )
    )


def _samples_in_scope(user: Any) -> QuerySet[Sample]:
    scope = fieldwork_scope(user)
    if scope.empty:
        return Sample.objects.none()
    return Sample.objects.filter(scope.q(region="station__region", station="station"))


def samples_for_staff(
    *, user: Any, station: Station | None = None, status: str = "", query: str = ""
) -> QuerySet[Sample]:
    samples = _samples_in_scope(user)
    if station is not None:
        samples = samples.filter(station=station)
    if status in SampleStatus.values:
        samples = samples.filter(status=status)
    query = (query or "").strip().upper()
    if query:
        samples = samples.filter(Q(number=query) | Q(order__number=query))
    return samples.select_related("order__institution", "station").order_by("-created_at", "-id")


def sample_status_counts(*, user: Any, station: Station | None = None) -> dict[str, int]:
    samples = _samples_in_scope(user)
    if station is not None:
        samples = samples.filter(station=station)
    rows = samples.order_by().values_list("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in SampleStatus.values}
    counts.update({status: n for status, n in rows})
    return counts


def sample_for_staff(*, user: Any, sample_id: int) -> Sample:
    sample = _with_chain(_samples_in_scope(user)).filter(pk=sample_id).first()
    if sample is None:
        raise SampleNotFound()
    return sample


def samples_for_institution(*, institution: Institution, status: str = "") -> QuerySet[Sample]:
    samples = Sample.objects.filter(order__institution=institution)
    if status in SampleStatus.values:
        samples = samples.filter(status=status)
    return samples.select_related("order", "station").order_by("-updated_at", "-id")


def sample_for_institution(*, institution: Institution, sample_id: int) -> Sample:
    sample = (
        _with_chain(Sample.objects.filter(order__institution=institution))
        .filter(pk=sample_id)
        .first()
    )
    if sample is None:
        raise SampleNotFound()
    return sample


def samples_of_user(*, user: Any) -> QuerySet[Sample]:
    return (
        Sample.objects.filter(order__user=user)
        .select_related("order__institution", "station")
        .order_by("-created_at", "-id")
    )


def sample_for_user(*, user: Any, sample_id: int) -> Sample:
    sample = _with_chain(Sample.objects.filter(order__user=user)).filter(pk=sample_id).first()
    if sample is None:
        raise SampleNotFound()
    return sample


def samples_of_order(order: Order) -> list[Sample]:
    """An order's samples, oldest first, for the order page (which decides
    who may see the order); one query."""
    return list(
        Sample.objects.filter(order=order).select_related("station").order_by("created_at", "id")
    )


def sample_document_readable(user: Any, document: Any) -> bool:
    """documents reader predicate: a sample's photo and report are read by
    the staff handling its station (after their second factor), the
    institution's people, and the order's user and the members of its
    enterprise — the report only once it has been handed out, since the
    pick-up code is what releases it."""
    from onestop.accounts.twofactor import session_is_verified
    from onestop.orders.selectors import enterprise_ids_of

    sample = (
        Sample.objects.filter(Q(photo_id=document.pk) | Q(report_id=document.pk))
        .select_related("order", "station__region")
        .first()
    )
    if sample is None:
        return False
    order = sample.order
    if order.user_id == user.pk or (
        order.enterprise_id is not None and order.enterprise_id in enterprise_ids_of(user)
    ):
        # The orderer, or a member of the enterprise the order is for (its
        # quality archive lists the report, HM 6.1).
        return document.pk == sample.photo_id or sample.status == SampleStatus.HANDED_OUT
    if session_is_verified(user) and fieldwork_scope(user).covers_station(sample.station):
        return True
    institution = institution_for_user(user)
    return institution is not None and institution.pk == sample.order.institution_id

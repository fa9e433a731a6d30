"""Reads of fieldwork, each applying who may see what and fetching related
rows in a fixed number of queries.

Staff see what fieldwork_scope covers (their regions, narrowed to their
station when their role is scoped to one); an institution's people see the
samples and slots of their institution; a user sees their own samples and
appointments. Rows outside someone's reach are "not found", not
"forbidden", so ids in URLs reveal nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.core import workdays
from onestop.core.errors import NotFound
from onestop.fieldwork import rules
from onestop.fieldwork.models import (
    Appointment,
    FollowUp,
    ProxyTask,
    Sample,
    SampleEvent,
    SampleStatus,
    Slot,
    TaskStatus,
)
from onestop.fieldwork.scope import PERM, fieldwork_scope
from onestop.institutions.models import Institution, InstitutionStatus
from onestop.institutions.selectors import institution_for_user
from onestop.orders.models import OPEN_STATUSES, Order
from onestop.stations.models import Station, StationStatus


class TaskNotFound(NotFound):
    code = "task_not_found"
    default_message = _("No such proxy task.")


class SampleNotFound(NotFound):
    code = "sample_not_found"
    default_message = _("No such sample.")


class OrderNotFound(NotFound):
    code = "order_not_found"
    default_message = _("No order with this number in your area.")


class SlotNotFound(NotFound):
    code = "slot_not_found"
    default_message = _("No such time slot.")


class AppointmentNotFound(NotFound):
    code = "appointment_not_found"
    default_message = _("No such appointment.")


class FollowUpNotFound(NotFound):
    code = "follow_up_not_found"
    default_message = _("No such follow-up.")


class NotAnInstitution(authz.NotAllowed):
    default_message = _("These pages are for the people of an onboarded service institution.")


# --- stations and people ------------------------------------------------------------------


def stations_handled(*, user: Any) -> QuerySet[Station]:
    """Active stations whose fieldwork the user handles."""
    scope = fieldwork_scope(user)
    if scope.empty:
        return Station.objects.none()
    return (
        Station.objects.filter(scope.q(region="region", station="pk"), status=StationStatus.ACTIVE)
        .select_related("region")
        .order_by("region__path", "name")
    )


def station_handled(*, user: Any, station_id: int | str | None) -> Station:
    try:
        pk = int(station_id or 0)
    except (TypeError, ValueError):
        pk = 0
    station = stations_handled(user=user).filter(pk=pk).first()
    if station is None:
        raise NotFound(_("No such station among those you handle."), field="station")
    return station


def assignable_people(station: Station) -> list[User]:
    """Who may take a proxy task of this station: its own staff, then center
    staff over its region (two queries)."""
    own = list(authz.holders(Role.STATION_STAFF, station).order_by("display_name", "pk"))
    seen = {person.pk for person in own}
    center = [
        person
        for person in authz.holders_over(Role.CENTER_STAFF, station.region).order_by(
            "display_name", "pk"
        )
        if person.pk not in seen
    ]
    return own + center


def order_for_staff(*, user: Any, number: str) -> Order:
    """An order by its number, if it lies in the user's regions for fieldwork
    or is handled on the user's behalf by a station the user handles."""
    order = (
        Order.objects.select_related(
            "region", "user", "institution", "offering", "proxy_station__region"
        )
        .filter(number=(number or "").strip().upper())
        .first()
    )
    if order is None:
        raise OrderNotFound(field="order")
    if authz.has_perm(user, PERM, order.region):
        return order
    if order.proxy_station is not None and fieldwork_scope(user).covers_station(
        order.proxy_station
    ):
        return order
    raise OrderNotFound(field="order")


# --- proxy tasks ------------------------------------------------------------------------------


class TaskView:
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MINE = "mine"
    CLOSED = "closed"
    ALL = (OPEN, DUE_SOON, OVERDUE, MINE, CLOSED)


def due_soon_limit(now: dt.datetime) -> dt.datetime:
    """ "Due soon" means due by the end of the next working day."""
    return workdays.load_calendar().add_workdays(now, 1)


def _tasks_in_scope(user: Any) -> QuerySet[ProxyTask]:
    scope = fieldwork_scope(user)
    if scope.empty:
        return ProxyTask.objects.none()
    return ProxyTask.objects.filter(scope.q(region="station__region", station="station"))


def _task_filters(user: Any, now: dt.datetime, soon: dt.datetime) -> dict[str, Q]:
    is_open = Q(status=TaskStatus.OPEN)
    return {
        TaskView.OPEN: is_open,
        TaskView.DUE_SOON: is_open & Q(due_at__gte=now, due_at__lt=soon),
        TaskView.OVERDUE: is_open & Q(due_at__lt=now),
        TaskView.MINE: is_open & Q(assigned_to=user),
        TaskView.CLOSED: ~is_open,
    }


def task_queue(
    *,
    user: Any,
    view: str,
    station: Station | None = None,
    now: dt.datetime | None = None,
    soon: dt.datetime | None = None,
) -> QuerySet[ProxyTask]:
    """A station's (or all handled stations') proxy tasks: open, due soon
    (before ``soon``, by default the end of the next working day), overdue
    (against ``now``), assigned to me, or closed."""
    moment = now or timezone.now()
    filters = _task_filters(user, moment, soon or due_soon_limit(moment))
    tasks = _tasks_in_scope(user).filter(filters.get(view, filters[TaskView.OPEN]))
    if station is not None:
        tasks = tasks.filter(station=station)
    order = ["-done_at", "-id"] if view == TaskView.CLOSED else ["due_at", "id"]
    return tasks.select_related("order", "station", "assigned_to").order_by(*order)


def task_counts(
    *,
    user: Any,
    station: Station | None = None,
    now: dt.datetime | None = None,
    soon: dt.datetime | None = None,
) -> dict[str, int]:
    """How many tasks each view holds, in one query."""
    moment = now or timezone.now()
    filters = _task_filters(user, moment, soon or due_soon_limit(moment))
    tasks = _tasks_in_scope(user)
    if station is not None:
        tasks = tasks.filter(station=station)
    return tasks.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})


def task_for_staff(*, user: Any, task_id: int) -> ProxyTask:
    task = (
        _tasks_in_scope(user)
        .select_related(
            "order__user",
            "order__institution",
            "order__offering",
            "station__region",
            "assigned_to",
            "created_by",
        )
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise TaskNotFound()
    return task


def tasks_for_staff(*, user: Any, task_ids: list[int]) -> list[ProxyTask]:
    """The tasks among ``task_ids`` the user handles (bulk actions); any
    other id makes the whole lot not found."""
    tasks = list(
        _tasks_in_scope(user).select_related("station__region", "order").filter(pk__in=task_ids)
    )
    if len(tasks) != len(set(task_ids)):
        raise TaskNotFound()
    return tasks


def tasks_of_order(order: Order) -> list[ProxyTask]:
    return list(order.proxy_tasks.select_related("station", "assigned_to").order_by("due_at"))


# --- samples -------------------------------------------------------------------------------------


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


def own_institution(*, user: Any) -> Institution:
    """The institution the user acts for, or refused."""
    institution = institution_for_user(user)
    if institution is None:
        raise NotAnInstitution()
    return institution


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


# --- appointments ------------------------------------------------------------------------------


def _live(slot_ref: str = "pk") -> Exists:
    return Exists(Appointment.objects.filter(slot=OuterRef(slot_ref), cancelled_at__isnull=True))


def station_public(*, station_id: int) -> Station:
    station = (
        Station.objects.filter(pk=station_id, status=StationStatus.ACTIVE)
        .select_related("region")
        .first()
    )
    if station is None:
        raise NotFound(_("No such station."))
    return station


def institution_public(*, institution_id: int) -> Institution:
    institution = (
        Institution.objects.filter(pk=institution_id, status=InstitutionStatus.ACTIVE)
        .select_related("region")
        .first()
    )
    if institution is None:
        raise NotFound(_("No such institution."))
    return institution


def free_slots(
    *,
    station: Station | None = None,
    institution: Institution | None = None,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """Unbooked future slots of one place for the next SLOT_WINDOW_DAYS days (one query)."""
    moment = now or timezone.now()
    slots = Slot.objects.filter(
        starts_at__gt=moment, starts_at__lt=moment + dt.timedelta(days=rules.SLOT_WINDOW_DAYS)
    ).filter(~_live())
    if station is not None:
        slots = slots.filter(station=station)
    elif institution is not None:
        slots = slots.filter(institution=institution)
    else:
        return []
    return list(slots.order_by("starts_at", "id")[:1000])


@dataclass(frozen=True)
class Day:
    day: dt.date
    slots: list[Slot]


def by_day(slots: list[Slot]) -> list[Day]:
    days: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return [Day(day=day, slots=items) for day, items in days.items()]


def slot_bookable(*, slot_id: int, now: dt.datetime | None = None) -> Slot:
    """A slot as the booking page shows it (past or taken ones too: the
    service refuses them with the reason)."""
    slot = (
        Slot.objects.select_related("station__region", "institution__region")
        .annotate(taken=_live())
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise SlotNotFound()
    return slot


def open_orders_of(*, user: Any) -> QuerySet[Order]:
    """The user's orders still running, to attach a booking to."""
    return (
        Order.objects.filter(user=user, status__in=OPEN_STATUSES)
        .select_related("institution")
        .order_by("-created_at")
    )


def appointments_of(*, user: Any) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(user=user)
        .select_related("slot__station", "slot__institution", "order")
        .order_by("-slot__starts_at", "-id")
    )


def appointment_of_user(*, user: Any, appointment_id: int) -> Appointment:
    appointment = appointments_of(user=user).filter(pk=appointment_id).first()
    if appointment is None:
        raise AppointmentNotFound()
    return appointment


def _day_slots(slots: QuerySet[Slot], day: dt.date) -> list[Slot]:
    return list(
        slots.filter(
            starts_at__gte=workdays.start_of_day(day), starts_at__lt=workdays.end_of_day(day)
        )
        .prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("user", "order").order_by("id"),
                to_attr="bookings",
            )
        )
        .order_by("starts_at", "id")
    )


def station_day(*, station: Station, day: dt.date) -> list[Slot]:
    """A station's slots on one day, each with its bookings (two queries)."""
    return _day_slots(Slot.objects.filter(station=station), day)


def institution_day(*, institution: Institution, day: dt.date) -> list[Slot]:
    return _day_slots(Slot.objects.filter(institution=institution), day)


def slot_for_staff(*, user: Any, slot_id: int) -> Slot:
    scope = fieldwork_scope(user)
    slot = (
        Slot.objects.filter(station__isnull=False)
        .filter(scope.q(region="station__region", station="station"))
        .select_related("station__region")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise SlotNotFound()
    return slot


def slot_for_institution(*, institution: Institution, slot_id: int) -> Slot:
    slot = (
        Slot.objects.filter(institution=institution, pk=slot_id)
        .select_related("institution__region")
        .first()
    )
    if slot is None:
        raise SlotNotFound()
    return slot


def appointment_for_staff(*, user: Any, appointment_id: int) -> Appointment:
    scope = fieldwork_scope(user)
    condition = scope.q(region="slot__station__region", station="slot__station")
    appointment = (
        Appointment.objects.filter(slot__station__isnull=False)
        .filter(condition)
        .select_related("slot__station__region", "user")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise AppointmentNotFound()
    return appointment


def appointment_for_institution(*, institution: Institution, appointment_id: int) -> Appointment:
    appointment = (
        Appointment.objects.filter(slot__institution=institution, pk=appointment_id)
        .select_related("slot__institution__region", "user")
        .first()
    )
    if appointment is None:
        raise AppointmentNotFound()
    return appointment


# --- follow-ups ----------------------------------------------------------------------------------


class FollowUpView:
    TODAY = "today"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    DONE = "done"
    ALL = (TODAY, OVERDUE, UPCOMING, DONE)


def _follow_ups_in_scope(user: Any) -> QuerySet[FollowUp]:
    scope = fieldwork_scope(user)
    if scope.empty:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(scope.q(region="region", station="station"))


def _follow_up_filters(today: dt.date) -> dict[str, Q]:
    pending = Q(done_at__isnull=True)
    return {
        FollowUpView.TODAY: pending & Q(due_on=today),
        FollowUpView.OVERDUE: pending & Q(due_on__lt=today),
        FollowUpView.UPCOMING: pending & Q(due_on__gt=today),
        FollowUpView.DONE: ~pending,
    }


def _station_filter(follow_ups: QuerySet[FollowUp], station: str) -> QuerySet[FollowUp]:
    """``station`` is a station id, "center" for the center's own, or "" for all."""
    if station == "center":
        return follow_ups.filter(station__isnull=True)
    if station.isdigit():
        return follow_ups.filter(station_id=int(station))
    return follow_ups


def follow_up_queue(
    *, user: Any, view: str, station: str = "", today: dt.date | None = None
) -> QuerySet[FollowUp]:
    day = today or timezone.localdate()
    filters = _follow_up_filters(day)
    follow_ups = _station_filter(_follow_ups_in_scope(user), station).filter(
        filters.get(view, filters[FollowUpView.TODAY])
    )
    order = ["-done_at", "-id"] if view == FollowUpView.DONE else ["due_on", "id"]
    return follow_ups.select_related(
        "order__user", "demand", "station", "region", "assigned_to"
    ).order_by(*order)


def follow_up_counts(
    *, user: Any, station: str = "", today: dt.date | None = None
) -> dict[str, int]:
    day = today or timezone.localdate()
    follow_ups = _station_filter(_follow_ups_in_scope(user), station)
    return follow_ups.aggregate(
        **{name: Count("pk", filter=q) for name, q in _follow_up_filters(day).items()}
    )


def follow_up_for_staff(*, user: Any, follow_up_id: int) -> FollowUp:
    follow_up = (
        _follow_ups_in_scope(user)
        .select_related(
            "order__user",
            "order__institution",
            "order__offering__category",
            "demand__category",
            "station",
            "region",
            "assigned_to",
            "done_by",
            "new_demand",
        )
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None:
        raise FollowUpNotFound()
    return follow_up

"""Reads of supervision: the supervisors' region-scoped lists, the targets'
own actions, the period list for the annual summary, reviews of important
items, and credit grades. Each read is a fixed number of queries."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.catalog.models import ItemStatus, ServiceItem
from onestop.complaints.models import Complaint
from onestop.core.errors import NotFound
from onestop.evaluations.models import RectificationCase
from onestop.institutions.models import Institution, InstitutionStatus, Offering, OfferingStatus
from onestop.institutions.selectors import institution_for_user
from onestop.regions.models import Region
from onestop.stations.models import Station, StationStatus
from onestop.supervision.models import (
    OPEN_STATUSES,
    OVERDUE,
    ActionDocument,
    ActionEvent,
    ActionStatus,
    CorrectiveAction,
    CreditGrade,
    ImportantItem,
    ItemReview,
    TargetKind,
)

_TARGET_RELATIONS = ("institution", "station", "staff_member", "region")


def _actions() -> QuerySet[CorrectiveAction]:
    return CorrectiveAction.objects.select_related(*_TARGET_RELATIONS).order_by("-issued_at", "-id")


# --- for the annual summary ------------------------------------------------------------


def corrective_actions_in(
    *, region: Region, start: dt.date, end: dt.date
) -> list[CorrectiveAction]:
    """Actions issued from ``start`` to ``end`` (inclusive, China dates) in the
    region's subtree, oldest first, with their targets and region loaded (one
    query). Each row has ``state`` ("overdue" or the status) and
    ``state_label`` computed for today."""
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return list(
        CorrectiveAction.objects.filter(
            region__path__startswith=region.path, issued_at__gte=since, issued_at__lt=until
        )
        .select_related(*_TARGET_RELATIONS)
        .order_by("issued_at", "id")
    )


# --- supervisors ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ActionFilter:
    state: str = ""  # a status, "open", or "overdue"
    target_kind: str = ""
    overdue_only: bool = False


def _state_condition(state: str, today: dt.date) -> Q:
    if state == OVERDUE:
        return Q(status__in=OPEN_STATUSES, due_on__lt=today)
    if state == "open":
        return Q(status__in=OPEN_STATUSES)
    if state in ActionStatus.values:
        return Q(status=state)
    return Q()


def actions_for_staff(
    *, user: User, filters: ActionFilter | None = None, today: dt.date | None = None
) -> QuerySet[CorrectiveAction]:
    """Actions of the regions the supervisor covers, newest first."""
    filters = filters or ActionFilter()
    today = today or timezone.localdate()
    actions = _actions().filter(_state_condition(filters.state, today))
    if filters.overdue_only:
        actions = actions.filter(_state_condition(OVERDUE, today))
    if filters.target_kind in TargetKind.values:
        actions = actions.filter(target_kind=filters.target_kind)
    return authz.region_scope(user, Perm.SUPERVISE).filter(actions, "region")


def _with_timeline(actions: QuerySet[CorrectiveAction]) -> QuerySet[CorrectiveAction]:
    return actions.select_related(
        "issued_by", "closed_by", "complaint", "rectification_case"
    ).prefetch_related(
        Prefetch(
            "events",
            queryset=ActionEvent.objects.select_related("actor").prefetch_related(
                Prefetch(
                    "documents",
                    queryset=ActionDocument.objects.select_related("document"),
                )
            ),
        )
    )


def action_for_staff(*, user: User, pk: int) -> CorrectiveAction:
    """One action in the supervisor's regions with its timeline and files
    (three queries); NotFound outside them."""
    scope = authz.region_scope(user, Perm.SUPERVISE)
    action = _with_timeline(scope.filter(_actions(), "region")).filter(pk=pk).first()
    if action is None:
        raise NotFound()
    return action


# --- the target ----------------------------------------------------------------------------


def _station_ids(user: Any) -> list[int]:
    """The stations the user works at as station staff."""
    return [
        int(pk) for pk in authz.scoped_ids(user, Role.STATION_STAFF, Station) if str(pk).isdigit()
    ]


def target_condition(user: Any) -> Q:
    """Actions addressed to the user: to their institution, to a station they
    staff, or to them in person (one query for the institution)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    condition = Q(target_kind=TargetKind.STAFF, staff_member_id=user.pk)
    institution = institution_for_user(user)
    if institution is not None:
        condition |= Q(target_kind=TargetKind.INSTITUTION, institution_id=institution.pk)
    stations = _station_ids(user)
    if stations:
        condition |= Q(target_kind=TargetKind.STATION, station_id__in=stations)
    return condition


def is_target(user: Any, action: CorrectiveAction) -> bool:
    """Whether ``user`` may answer for the action's target."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action.target_kind == TargetKind.STAFF:
        return bool(action.staff_member_id == user.pk)
    if action.target_kind == TargetKind.STATION:
        return action.station_id in _station_ids(user)
    institution = institution_for_user(user)
    return institution is not None and institution.pk == action.institution_id


def actions_for_target(*, user: User) -> QuerySet[CorrectiveAction]:
    """The actions addressed to the user (or their institution or station), newest first."""
    return _actions().filter(target_condition(user))


def action_for_target(*, user: User, pk: int) -> CorrectiveAction:
    action = _with_timeline(actions_for_target(user=user)).filter(pk=pk).first()
    if action is None:
        raise NotFound()
    return action


def evidence_readable_by(user: Any, document: Any) -> bool:
    """documents reader predicate: evidence files are read by the target's
    side and by supervisors of the action's region after their second
    factor (two queries at most)."""
    from onestop.accounts.twofactor import session_is_verified

    attached = (
        ActionDocument.objects.filter(document_id=document.pk)
        .select_related("action__region", "action__institution", "action__staff_member")
        .first()
    )
    if attached is None:
        return False
    action = attached.action
    if authz.region_scope(user, Perm.SUPERVISE).covers(action.region) and session_is_verified(user):
        return True
    return is_target(user, action)


# --- what a supervisor may choose from -------------------------------------------------


def institutions_to_supervise(*, user: User) -> QuerySet[Institution]:
    """Onboarded institutions (active or suspended) in the supervisor's regions."""
    institutions = Institution.objects.filter(
        status__in=(InstitutionStatus.ACTIVE, InstitutionStatus.SUSPENDED)
    ).order_by("name", "pk")
    return authz.region_scope(user, Perm.SUPERVISE).filter(institutions, "region")


def stations_to_supervise(*, user: User) -> QuerySet[Station]:
    stations = Station.objects.filter(status=StationStatus.ACTIVE).order_by("region__path", "name")
    return authz.region_scope(user, Perm.SUPERVISE).filter(stations, "region")


def regions_to_supervise(*, user: User) -> QuerySet[Region]:
    return authz.region_scope(user, Perm.SUPERVISE).filter(Region.objects.order_by("path"), "")


def staff_member_by_username(*, username: str) -> User | None:
    """An active account by user name (the service checks it is staff of the
    supervisor's regions)."""
    username = (username or "").strip()
    if not username:
        return None
    return User.objects.filter(username=username, is_active=True).first()


def complaint_in_scope(*, user: User, number: str) -> Complaint | None:
    complaints = Complaint.objects.filter(number=(number or "").strip().upper())
    return authz.region_scope(user, Perm.SUPERVISE).filter(complaints, "region").first()


def rectification_case_in_scope(*, user: User, pk: int) -> RectificationCase | None:
    cases = RectificationCase.objects.filter(pk=pk)
    return authz.region_scope(user, Perm.SUPERVISE).filter(cases, "region").first()


def service_items_to_mark() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(status=ItemStatus.PUBLISHED).order_by("name", "pk")


def offerings_to_mark(*, user: User) -> QuerySet[Offering]:
    """Published offerings of onboarded institutions in the supervisor's regions."""
    offerings = (
        Offering.objects.filter(
            status=OfferingStatus.PUBLISHED, institution__status=InstitutionStatus.ACTIVE
        )
        .select_related("institution")
        .order_by("institution__name", "name", "pk")
    )
    return authz.region_scope(user, Perm.SUPERVISE).filter(offerings, "institution__region")


# --- important items and reviews ----------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter holding ``day``: its first and last dates."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    following = (
        dt.date(day.year + 1, 1, 1) if first_month == 10 else dt.date(day.year, first_month + 3, 1)
    )
    return start, following - dt.timedelta(days=1)


def _items() -> QuerySet[ImportantItem]:
    return ImportantItem.objects.select_related(
        "region", "service_item", "offering__institution"
    ).order_by("region__path", "id")


def important_items(*, user: User) -> QuerySet[ImportantItem]:
    return authz.region_scope(user, Perm.SUPERVISE).filter(_items(), "region")


def important_items_unreviewed(*, user: User, today: dt.date | None = None) -> list[ImportantItem]:
    """Important items in the supervisor's regions with no review carried out
    in the current quarter for the region that marked them (one query)."""
    start, end = quarter_of(today or timezone.localdate())
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    reviewed = ItemReview.objects.filter(
        Q(service_item_id=OuterRef("service_item_id")) | Q(offering_id=OuterRef("offering_id")),
        region_id=OuterRef("region_id"),
        created_at__gte=since,
        created_at__lt=until,
    )
    return list(important_items(user=user).filter(~Exists(reviewed)))


def reviews_for_staff(*, user: User) -> QuerySet[ItemReview]:
    reviews = ItemReview.objects.select_related(
        "region", "service_item", "offering__institution", "reviewer"
    ).order_by("-created_at", "-id")
    return authz.region_scope(user, Perm.SUPERVISE).filter(reviews, "region")


def review_for_staff(*, user: User, pk: int) -> ItemReview:
    """One review with its linked actions (two queries); NotFound outside the regions."""
    review = (
        reviews_for_staff(user=user)
        .prefetch_related(
            Prefetch(
                "corrective_actions",
                queryset=CorrectiveAction.objects.select_related(*_TARGET_RELATIONS).order_by(
                    "issued_at", "id"
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise NotFound()
    return review


# --- credit grades ---------------------------------------------------------------------------


def credit_grades_for(institution_ids: Iterable[int]) -> dict[int, CreditGrade]:
    """The stored grades of these institutions, by institution id (one query)."""
    ids = {int(pk) for pk in institution_ids}
    if not ids:
        return {}
    return {
        grade.institution_id: grade for grade in CreditGrade.objects.filter(institution_id__in=ids)
    }

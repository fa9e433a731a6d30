"""Reads of the expert pool.

The public directory sees experts in the pool and never their contacts: the
public querysets do not even load the contact columns. The workbench sees
what Perm.EXPERT_MANAGE covers, contacts included. Each read is a fixed
number of queries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.catalog.models import ServiceCategory
from onestop.core.errors import NotFound
from onestop.experts.models import Availability, Expert, QaRegistration, QaSession, SessionStatus
from onestop.regions.models import Region

CONTACT_FIELDS = ("contact_phone", "contact_email")


class ExpertNotFound(NotFound):
    code = "expert_not_found"
    default_message = _("No such expert.")


class UnknownCategory(NotFound):
    code = "unknown_category"
    default_message = _("No such field of expertise.")


def _with_categories(experts: QuerySet[Expert]) -> QuerySet[Expert]:
    # Catalog order: a top-level field, then its sub-fields.
    fields = ServiceCategory.objects.order_by(
        Coalesce("parent__position", "position"),
        F("parent").asc(nulls_first=True),
        "position",
        "code",
    )
    return experts.select_related("region").prefetch_related(Prefetch("categories", fields))


def _in_category(experts: QuerySet[Expert], category: ServiceCategory) -> QuerySet[Expert]:
    """Experts of the field, or of any of its sub-fields when it is a top-level one."""
    links = Expert.categories.through.objects.filter(
        Q(servicecategory=category) | Q(servicecategory__parent=category)
    )
    return experts.filter(pk__in=links.values("expert_id"))


def _serving(region: Region) -> Q:
    """Experts of the region's subtree and of the regions above it (a city's
    pool serves its districts too)."""
    above = [code for code in region.path.split("/") if code and code != region.code]
    return Q(region__path__startswith=region.path) | Q(region__code__in=above)


def category_find(*, code: str) -> ServiceCategory | None:
    """The category with this code; None for no code, NotFound for an unknown one."""
    code = (code or "").strip()
    if not code:
        return None
    category = ServiceCategory.objects.filter(code=code).first()
    if category is None:
        raise UnknownCategory()
    return category


def category_choices() -> list[tuple[str, str]]:
    """(code, label) of every field, each top-level one followed by its sub-fields."""
    categories = list(ServiceCategory.objects.order_by("position", "code"))
    tops = [c for c in categories if c.parent_id is None]
    choices: list[tuple[str, str]] = []
    for top in tops:
        choices.append((top.code, top.name))
        choices += [(c.code, f"— {c.name}") for c in categories if c.parent_id == top.pk]
    return choices


def experts_public(
    *, region: Region | None = None, category: ServiceCategory | None = None
) -> QuerySet[Expert]:
    """Experts in the pool serving ``region`` in ``category``, without contacts."""
    experts = Expert.objects.filter(active=True).defer(*CONTACT_FIELDS)
    if region is not None:
        experts = experts.filter(_serving(region))
    if category is not None:
        experts = _in_category(experts, category)
    return _with_categories(experts).order_by("name", "id")


def expert_public(*, expert_id: int) -> Expert:
    """One expert of the pool for the public page, without contacts."""
    expert = _with_categories(
        Expert.objects.filter(active=True, pk=expert_id).defer(*CONTACT_FIELDS)
    ).first()
    if expert is None:
        raise ExpertNotFound()
    return expert


def experts_managed(
    *,
    user: Any,
    category: ServiceCategory | None = None,
    availability: str = "",
    removed: bool = False,
) -> QuerySet[Expert]:
    """The experts (contacts included) in the regions where the user keeps the
    pool: those in it, or with ``removed`` those taken out."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    experts = scope.filter(Expert.objects.filter(active=not removed), "region")
    if category is not None:
        experts = _in_category(experts, category)
    if availability:
        experts = experts.filter(availability=availability)
    return _with_categories(experts).order_by("region__path", "name", "id")


def expert_get_managed(*, user: Any, expert_id: int) -> Expert:
    """An expert the user may manage; others are "not found", not "forbidden",
    so ids outside the user's regions reveal nothing."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    expert = _with_categories(scope.filter(Expert.objects.filter(pk=expert_id), "region")).first()
    if expert is None:
        raise ExpertNotFound()
    return expert


def managed_regions(user: Any) -> QuerySet[Region]:
    """The regions where the user may put experts."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    return scope.filter(Region.objects.order_by("path"), "")


# --- online Q&A sessions (HM 4.3.3.1) ------------------------------------------------
# Public reads never load ``join_info``: only the registered and the staff see it.


class SessionNotFound(NotFound):
    code = "qa_session_not_found"
    default_message = _("No such online Q&A session.")


_LIVE = Q(registrations__cancelled_at__isnull=True)
_SESSION_HIDDEN = ("join_info", *(f"expert__{name}" for name in CONTACT_FIELDS))


def _sessions() -> QuerySet[QaSession]:
    return (
        QaSession.objects.select_related("expert", "region", "category")
        .defer(*_SESSION_HIDDEN)
        .annotate(taken=Count("registrations", filter=_LIVE))
    )


def sessions_upcoming(*, expert: Expert | None = None) -> QuerySet[QaSession]:
    """Scheduled sessions not yet over, by experts still in the pool, soonest first."""
    sessions = _sessions().filter(
        status=SessionStatus.SCHEDULED, ends_at__gt=timezone.now(), expert__active=True
    )
    if expert is not None:
        sessions = sessions.filter(expert=expert)
    return sessions.order_by("starts_at", "id")


def session_public(*, session_id: int) -> QaSession:
    """One session (cancelled or past ones too, so that links keep working),
    without how to join."""
    session = _sessions().filter(pk=session_id, expert__active=True).first()
    if session is None:
        raise SessionNotFound()
    return session


def registration_live(*, user: Any, session: QaSession) -> QaRegistration | None:
    """The user's place in the session, if they hold one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return QaRegistration.objects.filter(
        session=session, user=user, cancelled_at__isnull=True
    ).first()


def join_info_for(*, user: Any, session: QaSession, registered: bool) -> str:
    """How to join, for a registered user or the staff running the session; "" otherwise."""
    if not registered and not authz.has_perm(user, authz.Perm.EXPERT_MANAGE, session.region):
        return ""
    value = QaSession.objects.filter(pk=session.pk).values_list("join_info", flat=True).first()
    return value or ""


def sessions_managed(*, user: Any) -> QuerySet[QaSession]:
    """Sessions organised in the user's regions, the latest first."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    sessions = QaSession.objects.select_related("expert", "region").annotate(
        taken=Count("registrations", filter=_LIVE)
    )
    return scope.filter(sessions, "region").order_by("-starts_at", "-id")


def session_get_managed(*, user: Any, session_id: int) -> QaSession:
    """A session the user may run, with how to join; others are "not found"."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    sessions = QaSession.objects.select_related("expert", "region", "category", "created_by")
    session = (
        scope.filter(sessions, "region")
        .annotate(taken=Count("registrations", filter=_LIVE))
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise SessionNotFound()
    return session


def session_registrations(*, session: QaSession) -> QuerySet[QaRegistration]:
    """Everyone who registered, with their questions; places given back last."""
    return (
        QaRegistration.objects.filter(session=session)
        .select_related("user")
        .order_by(F("cancelled_at").asc(nulls_first=True), "created_at", "id")
    )


def session_experts(*, user: Any) -> QuerySet[Expert]:
    """Experts the user may schedule: in the pool of their regions, not marked unavailable."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    experts = Expert.objects.filter(active=True).exclude(availability=Availability.UNAVAILABLE)
    return (
        scope.filter(experts, "region")
        .defer(*CONTACT_FIELDS)
        .select_related("region")
        .order_by("region__path", "name", "id")
    )

"""Who may open which enterprise's archive (HM 6.3).

Two doors only. The enterprise's own active members read their archive and
its access log. Staff holding Perm.ARCHIVE_VIEW read the archives of the
enterprises in their region scope, and only through an opening they made
with a stated purpose (onestop.archive.services.archive_open), valid for
OPENING_MINUTES. Anyone else gets "not found", whether or not the
enterprise exists. Every read here is one query (plus the user's role
assignments, loaded once per request by authz).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.archive.models import OPENING_MINUTES, AccessKind, ArchiveAccess
from onestop.core.errors import NotFound
from onestop.enterprises.models import Enterprise, Membership
from onestop.regions.models import Region
from onestop.stations.models import Station

SEARCH_MAX = 100


class ArchiveNotFound(NotFound):
    code = "archive_not_found"
    default_message = _("No such enterprise archive.")


@dataclass(frozen=True)
class MemberChoice:
    """The archive a member reads now, and every enterprise they may choose."""

    enterprise: Enterprise
    enterprises: list[Enterprise]


def _live_memberships(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user, user__is_active=True, removed_at__isnull=True
    ).select_related("enterprise__region")


def member_choice(*, user: User, enterprise_id: str | None = None) -> MemberChoice:
    """The enterprise whose archive ``user`` reads: the one asked for among
    their own (``?enterprise=<id>``), else the one joined first. One query."""
    if not getattr(user, "is_authenticated", False):
        raise ArchiveNotFound()
    enterprises = [m.enterprise for m in _live_memberships(user).order_by("joined_at", "id")]
    if not enterprises:
        raise ArchiveNotFound()
    if not enterprise_id:
        return MemberChoice(enterprises[0], enterprises)
    try:
        wanted = int(enterprise_id)
    except (TypeError, ValueError):
        raise ArchiveNotFound() from None
    for enterprise in enterprises:
        if enterprise.pk == wanted:
            return MemberChoice(enterprise, enterprises)
    raise ArchiveNotFound()


def is_active_member(*, user: User, enterprise: Enterprise) -> bool:
    return _live_memberships(user).filter(enterprise=enterprise).exists()


def _scoped(user: Any) -> QuerySet[Enterprise]:
    return authz.region_scope(user, Perm.ARCHIVE_VIEW).filter(
        Enterprise.objects.select_related("region"), "region"
    )


def staff_enterprises(*, user: User, query: str) -> QuerySet[Enterprise]:
    """Enterprises of the staff member's regions whose name contains
    ``query`` or whose unified social credit code starts with it."""
    query = query.strip()[:SEARCH_MAX]
    if not query:
        return Enterprise.objects.none()
    return (
        _scoped(user)
        .filter(Q(name__icontains=query) | Q(uscc__startswith=query.upper()))
        .order_by("name", "id")
    )


def enterprise_for_staff(*, user: User, enterprise_id: int) -> Enterprise:
    """The enterprise, if it lies in the staff member's ARCHIVE_VIEW scope."""
    enterprise = _scoped(user).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise ArchiveNotFound()
    return enterprise


def opening_for(
    *,
    user: User,
    enterprise: Enterprise,
    opening_id: str | int | None,
    purpose: str | None = None,
    now: dt.datetime | None = None,
) -> ArchiveAccess | None:
    """The user's own opening ``opening_id`` of this archive if it is still
    valid (and made for ``purpose`` when given); None otherwise."""
    if opening_id in (None, ""):
        return None
    try:
        pk = int(opening_id)
    except (TypeError, ValueError):
        return None
    since = (now or timezone.now()) - dt.timedelta(minutes=OPENING_MINUTES)
    openings = ArchiveAccess.objects.filter(
        pk=pk,
        user=user,
        enterprise=enterprise,
        kind=AccessKind.OPEN,
        by_member=False,
        at__gte=since,
    )
    if purpose is not None:
        openings = openings.filter(purpose=purpose)
    return openings.first()


def access_log(*, enterprise: Enterprise) -> QuerySet[ArchiveAccess]:
    """Every opening and export of the archive, newest first, with the reader."""
    return ArchiveAccess.objects.filter(enterprise=enterprise).select_related("user")


def staff_position(user: Any, region: Region) -> tuple[str, str]:
    """(role, organisation) under which ``user`` reads an archive of ``region``:
    the most specific ARCHIVE_VIEW assignment covering it, its station's
    name when it is a station's, else its region's name. At most one query."""
    allowed = authz.GRANTS[Perm.ARCHIVE_VIEW]
    covering = [
        a
        for a in authz.assignments(user)
        if a.role in allowed and (a.region is None or region.path.startswith(a.region.path))
    ]
    if not covering:
        return "", ""
    best = max(covering, key=lambda a: (len(a.region.path) if a.region else 0, bool(a.scope_id)))
    organisation = best.region.name if best.region is not None else ""
    if best.scope_id and best.scope_type_id == ContentType.objects.get_for_model(Station).pk:
        station = Station.objects.filter(pk=best.scope_id).values_list("name", flat=True).first()
        organisation = station or organisation
    return str(best.role), organisation

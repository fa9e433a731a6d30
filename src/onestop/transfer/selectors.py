"""Reads for import and export. A job is seen by the person who uploaded it
only (its report may quote personal data from the file); exports cover the
regions the reader's Perm.DIRECTORY_IMPORT covers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.catalog.models import ServiceCategory
from onestop.core.errors import NotFound
from onestop.experts.models import Expert
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    Offering,
    OfferingStatus,
)
from onestop.stations.models import TIER_ORDER, Station, StationStatus
from onestop.transfer.models import ImportJob, ImportKind

RECENT_JOBS = 10
CHUNK = 1000


class JobNotFound(NotFound):
    code = "import_job_not_found"
    default_message = _("No such import.")


def import_jobs_recent(*, user: User, limit: int = RECENT_JOBS) -> list[ImportJob]:
    """The user's latest imports, newest first (one query)."""
    return list(ImportJob.objects.filter(created_by=user).defer("error_report")[:limit])


def import_job_get(*, user: User, job_id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=job_id, created_by=user).first()
    if job is None:
        raise JobNotFound()
    return job


def _scope(user: User) -> authz.RegionScope:
    return authz.region_scope(user, authz.Perm.DIRECTORY_IMPORT)


def export_objects(*, user: User, kind: str) -> Iterator[Any]:
    """The active rows of one list in the user's regions, streamed in chunks
    (a fixed number of queries per chunk)."""
    scope = _scope(user)
    if kind == ImportKind.INSTITUTION:
        institutions = scope.filter(
            Institution.objects.filter(status=InstitutionStatus.ACTIVE), "region"
        )
        return institutions.select_related("enterprise", "region").order_by("pk").iterator(CHUNK)
    if kind == ImportKind.OFFERING:
        offerings = scope.filter(
            Offering.objects.filter(
                status=OfferingStatus.PUBLISHED, institution__status=InstitutionStatus.ACTIVE
            ),
            "institution__region",
        )
        return (
            offerings.select_related("institution__enterprise", "category", "qualification")
            .order_by("pk")
            .iterator(CHUNK)
        )
    if kind == ImportKind.EXPERT:
        experts = scope.filter(Expert.objects.filter(active=True), "region")
        return (
            experts.select_related("region")
            .prefetch_related(
                Prefetch("categories", queryset=ServiceCategory.objects.order_by("code"))
            )
            .order_by("pk")
            .iterator(CHUNK)
        )
    if kind == ImportKind.STATION:
        # Parents before children, so the file re-imports row by row.
        tier_rank = Case(
            *(When(tier=tier, then=Value(rank)) for rank, tier in enumerate(TIER_ORDER)),
            output_field=IntegerField(),
        )
        stations = scope.filter(Station.objects.filter(status=StationStatus.ACTIVE), "region")
        return (
            stations.select_related("region", "parent")
            .annotate(tier_rank=tier_rank)
            .order_by("tier_rank", "region__path", "name", "pk")
            .iterator(CHUNK)
        )
    raise NotFound()

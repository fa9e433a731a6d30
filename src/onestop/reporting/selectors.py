"""Reads of onestop.reporting: the regions a user may look at, the
dashboard of a period (from the pre-aggregated figures only), and the
published snapshots (public: no visibility rules, latest versions)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.core.errors import NotFound
from onestop.regions.models import Region
from onestop.reporting.models import RollupState, Snapshot
from onestop.reporting.tables import Table, period_tables


def scoped_regions(*, user: User, perm: Perm = Perm.STATISTICS_VIEW) -> list[Region]:
    """The regions whose figures the user may see: their subtrees, widest first."""
    scope = authz.region_scope(user, perm)
    return list(scope.filter(Region.objects.all(), "").order_by("path"))


def scoped_region(*, user: User, code: str, perm: Perm = Perm.STATISTICS_VIEW) -> Region:
    """One region of the user's scope; any other is "not found"."""
    region = Region.objects.filter(code=code).first()
    if region is None or not authz.region_scope(user, perm).covers(region):
        raise NotFound()
    return region


@dataclasses.dataclass(frozen=True)
class Dashboard:
    region: Region
    start: dt.date
    end: dt.date
    rolled_up_to: dt.date | None

    @property
    def incomplete(self) -> bool:
        """Whether days of the period are not counted yet (today, or before the first run)."""
        return self.rolled_up_to is None or self.rolled_up_to < self.end

    @property
    def tables(self) -> list[Table]:
        return period_tables(region=self.region, start=self.start, end=self.end)

    def cache_key(self, language: str) -> str:
        """Names these figures as of the last rollup: figures change only when
        the rollup runs (hourly), so their rendering can be kept until then."""
        run = cache.get_or_set(ROLLUP_RUN_KEY, 1, timeout=None)
        return f"statistics:board:{run}:{self.region.pk}:{self.start}:{self.end}:{language}"


ROLLUP_RUN_KEY = "statistics:rollup-run"


def rollup_ran() -> None:
    """Called when a rollup commits: every board rendered before is stale."""
    try:
        cache.incr(ROLLUP_RUN_KEY)
    except ValueError:  # not there (first run, or the cache was emptied)
        cache.add(ROLLUP_RUN_KEY, 2, timeout=None)


def dashboard(*, user: User, region: Region, start: dt.date, end: dt.date) -> Dashboard:
    """The period for a region of the user's scope (WX 8.1.1, HM 5.3) and the
    state of the figures; ``tables`` computes them (three more queries
    whatever the amount of data)."""
    if not authz.region_scope(user, Perm.STATISTICS_VIEW).covers(region):
        raise NotFound()
    rolled_up_to = RollupState.objects.filter(pk=1).values_list("last_day", flat=True).first()
    return Dashboard(
        region=region,
        start=start,
        end=end,
        rolled_up_to=rolled_up_to,
    )


# --- published snapshots (public) -----------------------------------------------


def _newer() -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(
        region=OuterRef("region"),
        start=OuterRef("start"),
        end=OuterRef("end"),
        version__gt=OuterRef("version"),
    )


def published_latest(*, region: Region | None = None) -> QuerySet[Snapshot]:
    """The latest version of every published period, newest period first;
    for a region, its own and its subtree's publications."""
    snapshots = (
        Snapshot.objects.filter(~Exists(_newer()))
        .select_related("region")
        .defer("tables", "remarks")
        .order_by("-end", "-published_at", "-id")
    )
    if region is not None:
        snapshots = snapshots.filter(region__path__startswith=region.path)
    return snapshots


def published_regions() -> list[Region]:
    """The regions that have published something (the public filter)."""
    return list(
        Region.objects.filter(Exists(Snapshot.objects.filter(region=OuterRef("pk")))).order_by(
            "path"
        )
    )


@dataclasses.dataclass(frozen=True)
class Version:
    pk: int
    version: int
    published_at: dt.datetime


@dataclasses.dataclass(frozen=True)
class PublishedPage:
    snapshot: Snapshot
    versions: list[Version]  # every version of the same period, oldest first

    @property
    def replaces(self) -> Version | None:
        """The version this one replaced, if any."""
        earlier = [v for v in self.versions if v.version < self.snapshot.version]
        return earlier[-1] if earlier else None

    @property
    def latest(self) -> Version | None:
        """The newest version when this one has been replaced, else None."""
        newest = self.versions[-1] if self.versions else None
        if newest is None or newest.version == self.snapshot.version:
            return None
        return newest


def published_get(*, pk: int) -> PublishedPage:
    snapshot = Snapshot.objects.select_related("region").filter(pk=pk).first()
    if snapshot is None:
        raise NotFound()
    versions = [
        Version(pk=pk_, version=version, published_at=at)
        for pk_, version, at in Snapshot.objects.filter(
            region_id=snapshot.region_id, start=snapshot.start, end=snapshot.end
        )
        .order_by("version")
        .values_list("pk", "version", "published_at")
    ]
    return PublishedPage(snapshot=snapshot, versions=versions)

"""onestop gen-data: fill the current database with a year of realistic data.

The phases write through onestop.datagen.bulk (COPY on PostgreSQL,
executemany batches on SQLite) in one transaction, then the derived data is
rebuilt by the platform's own services: institution ratings, the search
index, the statistics rollup and the credit grades."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.accounts.models import User
from onestop.core.errors import DomainError
from onestop.datagen import audit, orders, parties, requests
from onestop.datagen.bulk import Tables
from onestop.datagen.context import PREFIX, Context
from onestop.datagen.scales import SCALES


class AlreadyGenerated(DomainError):
    code = "already_generated"


class RefusedInProduction(DomainError):
    code = "refused_in_production"


@dataclasses.dataclass
class Report:
    scale: str
    counts: dict[str, int]
    timings: list[tuple[str, float]]

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.timings)


def is_generated() -> bool:
    return User.objects.filter(username__startswith=PREFIX, username__contains="-").exists()


def gen_data(
    *,
    scale: str,
    seed: int = 20261121,
    force: bool = False,
    i_know: bool = False,
    out: IO[str] | None = None,
) -> Report:
    """Generate data at ``scale`` (xs, s, m, l). Refuses when the database
    already holds generated data (unless ``force``) and in the production
    profile (unless ``i_know``)."""
    out = out or sys.stderr
    if getattr(settings, "ONESTOP_PROFILE", "") == "production" and not i_know:
        raise RefusedInProduction(
            _("This is a production installation; generated data would mix with real data.")
        )
    if is_generated() and not force:
        raise AlreadyGenerated(_("This database already holds generated data (use --force)."))
    now = timezone.now()
    ctx = Context(
        scale=SCALES[scale],
        rng=random.Random(seed),  # noqa: S311 - made-up data, reproducible by seed
        now=now,
        tables=Tables(now=now),
        tag=str(seed % 10_000),
        password=make_password(None),
    )
    timings: list[tuple[str, float]] = []

    def phase(name: str, work: Callable[[], Any], count: Callable[[], int] | None = None) -> Any:
        started = time.perf_counter()
        result = work()
        ctx.tables.flush()
        seconds = time.perf_counter() - started
        timings.append((name, seconds))
        rows = count() if count else 0
        rate = f", {rows / seconds:,.0f}/s" if rows and seconds else ""
        out.write(f"gen-data {scale}: {name:<22} {rows:>10,} rows {seconds:8.1f} s{rate}\n")
        out.flush()
        return result

    def written() -> int:
        return sum(t.written for t in ctx.tables.tables.values())

    actions: list[tuple[Any, ...]] = []
    with transaction.atomic():
        phase("reference data", lambda: parties.load_reference(ctx))
        ctx.counts["first user"] = ctx.tables[User].next_pk
        mark = [0]

        def delta() -> int:
            now_written, mark[0] = written() - mark[0], written()
            return now_written

        phase("people and enterprises", lambda: parties.people(ctx), delta)
        phase("institutions, offerings", lambda: parties.institutions(ctx), delta)
        phase("stations, staff, experts", lambda: parties.stations(ctx), delta)
        phase("demands", lambda: requests.demands(ctx, actions), delta)
        completed = phase("orders", lambda: orders.orders(ctx, actions), delta)
        phase("evaluations", lambda: orders.evaluations(ctx, completed, actions), delta)
        phase("complaints", lambda: requests.complaints(ctx, actions), delta)
        phase("audit chain", lambda: audit.audit_rows(ctx, actions), delta)
        ctx.tables.reset_sequences()
        phase("ratings", orders.refresh_ratings)
    phase("search index", _search)
    phase(f"statistics rollup {ctx.scale.days} d", lambda: _rollup(ctx.now, ctx.scale.days))
    phase("credit grades", _credit)
    ctx.counts.pop("first user", None)
    ctx.counts["audit rows"] = len(actions)
    report = Report(scale, dict(ctx.counts), timings)
    out.write(f"gen-data {scale}: done in {report.seconds:.1f} s\n")
    return report


def _search() -> None:
    from onestop.search.index import rebuild

    rebuild()


def _rollup(now: dt.datetime, days: int) -> None:
    from onestop.reporting.services import figures_rollup

    today = timezone.localdate(now)
    figures_rollup(start=today - dt.timedelta(days=days), end=today - dt.timedelta(days=1))


def _credit() -> None:
    from onestop.supervision.services import credit_grades_refresh

    credit_grades_refresh()

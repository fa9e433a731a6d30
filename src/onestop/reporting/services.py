"""Writes of onestop.reporting: the nightly rollup of the figures and the
publication of a period's results (WX 8.1.1, HM 5.3)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, NotFound
from onestop.core.sequences import next_value
from onestop.regions.models import Region
from onestop.reporting import figures, periods, store
from onestop.reporting.models import EvaluationMethod, Figure, Grain, RollupState, Snapshot
from onestop.reporting.tables import period_tables

# The nightly run rebuilds this many days back as well, so late entries
# (a letter complaint registered with an earlier receipt date, a clock
# resumed after its deadline) reach the figures within a week.
SETTLE_DAYS = 7
# Where the first nightly run starts when nothing was rolled up before.
FIRST_RUN_DAYS = 366
REMARKS_MAX = 2000


@dataclasses.dataclass(frozen=True)
class RollupResult:
    start: dt.date | None
    end: dt.date | None
    rows: int
    seconds: float


class PeriodNotFinished(InvalidInput):
    code = "period_not_finished"
    field = "period"
    default_message = _("Only finished days can be counted; today's figures appear tomorrow.")


class FiguresIncomplete(InvalidInput):
    code = "figures_incomplete"
    field = "period"
    default_message = _(
        "The figures of this period are not complete yet (counted up to %(day)s). "
        "They are counted every night; try again tomorrow."
    )


def _state() -> RollupState:
    state, _created = RollupState.objects.select_for_update(no_key=True).get_or_create(pk=1)
    return state


@transaction.atomic
def figures_rollup(*, start: dt.date, end: dt.date) -> RollupResult:
    """Rebuild the figures of the days start..end (inclusive) and of the
    months they touch; running it twice gives the same rows (HM 5.3: the
    center summarises evaluation results regularly).

    About fifty INSERT … SELECT … GROUP BY statements over the source
    tables for the whole range (onestop.reporting.figures, .store), then one
    for the month rows. Only finished days: today's figures appear tomorrow.
    """
    if end < start:
        raise InvalidInput(_("The last day must not be before the first day."), field="end")
    if end >= timezone.localdate():
        raise PeriodNotFinished()
    began = time.perf_counter()
    state = _state()
    sources = figures.sources(start=start, end=end)
    Figure.objects.filter(grain=Grain.DAY, day__gte=start, day__lte=end).delete()
    store.prepare_spans(sources)
    rows = sum(store.insert_source(source) for source in sources)
    first = start.replace(day=1)
    last = periods.month_end(end.year, end.month)
    Figure.objects.filter(grain=Grain.MONTH, day__gte=first, day__lte=last).delete()
    rows += store.insert_months(first, last)
    seconds = time.perf_counter() - began
    # "Complete up to last_day" only grows over contiguous ranges.
    contiguous = state.last_day is None or start <= state.last_day + dt.timedelta(days=1)
    if contiguous and (state.last_day is None or end > state.last_day):
        state.last_day = end
    state.ran_at = timezone.now()
    state.seconds = seconds
    state.save()
    from onestop.reporting.selectors import rollup_ran

    transaction.on_commit(rollup_ran, robust=True)
    return RollupResult(start=start, end=end, rows=rows, seconds=seconds)


def figures_rollup_due() -> RollupResult:
    """The nightly job: the days since the last run up to yesterday plus the
    last SETTLE_DAYS days again, and the days of reviews an upheld appeal
    took out since the last run; nothing when all of that is done."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    state = RollupState.objects.filter(pk=1).first()
    last_day = state.last_day if state is not None else None
    ran_at = state.ran_at if state is not None else None
    ranges: list[tuple[dt.date, dt.date]] = []
    if last_day is None:
        ranges.append((yesterday - dt.timedelta(days=FIRST_RUN_DAYS - 1), yesterday))
    elif last_day < yesterday:
        settle_from = yesterday - dt.timedelta(days=SETTLE_DAYS - 1)
        ranges.append((min(last_day + dt.timedelta(days=1), settle_from), yesterday))
    if ran_at is not None:
        covered = ranges[0] if ranges else None
        for day in figures.appeal_days_since(ran_at):
            if day <= yesterday and not (covered and covered[0] <= day <= covered[1]):
                ranges.append((day, day))
    rows, seconds = 0, 0.0
    for start, end in ranges:
        result = figures_rollup(start=start, end=end)
        rows += result.rows
        seconds += result.seconds
    if not ranges:
        return RollupResult(start=None, end=None, rows=0, seconds=0.0)
    return RollupResult(
        start=min(r[0] for r in ranges), end=max(r[1] for r in ranges), rows=rows, seconds=seconds
    )


def rolled_up_to() -> dt.date | None:
    """The last day whose figures are complete (None before the first run)."""
    return RollupState.objects.filter(pk=1).values_list("last_day", flat=True).first()


# --- publication ----------------------------------------------------------------


def _check_period(kind: str, start: dt.date, end: dt.date) -> periods.Period:
    if end < start:
        raise InvalidInput(_("The last day must not be before the first day."), field="period")
    period = periods.canonical(kind, start)
    if period is None or period.end != end:
        raise InvalidInput(
            _("Publish a whole month, quarter or year."),
            field="period",
        )
    if end >= timezone.localdate():
        raise InvalidInput(
            _("This period has not finished yet; results are published after it ends."),
            field="period",
        )
    covered = rolled_up_to()
    if covered is None or covered < end:
        raise FiguresIncomplete(day=covered.isoformat() if covered else "—")
    return period


def _check_methods(methods: list[str]) -> list[str]:
    chosen = [m for m in EvaluationMethod.values if m in set(methods)]
    if not chosen or len(chosen) != len(set(methods)):
        raise InvalidInput(_("Choose how the results were obtained."), field="methods")
    return chosen


@transaction.atomic
def snapshot_publish(
    *,
    actor: User,
    region: Region,
    kind: str,
    start: dt.date,
    end: dt.date,
    methods: list[str],
    remarks: str = "",
) -> Snapshot:
    """Publish a finished month, quarter or year for a region (WX 8.1.1:
    results published regularly; WX 8.1.2: the evaluation methods are
    stated). The tables are frozen as they are now; publishing the same
    period again adds a new version that replaces the earlier one on the
    public pages. A region outside the publisher's scope is "not found".
    """
    authz.require(actor, Perm.STATISTICS_PUBLISH)
    if not authz.region_scope(actor, Perm.STATISTICS_PUBLISH).covers(region):
        raise NotFound()
    period = _check_period(kind, start, end)
    chosen = _check_methods(methods)
    remarks = remarks.strip()
    if len(remarks) > REMARKS_MAX:
        raise InvalidInput(
            _("The remarks are longer than %(max)s characters."), field="remarks", max=REMARKS_MAX
        )
    tables = period_tables(region=region, start=period.start, end=period.end)
    version = next_value(f"reporting.snapshot:{region.code}:{start:%Y%m%d}-{end:%Y%m%d}")
    snapshot = Snapshot.objects.create(
        region=region,
        period_kind=period.kind,
        start=period.start,
        end=period.end,
        version=version,
        title=str(
            _("Service evaluation results of %(region)s, %(period)s")
            % {"region": region.name, "period": period.label}
        ),
        tables=[dataclasses.asdict(table) for table in tables],
        methods=chosen,
        remarks=remarks,
        published_by=actor,
    )
    changes: dict[str, Any] = {
        "period": f"{start.isoformat()}..{end.isoformat()}",
        "kind": period.kind,
        "version": version,
        "methods": chosen,
    }
    audit_record(action="reporting.publish", actor=actor, obj=snapshot, changes=changes)
    return snapshot

"""Writing the figures in SQL: each source of onestop.reporting.figures
becomes one INSERT … SELECT … GROUP BY per level, over the row-level query
the ORM built (so the same code runs on PostgreSQL and SQLite); month rows
are summed from the day rows the same way. Used only by
onestop.reporting.services, inside its transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import F, Sum
from django.db.models.functions import TruncMonth

from onestop.core import workdays
from onestop.reporting.figures import LEVEL_COLUMNS, Level, Source
from onestop.reporting.models import Figure, Grain

# Working days between two dates, for the durations (one row per distinct pair).
SPANS = "reporting_span"
_COLUMNS = (
    "grain", "day", "region_id", "institution_id", "station_id", "metric", "key", "count", "total",
)  # fmt: skip


def _table() -> str:
    return connection.ops.quote_name(Figure._meta.db_table)


def _columns() -> str:
    return ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)


def _execute(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(int(cursor.rowcount), 0)


def prepare_spans(sources: list[Source]) -> None:
    """Fill the session's span table with the working days of every pair of
    dates the duration sources need; the calendar counts each pair once and
    a pair it does not cover yet is left out (so is its row's duration)."""
    pairs: set[tuple[dt.date, dt.date]] = set()
    for source in sources:
        if source.duration:
            pairs.update(source.rows.values_list("r_since", "r_day").order_by().distinct())
    calendar = workdays.load_calendar()
    rows = []
    for since, until in pairs:
        try:
            days = calendar.workdays_between(since, until)
        except workdays.CalendarNotCovered:
            continue
        adapt = connection.ops.adapt_datefield_value
        rows.append((adapt(since), adapt(until), days))
    with connection.cursor() as cursor:
        # The key is what keeps the rollup linear: each row finds its span by
        # an index search. Without it SQLite's planner scanned the table for
        # every source row, calling the date casts of the sub-select (Python
        # functions there) once per pair of rows: a year at scale s took 425 s
        # instead of 3.4 s (docs/performance.md, "SQLite rollup").
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {SPANS} "
            "(since date, until date, days integer, PRIMARY KEY (since, until))"
        )
        cursor.execute(f"DELETE FROM {SPANS}")  # noqa: S608 - our own constant
        cursor.executemany(
            f"INSERT INTO {SPANS} (since, until, days) VALUES (%s, %s, %s)",  # noqa: S608
            rows,
        )


def insert_source(source: Source) -> int:
    """The source's day rows at each of its levels; returns the rows written."""
    return sum(_execute(sql, params) for sql, params in insert_statements(source))


def insert_statements(source: Source) -> list[tuple[str, list[Any]]]:
    """The INSERT … SELECT … GROUP BY of each of the source's levels, with
    its parameters (separate from running them so a test can EXPLAIN them)."""
    sub_sql, sub_params = source.rows.query.sql_with_params()
    statements = []
    for level in source.levels:
        region, institution, station = LEVEL_COLUMNS[level]
        parties = [c for c in (institution, station) if c]
        with_key = source.key and level is Level.TOTAL
        join = ""
        if source.duration:
            total = "SUM(s.days)"
            join = f" JOIN {SPANS} s ON s.since = r.r_since AND s.until = r.r_day"
        elif source.total:
            total = "COALESCE(SUM(r.r_total), 0)"
        else:
            total = "0"
        group = ["r.r_day", f"r.{region}", *(f"r.{c}" for c in parties)]
        if with_key:
            group.append("r.r_key")
        select = ", ".join(
            [
                "%s",
                "r.r_day",
                f"r.{region}",
                f"r.{institution}" if institution else "NULL",
                f"r.{station}" if station else "NULL",
                "%s",
                "COALESCE(r.r_key, '')" if with_key else "''",
                "COUNT(*)",
                total,
            ]
        )
        present = " AND ".join(f"r.{c} IS NOT NULL" for c in [region, *parties])
        sql = (
            f"INSERT INTO {_table()} ({_columns()}) SELECT {select} "  # noqa: S608
            f"FROM ({sub_sql}) r{join} WHERE {present} GROUP BY {', '.join(group)}"
        )
        statements.append((sql, [Grain.DAY.value, source.metric, *sub_params]))
    return statements


def insert_months(first: dt.date, last: dt.date) -> int:
    """The month rows of the months first..last: sums of their day rows."""
    sums = (
        Figure.objects.filter(grain=Grain.DAY, day__gte=first, day__lte=last)
        .values(
            r_month=TruncMonth("day"),
            r_region=F("region_id"),
            r_inst=F("institution_id"),
            r_station=F("station_id"),
            r_metric=F("metric"),
            r_key=F("key"),
        )
        .annotate(r_count=Sum("count"), r_total=Sum("total"))
        .order_by()
    )
    sub_sql, sub_params = sums.query.sql_with_params()
    sql = (
        f"INSERT INTO {_table()} ({_columns()}) "  # noqa: S608 - our own model's table
        "SELECT %s, m.r_month, m.r_region, m.r_inst, m.r_station, m.r_metric, m.r_key, "
        f"m.r_count, m.r_total FROM ({sub_sql}) m"
    )
    return _execute(sql, [Grain.MONTH.value, *sub_params])

"""Bulk writing for the data generator: rows as dicts, primary keys given out
here (so rows can point at each other before anything is written), defaults
filled from the model, and then COPY on PostgreSQL or executemany batches on
SQLite. Nothing here knows a domain; the phases in onestop.datagen do."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

BATCH = 20_000


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


class Table:
    """The rows of one model waiting to be written.

    ``add(**values)`` takes attribute names (``user_id``, not ``user``) and
    returns the new primary key. Fields left out get their default, ``now``
    for auto_now(_add), None when nullable and "" when blank; a field with
    none of these must be given.
    """

    def __init__(self, model: type[models.Model], *, now: dt.datetime) -> None:
        self.model = model
        self.pk_field = model._meta.pk
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [str(f.column) for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.auto_pk = isinstance(self.pk_field, models.AutoField)
        self.template: list[Any] = [self._default(f, now) for f in self.fields]
        self.json = {i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)}
        self.rows: list[list[Any]] = []
        self.written = 0
        self.next_pk = self._first_pk() if self.auto_pk else 0

    def _first_pk(self) -> int:
        top = self.model._default_manager.aggregate(top=models.Max(self.pk_field.attname))["top"]
        return int(top or 0) + 1

    @staticmethod
    def _default(field: models.Field[Any, Any], now: dt.datetime) -> Any:
        if field.primary_key:
            return None
        if field.has_default():
            return field.get_default()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.null:
            return None
        if field.blank:
            return ""
        return _REQUIRED

    def add(self, **values: Any) -> Any:
        row = list(self.template)
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        if self.auto_pk and row[index[self.pk_field.attname]] is None:
            row[index[self.pk_field.attname]] = self.next_pk
            self.next_pk += 1
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()
        return row[index[self.pk_field.attname]]

    def flush(self) -> None:
        if not self.rows:
            return
        for i, value in enumerate(self.rows[0]):
            if value is _REQUIRED:
                raise ValueError(f"{self.model.__name__}.{self.fields[i].name} needs a value")
        if is_postgres():
            self._copy()
        else:
            self._executemany()
        self.written += len(self.rows)
        self.rows = []

    def _copy(self) -> None:
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        table = connection.ops.quote_name(self.model._meta.db_table)
        json_columns = self.json
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in self.rows:
                    if json_columns:
                        row = [
                            _dump(v) if i in json_columns and v is not None else v
                            for i, v in enumerate(row)
                        ]
                    copy.write_row(row)

    def _executemany(self) -> None:
        prepared = [
            [f.get_db_prep_save(v, connection) for f, v in zip(self.fields, row, strict=True)]
            for row in self.rows
        ]
        names = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)  # noqa: S608


class _Required:
    def __repr__(self) -> str:
        return "<required>"


_REQUIRED = _Required()


def _dump(value: Any) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


class Tables:
    """One Table per model, flushed in the order they were first asked for
    (parents before children, as the phases ask for them)."""

    def __init__(self, *, now: dt.datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.tables: dict[type[models.Model], Table] = {}

    def __getitem__(self, model: type[models.Model]) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, now=self.now)
        return self.tables[model]

    def flush(self, models_: Iterable[type[models.Model]] | None = None) -> None:
        for model, table in self.tables.items():
            if models_ is None or model in models_:
                table.flush()

    def reset_sequences(self) -> None:
        """After explicit primary keys, the database's own counters go past them."""
        sql = connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)

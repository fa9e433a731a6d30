"""Numbers handed out in order under a key (complaint numbers, …).

``next_value(key)`` increments the key's row in one statement and returns the
new value; the row stays locked until the caller's transaction ends, so
numbers are unique under concurrency and never reused. Call it inside the
transaction that stores the numbered row.
"""

from __future__ import annotations

from django.db import connection

from onestop.core.models import Sequence


def next_value(key: str) -> int:
    quote = connection.ops.quote_name
    table, key_, last = quote(Sequence._meta.db_table), quote("key"), quote("last")
    # Our own model's table and columns, quoted; the key is a parameter.
    sql = (
        f"INSERT INTO {table} ({key_}, {last}) VALUES (%s, 1) "  # noqa: S608
        f"ON CONFLICT ({key_}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:  # pragma: no cover - RETURNING always returns the row
        raise RuntimeError(f"sequence {key} returned nothing")
    return int(row[0])

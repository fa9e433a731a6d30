"""Sample numbers: YP + the China date + a 5-digit daily sequence
(YP2026112100001). Safe under concurrency: the day's counter row is created
if missing without ever failing (INSERT … ON CONFLICT DO NOTHING) and then
incremented in place, which locks it; two stations receiving at the same
moment get consecutive numbers, never the same one. Call inside the
transaction that stores the sample: a rolled-back sample gives its number
back."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from onestop.fieldwork.models import SampleNumberCounter

PREFIX = "YP"


def format_number(day: dt.date, sequence: int) -> str:
    return f"{PREFIX}{day:%Y%m%d}{sequence:05d}"


def next_sample_number(*, day: dt.date | None = None) -> str:
    today = day or timezone.localdate()
    with transaction.atomic():
        SampleNumberCounter.objects.bulk_create(
            [SampleNumberCounter(day=today, last=0)], ignore_conflicts=True
        )
        # The UPDATE locks the row until the caller's transaction ends: a
        # second receipt waits here, then counts on from the committed value.
        SampleNumberCounter.objects.filter(day=today).update(last=F("last") + 1)
        last = SampleNumberCounter.objects.values_list("last", flat=True).get(day=today)
    return format_number(today, last)

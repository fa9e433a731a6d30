"""Template helpers for demand pages."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def deadline(value: dt.datetime | None) -> str:
    """A deadline as people say it: the end of a day is "24:00" of that day,
    not "00:00" of the next (the calendar stores 24:00 as the next midnight)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if local.time() == dt.time(0, 0):
        return f"{(local - dt.timedelta(days=1)):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def cell(value: object) -> str:
    """A table cell as text: "—" for no figure, at most two decimals."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        text = number_format(value, decimal_pos=2).rstrip("0").rstrip(".")
        return text or "0"
    return str(value)

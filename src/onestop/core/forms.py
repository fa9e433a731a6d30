"""Glue between forms and services."""

from collections.abc import Callable
from typing import TypeVar

from django import forms

from onestop.core.errors import DomainError

T = TypeVar("T")


def run_service(
    form: forms.Form, call: Callable[[], T], *, fields: dict[str, str] | None = None
) -> T | None:
    """Call a service; a domain error becomes a form error instead of a crash.

    An error about one input (``exc.field``, renamed through ``fields`` when
    the form calls it differently) is shown next to that field.
    """
    try:
        return call()
    except DomainError as exc:
        name = (fields or {}).get(exc.field or "", exc.field)
        form.add_error(name if name in form.fields else None, exc.message)
        return None

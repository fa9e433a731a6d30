"""Glue between forms and services."""

from collections.abc import Callable
from typing import TypeVar

from django import forms

from onestop.core.errors import DomainError

T = TypeVar("T")


def run_service(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Call a service; a domain error becomes a form error instead of a crash."""
    try:
        return call()
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None

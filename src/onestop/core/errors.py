"""Domain errors: an exception with a stable code and a Chinese message.

Services raise them; views turn them into form errors or 4xx pages, the API
into JSON (never a 500). Subclass per family so callers can catch narrowly.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message: str | Promise = _("The request cannot be carried out.")
    # The input the error is about, when there is one (forms show it there).
    field: str | None = None

    def __init__(
        self, message: str | Promise | None = None, *, field: str | None = None, **params: Any
    ) -> None:
        if field is not None:
            self.field = field
        self.params = params
        template = message if message is not None else self.default_message
        self.message = str(template) % params if params else str(template)
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("The requested item does not exist.")


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 400
    default_message = _("The input is not valid.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("This action is not allowed in the current state.")

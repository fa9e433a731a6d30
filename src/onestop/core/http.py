from django.http import HttpRequest

from onestop.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request type of views behind login: ``user`` is a real User."""

    user: User

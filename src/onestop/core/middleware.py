from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from onestop.core.errors import DomainError


class DomainErrorMiddleware:
    """Render a DomainError that escaped a view as a Chinese error page.

    Views should catch the errors they expect and show them in context; this
    is the net under them so that a domain error is never a 500.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        response = TemplateResponse(
            request,
            "web/domain_error.html",
            {"error": exception},
            status=exception.status,
        )
        return response.render()

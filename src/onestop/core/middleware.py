import logging
import sys
from collections.abc import Callable
from http import HTTPStatus

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy

from onestop.core.errors import DomainError

logger = logging.getLogger(__name__)


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
        if isinstance(exception, OperationalError | InterfaceError):
            return database_outage_response(request, exception)
        if not isinstance(exception, DomainError):
            return None
        response = TemplateResponse(
            request,
            "web/domain_error.html",
            {"error": exception},
            status=exception.status,
        )
        return response.render()


OUTAGE_RETRY_SECONDS = 30
OUTAGE_MESSAGE = gettext_lazy(
    "The service is temporarily unavailable and your last action may not have been "
    "completed. Please wait a moment and check whether it went through before trying again."
)


def database_outage_response(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A clear 503 while the database cannot be reached (issue 7 item 4).

    What the view was writing in the failed transaction was not committed;
    but the connection may have been lost after a commit (while the answer
    was being prepared), so the user is told to check before trying again:
    a JSON error for the API, a Chinese page otherwise. The page renders
    without the database (no context processors, no session, no user). Its connection is closed so
    that the next request opens a fresh one once the database is back.
    """
    from django.db import connections

    logger.error("database unavailable: %s %s", request.method, request.path, exc_info=exception)
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {
                "code": "service_unavailable",
                "detail": str(OUTAGE_MESSAGE),
            },
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        page = loader.get_template("503.html").render(
            {"csp_nonce": getattr(request, "csp_nonce", "")}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


OUTAGE_MARK = "_onestop_database_outage"


@receiver(got_request_exception)
def _mark_database_outage(
    sender: object, request: HttpRequest | None = None, **kwargs: object
) -> None:
    """Remember that an uncaught exception was the database being unreachable.

    Django turns an exception raised in a middleware (the session loaded or
    saved, the user looked up) into the 500 page before any outer middleware
    sees it; this receiver runs inside that handling, so ContentSecurityPolicy
    Middleware (the outermost of ours) can answer 503 instead.
    """
    exception = sys.exc_info()[1]
    if request is not None and isinstance(exception, OperationalError | InterfaceError):
        setattr(request, OUTAGE_MARK, exception)


def outage_instead_of_error(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    exception = getattr(request, OUTAGE_MARK, None)
    if exception is None or response.status_code != HTTPStatus.INTERNAL_SERVER_ERROR:
        return response
    return database_outage_response(request, exception)


CSP_NONCE_BYTES = 16


class ContentSecurityPolicyMiddleware:
    """A strict Content-Security-Policy on every response (issue 7 item 8).

    Only the platform's own scripts, styles, images and fonts; no inline code
    except the few inline <style>/<script> elements a template marks with the
    request's nonce (``nonce="{{ request.csp_nonce }}"``); no framing, no
    plugins, forms post only to the platform. Inline ``style=""`` attributes
    are therefore refused by the browser: use classes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import secrets

        nonce = secrets.token_urlsafe(CSP_NONCE_BYTES)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = outage_instead_of_error(request, self.get_response(request))
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy(nonce)
        return response


def policy(nonce: str) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": f"'self' 'nonce-{nonce}'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())

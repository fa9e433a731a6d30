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
        response = self.get_response(request)
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

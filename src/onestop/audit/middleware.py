from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from onestop.audit import context


def client_ip(request: HttpRequest) -> str | None:
    # Behind nginx the real address comes in X-Real-IP, set by our own proxy
    # config (docs/deploy.md); X-Forwarded-For is client-controlled.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.set_context(
            context.AuditContext(
                user=getattr(request, "user", None),
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)

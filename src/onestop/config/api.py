"""The JSON API under /api/v1/, one NinjaAPI whose routers come from the apps.

Domain errors become JSON with their code and Chinese message; see
onestop.core.errors.
"""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from onestop.core.errors import DomainError

api = NinjaAPI(
    title="OneStop QI API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, {"code": exc.code, "detail": str(exc.message)}, status=exc.status
    )


def _register_routers() -> None:
    from onestop.core.api import router as core_router
    from onestop.regions.api import router as regions_router

    api.add_router("/regions/", regions_router)
    api.add_router("/calendar/", core_router)
    api.add_router("/accounts/", "onestop.accounts.api.router")
    api.add_router("/verification/", "onestop.verification.api.router")
    api.add_router("/search/", "onestop.search.api.router")
    api.add_router("/institutions/", "onestop.institutions.api.router")
    api.add_router("/experts/", "onestop.experts.api.router")
    api.add_router("/stations/", "onestop.stations.api.router")
    api.add_router("/fieldwork/", "onestop.fieldwork.api.router")
    api.add_router("/demands/", "onestop.demands.api.router")
    api.add_router("/orders/", "onestop.orders.api.router")
    api.add_router("/open311/", "onestop.orders.open311.router")
    api.add_router("/evaluations/", "onestop.evaluations.api.router")
    api.add_router("/complaints/", "onestop.complaints.api.router")
    api.add_router("/statistics/", "onestop.reporting.api.router")
    api.add_router("/summaries/", "onestop.summaries.api.router")


_register_routers()

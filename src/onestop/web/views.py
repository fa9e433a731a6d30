from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_http_methods

from onestop.core.pagecache import public_page
from onestop.regions import selectors as region_selectors
from onestop.regions.models import RegionLevel
from onestop.web.areas import SERVICE_AREAS
from onestop.web.forms import RegionForm
from onestop.web.region import current_region, remember_region


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {"region": current_region(request), "service_areas": SERVICE_AREAS},
    )


@login_required
def my_services(request: HttpRequest) -> HttpResponse:
    """One page with everything a user has going on: demands, orders,
    appointments, samples, and for institution people their institution's."""
    from onestop.institutions.selectors import institution_for_user

    return render(request, "web/my.html", {"institution": institution_for_user(request.user)})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "web/about.html")


@require_http_methods(["GET", "POST"])
def region_switch(request: HttpRequest) -> HttpResponse:
    """Choose the region the public site shows. Works without JavaScript."""
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "code" in request.GET else None)
    )
    form = RegionForm(data)
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if data is not None and form.is_valid():
        remember_region(request, form.cleaned_data["code"])
        return HttpResponseRedirect(next_url)
    status = 400 if data is not None else 200
    regions = region_selectors.region_choices().select_related("parent")
    return render(
        request,
        "web/region.html",
        {"form": form, "regions": regions, "next": next_url, "levels": RegionLevel},
        status=status,
    )


def _error_page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(
        request, "web/error.html", {"status": status, "title": title, "text": text}, status=status
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request, 404, _("Page not found"), _("The page you asked for does not exist or has moved.")
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        403,
        _("Access denied"),
        str(exception) or _("Your account does not have permission for this page or action."),
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, 400, _("Bad request"), _("The request could not be understood."))


@requires_csrf_token
def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    # No context processors: the database may be what failed.
    template = loader.get_template("500.html")
    return HttpResponse(
        template.render({"csp_nonce": getattr(request, "csp_nonce", "")}), status=500
    )

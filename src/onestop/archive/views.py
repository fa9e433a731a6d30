"""Archive pages: the enterprise's own archive, its access log and PDF copy;
for staff the search, the purpose form in front of each opening, the opened
archive and its PDF export (HM 6.1, HM 6.3)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.accounts.authz import Perm
from onestop.archive import selectors, services
from onestop.archive.forms import PurposeForm, SearchForm
from onestop.archive.models import OPENING_MINUTES, ArchiveAccess, Purpose
from onestop.audit.middleware import client_ip
from onestop.catalog.printing import pdf_response, render_pdf
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.enterprises.models import Enterprise
from onestop.workbench.access import staff_view

PAGE_SIZE = 20


def _private(response: HttpResponse) -> HttpResponse:
    """Confidential (HM 6.3): kept by no shared or browser cache."""
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf(enterprise: Enterprise, access: ArchiveAccess, *, staff: bool) -> HttpResponse:
    archive = selectors.archive_of(enterprise=enterprise)
    pdf = render_pdf(
        "archive/pdf.html",
        {
            "archive": archive,
            "access": access,
            "staff": staff,
            "title": _("Enterprise quality archive"),
        },
    )
    stamp = timezone.localtime(access.at).strftime("%Y%m%d-%H%M")
    name = f"{enterprise.name}-{_('quality archive')}-{stamp}"
    return _private(pdf_response(pdf, filename=name, fallback=f"archive-{stamp}.pdf"))


# --- the enterprise's own archive ---------------------------------------------------------


@require_GET
@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """The archive of the member's enterprise; their own reads are not logged."""
    choice = selectors.member_choice(user=request.user, enterprise_id=request.GET.get("enterprise"))
    archive = selectors.archive_of(enterprise=choice.enterprise)
    return _private(
        render(
            request,
            "archive/mine.html",
            {
                "archive": archive,
                "choice": choice,
                "side": "user",
            },
        )
    )


@require_GET
@login_required
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who opened or exported the archive, when and why (HM 6.3)."""
    choice = selectors.member_choice(user=request.user, enterprise_id=request.GET.get("enterprise"))
    page = Paginator(selectors.access_log(enterprise=choice.enterprise), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({"enterprise": choice.enterprise.pk}) if len(choice.enterprises) > 1 else ""
    return _private(
        render(request, "archive/log.html", {"choice": choice, "page": page, "query": query})
    )


@require_GET
@login_required
def pdf(request: AuthenticatedRequest) -> HttpResponse:
    choice = selectors.member_choice(user=request.user, enterprise_id=request.GET.get("enterprise"))
    access = services.archive_export(
        actor=request.user, enterprise=choice.enterprise, ip=client_ip(request)
    )
    return _pdf(choice.enterprise, access, staff=False)


# --- staff -------------------------------------------------------------------------------


def _staff_enterprise(request: AuthenticatedRequest, enterprise_id: int) -> Enterprise:
    """The enterprise if it is in the staff member's scope; otherwise the
    attempt is audited and the answer is "not found"."""
    try:
        return selectors.enterprise_for_staff(user=request.user, enterprise_id=enterprise_id)
    except selectors.ArchiveNotFound:
        services.archive_refusal_record(actor=request.user, enterprise_id=enterprise_id)
        raise


def _detail_url(enterprise: Enterprise, **params: object) -> str:
    url = reverse("archive:manage_detail", kwargs={"enterprise_id": enterprise.pk})
    return f"{url}?{urlencode(params)}" if params else url


@staff_view(Perm.ARCHIVE_VIEW)
@require_GET
def manage_search(request: AuthenticatedRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = selectors.staff_enterprises(user=request.user, query=query)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "archive/manage_search.html",
        {"form": form, "page": page, "q": query, "query": urlencode({"q": query})},
    )


@staff_view(Perm.ARCHIVE_VIEW)
@require_http_methods(["GET", "POST"])
def manage_detail(request: AuthenticatedRequest, enterprise_id: int) -> HttpResponse:
    """The purpose form in front of the archive; the archive itself only
    through a valid opening (``?opening=<id>``) the reader made."""
    enterprise = _staff_enterprise(request, enterprise_id)
    if request.method == "POST":
        form = PurposeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            opening = run_service(
                form,
                lambda: services.archive_open(
                    actor=request.user,
                    enterprise=enterprise,
                    purpose=data["purpose"],
                    detail=data["detail"],
                    ip=client_ip(request),
                ),
            )
            if opening is not None:
                return HttpResponseRedirect(_detail_url(enterprise, opening=opening.pk))
        return render(
            request,
            "archive/manage_open.html",
            {"enterprise": enterprise, "form": form},
            status=400,
        )
    raw = request.GET.get("opening")
    opening = selectors.opening_for(user=request.user, enterprise=enterprise, opening_id=raw)
    if opening is None:
        if raw:
            messages.warning(
                request,
                _("The opening has expired. State the purpose again to read the archive."),
            )
        purpose = request.GET.get("purpose", "")
        form = PurposeForm(initial={"purpose": purpose if purpose in Purpose.values else ""})
        return render(request, "archive/manage_open.html", {"enterprise": enterprise, "form": form})
    archive = selectors.archive_of(enterprise=enterprise)
    return _private(
        render(
            request,
            "archive/manage_detail.html",
            {
                "archive": archive,
                "opening": opening,
                "side": "staff",
                "minutes": OPENING_MINUTES,
            },
        )
    )


@staff_view(Perm.ARCHIVE_VIEW)
@require_GET
def manage_pdf(request: AuthenticatedRequest, enterprise_id: int) -> HttpResponse:
    """The PDF, after an opening with the purpose "export" (logged and audited)."""
    enterprise = _staff_enterprise(request, enterprise_id)
    opening = selectors.opening_for(
        user=request.user,
        enterprise=enterprise,
        opening_id=request.GET.get("opening"),
        purpose=Purpose.EXPORT,
    )
    if opening is None:
        messages.warning(request, _('Choose the purpose "Export to PDF" to export the archive.'))
        return HttpResponseRedirect(_detail_url(enterprise, purpose=Purpose.EXPORT))
    access = services.archive_export(
        actor=request.user, enterprise=enterprise, opening=opening, ip=client_ip(request)
    )
    return _pdf(enterprise, access, staff=True)

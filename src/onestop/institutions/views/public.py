"""The public directory (WX 7.1.2, 7.2.1): onboarded institutions, one
institution's page with its certificates, offerings, notices and credit
grade, and one offering's page. Served from the page cache to visitors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onestop.core.pagecache import public_page
from onestop.institutions import selectors
from onestop.institutions.forms import DirectoryFilter
from onestop.institutions.models import InstitutionKind
from onestop.regions import selectors as region_selectors
from onestop.supervision.credit import component_rows

PAGE_SIZE = 20


@public_page
def institution_list(request: HttpRequest) -> HttpResponse:
    """Onboarded institutions, by kind and region, a page at a time."""
    form = DirectoryFilter(request.GET or None)
    kind, region = "", None
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        code = form.cleaned_data["region"].strip()
        region = region_selectors.region_get(code=code) if code else None
    institutions = selectors.institutions_public(kind=kind, region=region)
    page = Paginator(institutions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "institutions/list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "kind": kind,
            "region": region,
            "kinds": InstitutionKind.choices,
            "region_choices": region_selectors.region_choices(),
        },
    )


@public_page
def institution_detail(request: HttpRequest, institution_id: int) -> HttpResponse:
    page = selectors.institution_page_public(institution_id=institution_id)
    grade = page.credit_grade
    return render(
        request,
        "institutions/detail.html",
        {
            "page": page,
            "institution": page.institution,
            "today": page.today,
            "credit_grade": grade,
            "credit_rows": component_rows(grade.components) if grade is not None else [],
        },
    )


@public_page
def offering_detail(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = selectors.offering_page_public(offering_id=offering_id)
    qualification = offering.qualification
    today = timezone.localdate()
    return render(
        request,
        "institutions/offering.html",
        {
            "offering": offering,
            "institution": offering.institution,
            "qualification_expired": qualification is not None
            and not qualification.is_valid_on(today),
        },
    )

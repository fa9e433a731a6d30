from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.catalog import printing, selectors, services
from onestop.catalog.forms import (
    ItemForm,
    ManageFilterForm,
    NewItemForm,
    WithdrawForm,
    item_initial,
)
from onestop.catalog.models import Channel
from onestop.core.errors import DomainError
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.core.pagecache import public_page
from onestop.workbench.access import staff_view

PAGE_SIZE = 30


@public_page
def index(request: HttpRequest) -> HttpResponse:
    """The service catalog: the twelve categories and their services (LZ 6.4)."""
    return render(request, "catalog/index.html", {"tree": selectors.category_tree()})


@public_page
def category(request: HttpRequest, code: str) -> HttpResponse:
    current = selectors.category_get(code=code)
    return render(
        request,
        "catalog/category.html",
        {"category": current, "items": list(selectors.published_items(category=current))},
    )


@public_page
def item(request: HttpRequest, item_id: int) -> HttpResponse:
    """The operation manual of one service: what the public sees is the
    latest published version, never a draft (WX 4.1.1)."""
    service = selectors.published_item(item_id=item_id)
    versions = list(service.versions.all())
    manual = versions[0].snapshot
    return render(
        request,
        "catalog/item.html",
        {
            "item": service,
            "manual": manual,
            "channel_label": Channel(manual["channel"]).label,
            "version": versions[0],
        },
    )


# --- the printable operation manual (WX 4.1.1) ------------------------------------------


def manual_pdf(request: HttpRequest) -> HttpResponse:
    """The whole published catalog as one PDF, grouped by the twelve categories
    (rendered once per publication; renders are rate-limited per client)."""
    return printing.manual_response(
        request,
        lambda before_render: printing.catalog_manual_pdf(before_render=before_render),
        filename=_("Operation manual of the service catalog"),
        fallback="service-catalog-manual.pdf",
    )


def item_manual_pdf(request: HttpRequest, item_id: int) -> HttpResponse:
    """One item's published manual as PDF; drafts and withdrawn items are 404."""
    manual = selectors.published_manual(item_id=item_id)
    return printing.manual_response(
        request,
        lambda before_render: printing.item_manual_pdf(manual, before_render=before_render),
        filename=_("%(name)s operation manual") % {"name": manual.snapshot["name"]},
        fallback=f"service-manual-{manual.item.pk}.pdf",
    )


# --- the workbench editor ---------------------------------------------------------------


@staff_view(authz.Perm.CATALOG_MANAGE)
def manage_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every item, drafts and withdrawn ones included, by category and status."""
    form = ManageFilterForm(request.GET or None)
    valid = form.is_bound and form.is_valid()
    items = selectors.items_for_management(
        category=form.cleaned_data.get("category") if valid else None,
        status=form.cleaned_data.get("status", "") if valid else "",
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/manage_list.html",
        {
            "form": form,
            "page": page,
            "rows": [selectors.managed(item) for item in page.object_list],
            "query": query.urlencode(),
        },
        status=400 if form.is_bound and not valid else 200,
    )


@staff_view(authz.Perm.CATALOG_MANAGE)
def manage_new(request: AuthenticatedRequest) -> HttpResponse:
    form = NewItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = run_service(
            form,
            lambda: services.item_create_draft(
                actor=request.user, category=form.cleaned_data["category"], details=form.details()
            ),
        )
        if item is not None:
            messages.success(request, _("Draft saved. Publish it when the manual is complete."))
            return HttpResponseRedirect(reverse("catalog:manage_edit", args=[item.pk]))
    return render(
        request,
        "catalog/manage_form.html",
        {"form": form, "row": None},
        status=400 if request.method == "POST" else 200,
    )


@staff_view(authz.Perm.CATALOG_MANAGE)
def manage_edit(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    """Edit the working copy; the public keeps seeing the last published version."""
    row = selectors.item_get_for_management(item_id=item_id)
    form = ItemForm(request.POST or None, initial=item_initial(row.item))
    if request.method == "POST" and form.is_valid() and not form.has_changed():
        messages.info(request, _("Nothing was changed."))
        return HttpResponseRedirect(reverse("catalog:manage_edit", args=[row.item.pk]))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.item_update_draft(
                actor=request.user, item=row.item, details=form.details()
            ),
        )
        if saved is not None:
            messages.success(
                request, _("Working copy saved. The public sees it once you publish it.")
            )
            return HttpResponseRedirect(reverse("catalog:manage_edit", args=[saved.pk]))
    return render(
        request,
        "catalog/manage_form.html",
        {"form": form, "row": row, "item": row.item},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@staff_view(authz.Perm.CATALOG_MANAGE)
def manage_publish(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    """Publish the working copy as a new version (WX 4.1.1)."""
    row = selectors.item_get_for_management(item_id=item_id)
    try:
        item = services.item_publish(actor=request.user, item=row.item)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Published as version %(number)s.") % {"number": item.version})
    return HttpResponseRedirect(reverse("catalog:manage_edit", args=[row.item.pk]))


@staff_view(authz.Perm.CATALOG_MANAGE)
def manage_withdraw(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    """Take a published item off the public catalog, with the reason."""
    row = selectors.item_get_for_management(item_id=item_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.item_withdraw(
                actor=request.user, item=row.item, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The item was withdrawn from the public catalog."))
            return HttpResponseRedirect(reverse("catalog:manage_edit", args=[row.item.pk]))
    return render(
        request,
        "catalog/manage_withdraw.html",
        {"form": form, "row": row, "item": row.item},
        status=400 if request.method == "POST" else 200,
    )


@staff_view(authz.Perm.CATALOG_MANAGE)
def manage_versions(request: AuthenticatedRequest, item_id: int) -> HttpResponse:
    """Every published version of an item: when, by whom, what it said."""
    row = selectors.item_get_for_management(item_id=item_id)
    return render(
        request,
        "catalog/manage_versions.html",
        {"row": row, "item": row.item, "versions": selectors.item_versions(item=row.item)},
    )

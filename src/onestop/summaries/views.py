"""Pages: the summary managers' list, a summary's progress and downloads, the
improvement plan editor (workbench, Perm.SUMMARY_MANAGE, region scoped: a
region or summary outside the scope is "not found"), and the public pages of
published improvement plans (WX 8.2)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.accounts.authz import Perm
from onestop.core.errors import DomainError, InvalidTransition, NotFound
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.summaries import rules, selectors, services
from onestop.summaries.forms import ItemForm, MoveForm, PlanOpenForm, SummaryRequestForm
from onestop.summaries.models import AnnualSummary
from onestop.workbench.access import staff_view

PAGE_SIZE = 20
PERM = Perm.SUMMARY_MANAGE
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX}


def _region_in_scope(request: AuthenticatedRequest, data: dict[str, str]) -> None:
    """A region outside the user's scope is "not found", not a form error."""
    code = (data.get("region") or "").strip()
    if code:
        selectors.manageable_region(user=request.user, code=code)


def _year_or_404(year: int) -> int:
    if not rules.year_is_allowed(year, timezone.localdate()):
        raise NotFound()
    return year


# --- summaries -------------------------------------------------------------------


@staff_view(PERM)
@require_http_methods(["GET", "POST"])
def manage_list(request: AuthenticatedRequest) -> HttpResponse:
    regions = list(selectors.manageable_regions(user=request.user))
    form = SummaryRequestForm(request.POST or None, regions=regions)
    if request.method == "POST":
        _region_in_scope(request, request.POST.dict())
        if form.is_valid():
            data = form.cleaned_data
            region = next(r for r in regions if r.code == data["region"])
            summary = run_service(
                form,
                lambda: services.summary_request(
                    actor=request.user, region=region, year=data["year"]
                ),
            )
            if summary is not None:
                return redirect("summaries:detail", pk=summary.pk)
    page = Paginator(selectors.summaries_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "summaries/manage_list.html",
        {"form": form, "plan_form": PlanOpenForm(regions=regions), "page": page},
        status=400 if form.errors else 200,
    )


def _detail(
    request: AuthenticatedRequest,
    summary: AnnualSummary,
    *,
    error: DomainError | None = None,
) -> HttpResponse:
    # Refreshing stops on request (WCAG 2.2.1).
    auto_refresh = request.GET.get("refresh") != "off"
    return render(
        request,
        "summaries/detail.html",
        {"summary": summary, "auto_refresh": auto_refresh, "error": error},
        status=error.status if error is not None else 200,
    )


@require_GET
@never_cache
@staff_view(PERM)
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.summary_get(user=request.user, pk=pk))


@require_POST
@staff_view(PERM)
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    summary = selectors.summary_get(user=request.user, pk=pk)
    try:
        services.summary_publish(actor=request.user, summary=summary)
    except InvalidTransition as error:
        return _detail(request, summary, error=error)
    return redirect("summaries:detail", pk=summary.pk)


@require_GET
@staff_view(PERM)
def download(request: AuthenticatedRequest, pk: int, kind: str) -> FileResponse:
    if kind not in CONTENT_TYPES:
        raise NotFound()
    summary = selectors.summary_get(user=request.user, pk=pk)
    handle, filename = services.summary_file_open(reader=request.user, summary=summary, kind=kind)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[kind]
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the improvement plan --------------------------------------------------------


@require_GET
@staff_view(PERM)
def plan_open(request: AuthenticatedRequest) -> HttpResponse:
    regions = list(selectors.manageable_regions(user=request.user))
    _region_in_scope(request, request.GET.dict())
    form = PlanOpenForm(request.GET, regions=regions)
    if form.is_valid() and rules.year_is_allowed(form.cleaned_data["year"], timezone.localdate()):
        return redirect(
            "summaries:plan", code=form.cleaned_data["region"], year=form.cleaned_data["year"]
        )
    return HttpResponseRedirect(reverse("summaries:manage_list"))


@staff_view(PERM)
@require_http_methods(["GET", "POST"])
def plan(request: AuthenticatedRequest, code: str, year: int) -> HttpResponse:
    view = selectors.plan_for_manager(user=request.user, code=code, year=_year_or_404(year))
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = run_service(
            form,
            lambda: services.improvement_item_add(
                actor=request.user,
                region=view.region,
                year=year,
                problem=data["problem"],
                measure=data["measure"],
                owner=data["owner"],
                due_on=data["due_on"],
            ),
        )
        if item is not None:
            return redirect("summaries:plan", code=code, year=year)
    return render(
        request,
        "summaries/plan.html",
        {"view": view, "form": form},
        status=400 if form.errors else 200,
    )


def _item_page(
    request: AuthenticatedRequest,
    pk: int,
    *,
    form: ItemForm | None = None,
    move: MoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    published = item.plan.published
    if form is None and not published:
        form = ItemForm(
            initial={
                "problem": item.problem,
                "measure": item.measure,
                "owner": item.owner,
                "due_on": item.due_on,
            }
        )
    moves = [
        move if move is not None and move.action == action else MoveForm(action=action)
        for action in rules.actions_from(item.state)
    ]
    labels = rules.ACTION_LABELS
    return render(
        request,
        "summaries/item.html",
        {
            "item": item,
            "form": form,
            "moves": [(m, labels[m.action]) for m in moves],
            "published": published,
        },
        status=status,
    )


@staff_view(PERM)
@require_http_methods(["GET", "POST"])
def item(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _item_page(request, pk)
    found = selectors.item_get(user=request.user, pk=pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.improvement_item_update(
                actor=request.user,
                item=found,
                problem=data["problem"],
                measure=data["measure"],
                owner=data["owner"],
                due_on=data["due_on"],
            ),
        )
        if done is not None:
            return redirect("summaries:item", pk=pk)
    return _item_page(request, pk, form=form, status=400)


@require_POST
@staff_view(PERM)
def item_move(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in rules.ACTIONS:
        raise NotFound()
    found = selectors.item_get(user=request.user, pk=pk)
    move = MoveForm(request.POST, action=action)
    if move.is_valid():
        data = move.cleaned_data
        done = run_service(
            move,
            lambda: services.improvement_item_move(
                actor=request.user,
                item=found,
                action=action,
                note=data.get("note", ""),
                rechecked_on=data.get("rechecked_on"),
            ),
        )
        if done is not None:
            return redirect("summaries:item", pk=pk)
    return _item_page(request, pk, move=move, status=400)


@require_POST
@staff_view(PERM)
def item_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.item_get(user=request.user, pk=pk)
    region, year = found.plan.region, found.plan.year
    services.improvement_item_remove(actor=request.user, item=found)
    return redirect("summaries:plan", code=region.code, year=year)


# --- public ----------------------------------------------------------------------


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_plans(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "summaries/public_index.html", {"page": page})


@require_GET
def public_plan(request: HttpRequest, code: str, year: str) -> HttpResponse:
    view = selectors.published_plan(code=code, year=int(year))
    return render(request, "summaries/public_plan.html", {"view": view})

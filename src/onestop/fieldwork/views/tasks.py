"""Workbench: proxy tasks per station (WX 5.3 b, HM 4.2.5.2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.core import workdays
from onestop.core.errors import DomainError
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.fieldwork import selectors, services
from onestop.fieldwork.forms import (
    AssignForm,
    BulkAssignForm,
    NoteForm,
    ReasonForm,
    TaskFilterForm,
    TaskForm,
)
from onestop.fieldwork.models import TaskStatus
from onestop.fieldwork.selectors import TaskView
from onestop.fieldwork.views._common import paginate, status_for
from onestop.workbench.access import staff_view

PERM = authz.Perm.FIELDWORK_HANDLE


@staff_view(PERM)
def task_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Open, due soon, overdue and my tasks, per station; bulk assign."""
    stations = list(selectors.stations_handled(user=request.user))
    form = TaskFilterForm(request.GET or None, stations=stations)
    valid = form.is_valid()
    view = (form.cleaned_data.get("view") if valid else "") or TaskView.OPEN
    station = form.cleaned_data.get("station") if valid else None
    if station is None and len(stations) == 1:
        station = stations[0]
    now = timezone.now()
    soon = selectors.due_soon_limit(now)
    tasks = selectors.task_queue(user=request.user, view=view, station=station, now=now, soon=soon)
    page, query = paginate(request, tasks)
    people = selectors.assignable_people(station) if station is not None else []
    return render(
        request,
        "fieldwork/task_queue.html",
        {
            "form": form,
            "view": view,
            "station": station,
            "stations": stations,
            "page": page,
            "query": query,
            "counts": selectors.task_counts(user=request.user, station=station, now=now, soon=soon),
            "now": now,
            "people": people,
            "can_bulk": station is not None and view != TaskView.CLOSED,
        },
    )


@staff_view(PERM)
def task_new(request: AuthenticatedRequest) -> HttpResponse:
    stations = list(selectors.stations_handled(user=request.user))
    chosen = request.POST.get("station") or request.GET.get("station")
    if not chosen and len(stations) == 1:
        chosen = str(stations[0].pk)
    station = next((s for s in stations if str(s.pk) == chosen), None)
    people = selectors.assignable_people(station) if station is not None else []
    initial = {"station": station.pk if station else None, "order": request.GET.get("order", "")}
    form = TaskForm(request.POST or None, stations=stations, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def create():  # type: ignore[no-untyped-def]
            order = selectors.order_for_staff(user=request.user, number=data["order"])
            due_on = data.get("due_on")
            assignee = next((p for p in people if p.pk == data.get("assigned_to")), None)
            return services.proxy_task_create(
                actor=request.user,
                order=order,
                station=data["station"],
                title=data["title"],
                due_at=workdays.end_of_day(due_on) if due_on else None,
                assigned_to=assignee,
                note=data.get("note", ""),
            )

        task = run_service(form, create, fields={"due_at": "due_on"})
        if task is not None:
            messages.success(request, _("Proxy task created."))
            return HttpResponseRedirect(reverse("fieldwork:task", args=[task.pk]))
    return render(
        request,
        "fieldwork/task_form.html",
        {"form": form, "station": station, "stations": stations},
        status=status_for(request),
    )


def _task_page(
    request: AuthenticatedRequest,
    task_id: int,
    *,
    assign_form: AssignForm | None = None,
    done_form: NoteForm | None = None,
    cancel_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    task = selectors.task_for_staff(user=request.user, task_id=task_id)
    people = selectors.assignable_people(task.station)
    return render(
        request,
        "fieldwork/task_detail.html",
        {
            "task": task,
            "is_open": task.status == TaskStatus.OPEN,
            "overdue": task.status == TaskStatus.OPEN and task.due_at < timezone.now(),
            "assign_form": assign_form or AssignForm(people=people),
            "done_form": done_form or NoteForm(),
            "cancel_form": cancel_form or ReasonForm(),
            "order_tasks": selectors.tasks_of_order(task.order),
        },
        status=status,
    )


@staff_view(PERM)
def task_detail(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    return _task_page(request, task_id)


@require_POST
@staff_view(PERM)
def task_assign(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    task = selectors.task_for_staff(user=request.user, task_id=task_id)
    form = AssignForm(request.POST, people=selectors.assignable_people(task.station))
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.proxy_task_assign(
                actor=request.user, task=task, assignee=form.person()
            ),
            fields={"assigned_to": "assignee"},
        )
        if done is not None:
            messages.success(request, _("Task assigned."))
            return HttpResponseRedirect(reverse("fieldwork:task", args=[task.pk]))
    return _task_page(request, task_id, assign_form=form, status=400)


@require_POST
@staff_view(PERM)
def task_done(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    task = selectors.task_for_staff(user=request.user, task_id=task_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.proxy_task_done(
                actor=request.user, task=task, note=form.cleaned_data.get("note", "")
            ),
        )
        if done is not None:
            messages.success(request, _("Task marked as done."))
            return HttpResponseRedirect(reverse("fieldwork:task", args=[task.pk]))
    return _task_page(request, task_id, done_form=form, status=400)


@require_POST
@staff_view(PERM)
def task_cancel(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    task = selectors.task_for_staff(user=request.user, task_id=task_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.proxy_task_cancel(
                actor=request.user, task=task, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Task cancelled."))
            return HttpResponseRedirect(reverse("fieldwork:task", args=[task.pk]))
    return _task_page(request, task_id, cancel_form=form, status=400)


@require_POST
@staff_view(PERM)
def tasks_assign(request: AuthenticatedRequest) -> HttpResponse:
    """Bulk assign the ticked tasks of one station to one person."""
    station = selectors.station_handled(user=request.user, station_id=request.POST.get("station"))
    people = selectors.assignable_people(station)
    ids = [int(v) for v in request.POST.getlist("tasks") if v.isdigit()]
    form = BulkAssignForm(request.POST, people=people, task_ids=ids)
    back = reverse("fieldwork:tasks") + f"?station={station.pk}"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(back)
    try:
        tasks = selectors.tasks_for_staff(user=request.user, task_ids=form.cleaned_data["tasks"])
        services.proxy_tasks_assign(actor=request.user, tasks=tasks, assignee=form.person())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(count)s tasks assigned to %(who)s.") % {"count": len(tasks), "who": form.person()},
        )
    return HttpResponseRedirect(back)

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.accounts.forms import WorkbenchLoginForm
from onestop.audit.selectors import AuditFilter, audit_event_list
from onestop.core import services as core_services
from onestop.core import workdays
from onestop.core.errors import DomainError
from onestop.core.http import AuthenticatedRequest
from onestop.core.selectors import calendar_year_view, sla_clocks_at_risk, sla_clocks_breached
from onestop.workbench.access import second_factor_url, staff_view
from onestop.workbench.forms import AuditFilterForm, CalendarDayForm, CalendarYearForm
from onestop.workbench.queues import queues_for

PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    """The password, the first of two factors: staff go on to the 2FA page."""

    template_name = "workbench/login.html"
    authentication_form = WorkbenchLoginForm
    redirect_authenticated_user = False

    def get_success_url(self) -> str:
        return second_factor_url(self.request.user, self.get_redirect_url())


@staff_view()
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {
        "missing_year": workdays.missing_next_year(timezone.localdate()),
        "roles": authz.assignments(user),
    }
    if authz.has_perm(user, authz.Perm.SLA_VIEW):
        context["at_risk_count"] = sla_clocks_at_risk(user=user).count()
        context["breached_count"] = sla_clocks_breached(user=user).count()
    context["queues"] = queues_for(user)
    context["can_audit"] = authz.has_perm(user, authz.Perm.AUDIT_VIEW)
    context["can_calendar"] = authz.has_perm(user, authz.Perm.CALENDAR_MANAGE)
    return render(request, "workbench/home.html", context)


@staff_view(authz.Perm.AUDIT_VIEW)
def audit_list(request: AuthenticatedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.to_filter() if form.is_bound and form.is_valid() else AuditFilter()
    events = audit_event_list(user=request.user, filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "workbench/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=status,
    )


@staff_view(authz.Perm.SLA_VIEW)
def sla_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "workbench/sla_list.html",
        {
            "at_risk": sla_clocks_at_risk(user=request.user)[:PAGE_SIZE],
            "breached": sla_clocks_breached(user=request.user)[:PAGE_SIZE],
        },
    )


@staff_view(authz.Perm.CALENDAR_MANAGE)
def calendar(request: AuthenticatedRequest) -> HttpResponse:
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else None
    year = year or timezone.localdate().year + 1
    return render(
        request,
        "workbench/calendar.html",
        {
            "calendar": calendar_year_view(year=year),
            "day_form": CalendarDayForm(),
            "year_form": CalendarYearForm(initial={"year": year}),
            "missing_year": workdays.missing_next_year(timezone.localdate()),
        },
    )


@require_POST
@staff_view(authz.Perm.CALENDAR_MANAGE)
def calendar_day_add(request: AuthenticatedRequest) -> HttpResponse:
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        day = core_services.calendar_day_set(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved %(date)s.") % {"date": day.date.isoformat()})
        return HttpResponseRedirect(f"{reverse('workbench:calendar')}?year={day.date.year}")
    return _calendar_form_error(request, form)


@require_POST
@staff_view(authz.Perm.CALENDAR_MANAGE)
def calendar_year_declare(request: AuthenticatedRequest) -> HttpResponse:
    form = CalendarYearForm(request.POST)
    if form.is_valid():
        try:
            declared = core_services.calendar_year_declare(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("%(year)s is now covered by the calendar.") % {"year": declared.year}
            )
            return HttpResponseRedirect(f"{reverse('workbench:calendar')}?year={declared.year}")
    return _calendar_form_error(request, form)


def _calendar_form_error(request: AuthenticatedRequest, form: object) -> HttpResponse:
    return render(request, "workbench/form_error.html", {"form": form}, status=400)

"""Order pages: the order form (WX App. A 在线下单), the user's orders and
order page with its timeline (HM 4.3.4.1), the institution's queue, and
the staff's region-scoped order queue (supervision, HM 4.3.3.2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.core.errors import DomainError, InvalidInput
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.orders import rules, selectors, services
from onestop.orders.forms import (
    MYSELF,
    ActionForm,
    AttachmentForm,
    EscalateForm,
    InstitutionFilter,
    MessageForm,
    OrderForm,
    ProxyForm,
    StaffFilter,
)
from onestop.orders.models import Order, OrderStatus
from onestop.orders.selectors import SIDE_INSTITUTION, SIDE_PARTIES, SIDE_STAFF, SIDE_USER
from onestop.stations.models import Station, StationStatus
from onestop.workbench.access import staff_view

PAGE_SIZE = 20

# --- placing an order (WX App. A) ----------------------------------------------------------


@login_required
def order_new(request: AuthenticatedRequest, offering_id: int) -> HttpResponse:
    """The order form of one offering. Anonymous visitors log in (or register)
    and come back here (login_required keeps the way back in ``next``)."""
    offering = selectors.offering_for_order(offering_id=offering_id)
    refusal = services.orderable_refusal(offering, today=timezone.localdate())
    customer = selectors.customer_of(user=request.user)
    recommendation = None
    raw = request.POST.get("recommendation") or request.GET.get("recommendation")
    if raw:
        try:
            recommendation = selectors.recommendation_for_user(
                user=request.user, recommendation_id=int(raw)
            )
        except ValueError:
            recommendation = None
    form = OrderForm(
        request.POST if request.method == "POST" else None,
        enterprises=customer.enterprises,
        individual=customer.individual,
        initial={
            "contact_name": request.user.display_name,
            "recommendation": recommendation.pk if recommendation else None,
        },
    )
    status = 200
    if refusal is not None:
        status = refusal.status
    elif request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            enterprise = form.enterprise() if data.get("customer") != MYSELF else None
            order = run_service(
                form,
                lambda: services.order_place(
                    user=request.user,
                    offering=offering,
                    description=data["description"],
                    contact_name=data["contact_name"],
                    enterprise=enterprise,
                    recommendation=recommendation,
                ),
            )
            if order is not None:
                messages.success(
                    request,
                    _(
                        "Order %(number)s submitted. "
                        "The institution will reply within 1 working day."
                    )
                    % {"number": order.number},
                )
                return HttpResponseRedirect(order.get_absolute_url())
    return render(
        request,
        "orders/new.html",
        {
            "offering": offering,
            "institution": offering.institution,
            "refusal": refusal,
            "customer": customer,
            "form": form,
            "recommendation": recommendation,
        },
        status=status,
    )


# --- the user's orders -------------------------------------------------------------------


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """My orders, newest first, a page at a time."""
    page = Paginator(selectors.orders_of_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "orders/mine.html", {"page": page})


# --- one order, from each side -------------------------------------------------------------

_BASE = {SIDE_USER: "base.html", SIDE_INSTITUTION: "base.html", SIDE_STAFF: "workbench/base.html"}
_DETAIL_URL = {
    SIDE_USER: "orders:detail",
    SIDE_INSTITUTION: "orders:institution_detail",
    SIDE_STAFF: "orders:manage_detail",
}
_ACT_URL = {
    SIDE_USER: "orders:act",
    SIDE_INSTITUTION: "orders:institution_act",
    SIDE_STAFF: "orders:manage_act",
}
_MESSAGE_URL = {
    SIDE_USER: "orders:message",
    SIDE_INSTITUTION: "orders:institution_message",
    SIDE_STAFF: "orders:manage_message",
}
_ATTACH_URL = {
    SIDE_USER: "orders:attach",
    SIDE_INSTITUTION: "orders:institution_attach",
    SIDE_STAFF: "orders:manage_attach",
}


def _proxy_stations(request: AuthenticatedRequest) -> Any:
    scope = authz.region_scope(request.user, authz.Perm.FIELDWORK_HANDLE)
    return scope.filter(
        Station.objects.filter(status=StationStatus.ACTIVE).select_related("region"), "region"
    ).order_by("region__path", "name")


def _detail(
    request: AuthenticatedRequest,
    number: str,
    side: str,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = selectors.order_page(user=request.user, number=number, side=side)
    bound = bound or {}
    action_forms = [
        bound.get(f"action:{rule.action}") or ActionForm(rule=rule) for rule in page.actions
    ]
    context: dict[str, Any] = {
        "page": page,
        "order": page.order,
        "side": side,
        "base_template": _BASE[side],
        "action_forms": action_forms,
        "act_url": _ACT_URL[side],
        "message_url": reverse(_MESSAGE_URL[side], args=[number]),
        "attach_url": reverse(_ATTACH_URL[side], args=[number]),
        "message_form": bound.get("message") or MessageForm(),
        "attach_form": bound.get("attach") or AttachmentForm(kinds=page.attach_kinds),
        "now": timezone.now(),
    }
    shown = {f"action:{rule.action}" for rule in page.actions} | {"message"}
    if page.attach_kinds:
        shown.add("attach")
    if side == SIDE_STAFF and page.can_handle_fieldwork and page.order.is_open:
        shown |= {"proxy"} | ({"escalate"} if page.can_escalate else set())
        context["escalate_form"] = bound.get("escalate") or EscalateForm()
        context["proxy_form"] = bound.get("proxy") or ProxyForm(
            stations=_proxy_stations(request),
            initial={"station": page.order.proxy_station_id},
        )
    # A form whose section is gone (the order moved on meanwhile) still says why.
    context["orphan_errors"] = [
        str(error)
        for key, form in bound.items()
        if key not in shown
        for errors in form.errors.values()
        for error in errors
    ]
    return render(request, "orders/detail.html", context, status=status)


def _back(side: str, number: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(_DETAIL_URL[side], args=[number]))


def _next_or_back(request: AuthenticatedRequest, side: str, number: str) -> HttpResponseRedirect:
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(candidate)
    return _back(side, number)


def _attempt(
    request: AuthenticatedRequest,
    number: str,
    side: str,
    *,
    key: str,
    form: forms.Form,
    call: Callable[[], object],
    done: str,
    fields: dict[str, str] | None = None,
) -> HttpResponse:
    """Run a write for the order page; on success back to the page with a
    message, on error the page again with the form and its error."""
    if form.is_valid():
        try:
            call()
        except DomainError as exc:
            name = (fields or {}).get(exc.field or "", exc.field)
            form.add_error(name if name in form.fields else None, exc.message)
            return _detail(request, number, side, bound={key: form}, status=exc.status)
        messages.success(request, done)
        return _next_or_back(request, side, number)
    return _detail(request, number, side, bound={key: form}, status=400)


def _act(request: AuthenticatedRequest, number: str, action: str, side: str) -> HttpResponse:
    order = selectors.order_for_side(user=request.user, number=number, side=side)
    rule = next((r for r in rules.rules_for(action)), None)
    if rule is None:
        raise InvalidInput(_("Unknown action."))
    held = selectors.parties_of(request.user, order, SIDE_PARTIES[side])
    rule = rules.rule_for(order.status, action, held) or rule
    form = ActionForm(request.POST, rule=rule)
    return _attempt(
        request,
        number,
        side,
        key=f"action:{action}",
        form=form,
        call=lambda: services.order_act(
            actor=request.user,
            order=order,
            action=action,
            note=form.cleaned_data["note"],
            price=form.cleaned_data.get("price"),
            acting_as=SIDE_PARTIES[side],
        ),
        done=_("Done: %(action)s.") % {"action": rules.ACTION_LABELS[action]},
        fields={"report": "note"},
    )


def _message(request: AuthenticatedRequest, number: str, side: str) -> HttpResponse:
    order = selectors.order_for_side(user=request.user, number=number, side=side)
    form = MessageForm(request.POST)
    return _attempt(
        request,
        number,
        side,
        key="message",
        form=form,
        call=lambda: services.order_message_post(
            actor=request.user,
            order=order,
            body=form.cleaned_data["body"],
            acting_as=SIDE_PARTIES[side],
        ),
        done=_("Message sent."),
    )


def _attach(request: AuthenticatedRequest, number: str, side: str) -> HttpResponse:
    page = selectors.order_page(user=request.user, number=number, side=side)
    form = AttachmentForm(request.POST, request.FILES, kinds=page.attach_kinds)
    return _attempt(
        request,
        number,
        side,
        key="attach",
        form=form,
        call=lambda: services.order_attach(
            actor=request.user,
            order=page.order,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            acting_as=SIDE_PARTIES[side],
        ),
        done=_("File attached."),
        fields={"upload": "file"},
    )


# The user's side.


@login_required
def detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """My order: progress timeline, expected completion, messages, files (HM 4.3.4.1)."""
    return _detail(request, number, SIDE_USER)


@require_POST
@login_required
def act(request: AuthenticatedRequest, number: str, action: str) -> HttpResponse:
    return _act(request, number, action, SIDE_USER)


@require_POST
@login_required
def message(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _message(request, number, SIDE_USER)


@require_POST
@login_required
def attach(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _attach(request, number, SIDE_USER)


# The institution's side.


@login_required
def institution_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Orders placed with my institution: awaiting acceptance (with the
    deadline), in service and the rest, by status."""
    institution = selectors.institution_of(user=request.user)
    form = InstitutionFilter(request.GET or None)
    status = "open"
    if form.is_valid():
        chosen = form.cleaned_data["status"] or "open"
        status = "" if chosen == "all" else chosen
    orders = selectors.institution_queue(institution=institution, status=status)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orders/institution_queue.html",
        {
            "institution": institution,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "submitted": OrderStatus.SUBMITTED,
        },
    )


@login_required
def institution_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _detail(request, number, SIDE_INSTITUTION)


@require_POST
@login_required
def institution_act(request: AuthenticatedRequest, number: str, action: str) -> HttpResponse:
    return _act(request, number, action, SIDE_INSTITUTION)


@require_POST
@login_required
def institution_message(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _message(request, number, SIDE_INSTITUTION)


@require_POST
@login_required
def institution_attach(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _attach(request, number, SIDE_INSTITUTION)


# Staff (workbench).


@staff_view(authz.Perm.ORDER_OVERSEE)
def manage_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every order of my regions, newest first; by status, institution,
    acceptance deadline and escalation (the center's escalation queue)."""
    form = StaffFilter(request.GET or None)
    filters = selectors.StaffFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.StaffFilter(
            status=data.get("status") or "",
            institution_id=data.get("institution"),
            institution_name=(data.get("institution_name") or "").strip(),
            clock=data.get("clock") or "",
            escalated=bool(data.get("escalated")),
        )
    orders = selectors.staff_queue(user=request.user, filters=filters)
    page = selectors.capped_page(orders, page=request.GET.get("page"), per_page=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "orders/manage_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "now": timezone.now(),
            "cap": selectors.COUNT_CAP,
        },
    )


@staff_view(authz.Perm.ORDER_OVERSEE)
def manage_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _detail(request, number, SIDE_STAFF)


@require_POST
@staff_view(authz.Perm.ORDER_OVERSEE)
def manage_act(request: AuthenticatedRequest, number: str, action: str) -> HttpResponse:
    return _act(request, number, action, SIDE_STAFF)


@require_POST
@staff_view(authz.Perm.ORDER_OVERSEE)
def manage_message(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _message(request, number, SIDE_STAFF)


@require_POST
@staff_view(authz.Perm.ORDER_OVERSEE)
def manage_attach(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _attach(request, number, SIDE_STAFF)


def _staff_order(request: AuthenticatedRequest, number: str) -> Order:
    return selectors.order_for_side(user=request.user, number=number, side=SIDE_STAFF)


@require_POST
@staff_view(authz.Perm.FIELDWORK_HANDLE)
def manage_escalate(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """A station cannot solve the order: it goes to the center's queue (HM 4.3.3.2)."""
    order = _staff_order(request, number)
    form = EscalateForm(request.POST)
    return _attempt(
        request,
        number,
        SIDE_STAFF,
        key="escalate",
        form=form,
        call=lambda: services.order_escalate(
            actor=request.user, order=order, reason=form.cleaned_data["reason"]
        ),
        done=_("The order has been escalated to the service center."),
        fields={"note": "reason"},
    )


@require_POST
@staff_view(authz.Perm.FIELDWORK_HANDLE)
def manage_proxy(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Handle the order on the user's behalf (WX 5.3 b), or hand it back."""
    order = _staff_order(request, number)
    form = ProxyForm(request.POST, stations=_proxy_stations(request))
    return _attempt(
        request,
        number,
        SIDE_STAFF,
        key="proxy",
        form=form,
        call=lambda: services.order_set_proxy(
            actor=request.user,
            order=order,
            station=form.cleaned_data["station"],
            note=form.cleaned_data["note"],
        ),
        done=_("Proxy handling saved."),
    )

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onestop.core.http import AuthenticatedRequest
from onestop.notifications import selectors, services


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.inbox_list(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@login_required
def mark_read(request: AuthenticatedRequest, notification_id: int) -> HttpResponse:
    notification = services.notification_mark_read(
        user=request.user, notification_id=notification_id
    )
    target = notification.url or reverse("notifications:inbox")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("notifications:inbox")
    return HttpResponseRedirect(target)


@require_POST
@login_required
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    services.notification_mark_all_read(user=request.user)
    return HttpResponseRedirect(reverse("notifications:inbox"))


class PreferenceForm(forms.Form):
    sms = forms.BooleanField(label=_("Text messages for important steps"), required=False)
    email = forms.BooleanField(label=_("E-mail for important steps"), required=False)
    email_all = forms.BooleanField(label=_("An e-mail copy of every notice"), required=False)


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    """How the user wants to be told; the inbox always gets everything."""
    current = selectors.preference_of(user=request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={"sms": current.sms, "email": current.email, "email_all": current.email_all},
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )

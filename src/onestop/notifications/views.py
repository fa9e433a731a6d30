from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.core.errors import NotFound
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.enterprises import selectors, services
from onestop.enterprises.forms import InviteForm


def _page(
    request: AuthenticatedRequest, invite_form: InviteForm, status: int = 200
) -> HttpResponse:
    try:
        view = selectors.enterprise_view(user=request.user)
    except NotFound:
        view = None
    return render(
        request,
        "enterprises/home.html",
        {
            "view": view,
            "invite_form": invite_form,
            "invitations": list(selectors.invitations_for(user=request.user)),
        },
        status=status,
    )


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """My enterprise, its members and, for the owner, the staff tools."""
    return _page(request, InviteForm())


@require_POST
@login_required
def invite(request: AuthenticatedRequest) -> HttpResponse:
    view = selectors.enterprise_view(user=request.user)
    form = InviteForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.member_invite(
                actor=request.user, enterprise=view.enterprise, mobile=form.cleaned_data["mobile"]
            ),
        )
        if done is not None:
            messages.success(request, _("Invitation sent."))
            return HttpResponseRedirect(reverse("enterprises:home"))
    return _page(request, form, status=400)


@require_POST
@login_required
def accept(request: AuthenticatedRequest, invitation_id: int) -> HttpResponse:
    services.invitation_accept(user=request.user, invitation_id=invitation_id)
    messages.success(request, _("You now act for the enterprise."))
    return HttpResponseRedirect(reverse("enterprises:home"))


@require_POST
@login_required
def remove(request: AuthenticatedRequest, membership_id: int) -> HttpResponse:
    view = selectors.enterprise_view(user=request.user)
    member = selectors.member_of_enterprise(enterprise=view.enterprise, membership_id=membership_id)
    services.member_remove(actor=request.user, membership=member)
    messages.success(request, _("Member removed."))
    return HttpResponseRedirect(reverse("enterprises:home"))


@require_POST
@login_required
def transfer(request: AuthenticatedRequest, membership_id: int) -> HttpResponse:
    view = selectors.enterprise_view(user=request.user)
    member = selectors.member_of_enterprise(enterprise=view.enterprise, membership_id=membership_id)
    services.ownership_transfer(actor=request.user, enterprise=view.enterprise, to=member)
    messages.success(request, _("Ownership transferred."))
    return HttpResponseRedirect(reverse("enterprises:home"))

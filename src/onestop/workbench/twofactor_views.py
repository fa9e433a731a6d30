"""The second-factor pages of the workbench (WX 4.1.2d, 4.1.4).

/workbench/2fa/setup/     first time: scan the QR code (or type the secret),
                          confirm with a code, note the recovery codes
/workbench/2fa/verify/    every login: a TOTP code or a recovery code
/workbench/2fa/recovery/  new recovery codes, confirmed with a TOTP code
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from onestop.accounts import twofactor
from onestop.core.errors import DomainError
from onestop.core.http import AuthenticatedRequest
from onestop.workbench.access import safe_next, staff_password_view, staff_view
from onestop.workbench.forms import SecondFactorForm, TotpCodeForm

LOW_RECOVERY_CODES = 3


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _same_query(request: AuthenticatedRequest, name: str) -> str:
    query = request.GET.urlencode()
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _admit(request: AuthenticatedRequest, device: Device) -> None:
    """Mark this session as having passed the second factor, under a new session key."""
    otp_login(request, device)
    request.session.cycle_key()


def _codes_page(request: AuthenticatedRequest, codes: list[str], next_url: str) -> HttpResponse:
    # Shown once, in the response to the POST that made them; never stored
    # in the session and never cached.
    response = render(request, "workbench/2fa_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@staff_password_view
def setup(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    next_url = safe_next(request)
    if twofactor.has_confirmed_totp(user):
        # Replacing a device is not done here: that would let a stolen
        # password alone swap in the thief's phone.
        if twofactor.session_is_verified(user):
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(_same_query(request, "workbench:2fa_verify"))
    device = twofactor.totp_device_start(user=user)
    form = TotpCodeForm(_posted(request))
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                device, codes = twofactor.totp_device_confirm(
                    user=user, code=form.cleaned_data["code"]
                )
            except DomainError as exc:
                form.add_error("code", exc.message)
                status = exc.status
            else:
                _admit(request, device)
                return _codes_page(request, codes, next_url)
        else:
            status = 400
    uri = twofactor.totp_uri(device)
    return render(
        request,
        "workbench/2fa_setup.html",
        {
            "form": form,
            "next": next_url,
            "secret": twofactor.totp_secret(device),
            "qr_svg": twofactor.qr_svg(uri),
            "otpauth_uri": uri,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_password_view
def verify(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    next_url = safe_next(request)
    if twofactor.session_is_verified(user):
        return HttpResponseRedirect(next_url)
    if not twofactor.has_confirmed_totp(user):
        return HttpResponseRedirect(_same_query(request, "workbench:2fa_setup"))
    form = SecondFactorForm(_posted(request))
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                device = twofactor.second_factor_verify(user=user, code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_error("code", exc.message)
                status = exc.status
            else:
                _admit(request, device)
                _tell_codes_left(request, device)
                return HttpResponseRedirect(next_url)
        else:
            status = 400
    return render(
        request, "workbench/2fa_verify.html", {"form": form, "next": next_url}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_view()
def recovery_codes(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = TotpCodeForm(_posted(request))
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                codes = twofactor.recovery_codes_regenerate(
                    user=user, code=form.cleaned_data["code"]
                )
            except DomainError as exc:
                form.add_error("code", exc.message)
                status = exc.status
            else:
                return _codes_page(request, codes, reverse("workbench:home"))
        else:
            status = 400
    return render(
        request,
        "workbench/2fa_recovery.html",
        {"form": form, "left": twofactor.recovery_codes_left(user)},
        status=status,
    )


def _tell_codes_left(request: AuthenticatedRequest, device: Device) -> None:
    if not isinstance(device, StaticDevice):
        return
    left = twofactor.recovery_codes_left(request.user)
    text = _("You logged in with a recovery code. Recovery codes left: %(count)d.") % {
        "count": left
    }
    if left <= LOW_RECOVERY_CODES:
        text += " " + _("Make new ones under Two-factor authentication.")
    messages.warning(request, text)

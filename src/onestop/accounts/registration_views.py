"""Registration, password reset by SMS code, the privacy notice and "my account".

Both flows work without JavaScript in two steps: step 1 takes the number and
sends a code; step 2 takes the code and the rest. Between the steps the
number waits in the session encrypted (onestop.core.crypto), so the session
table holds no plain numbers; pages show it masked.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.accounts import selectors, services, sms_codes
from onestop.accounts.models import SmsPurpose, User
from onestop.accounts.registration_forms import MobileForm, PasswordResetForm, RegisterForm
from onestop.core import crypto
from onestop.core.errors import DomainError
from onestop.core.http import AuthenticatedRequest

REGISTER_SESSION_KEY = "onestop_register_mobile"
# Where a visitor was going when sent to register (WX App. A: "member?" →
# register → back to the order), kept across the two steps.
REGISTER_NEXT_KEY = "onestop_register_next"
RESET_SESSION_KEY = "onestop_reset_mobile"


def _remember_mobile(request: HttpRequest, key: str, mobile: str) -> None:
    request.session[key] = crypto.encrypt(mobile)


def _remembered_mobile(request: HttpRequest, key: str) -> str | None:
    token = request.session.get(key)
    if not token:
        return None
    try:
        return crypto.decrypt(token)
    except ImproperlyConfigured:  # written under a key since retired: start again
        del request.session[key]
        return None


def _show_error(form: forms.Form, exc: DomainError) -> None:
    """Put a domain error on the field it is about, else above the form."""
    field = getattr(exc, "field", None)
    if field not in form.fields:
        field = None
    for message in getattr(exc, "messages", None) or [exc.message]:
        form.add_error(field, message)


def _login_backend() -> str:
    # Log in with a backend that can load the user again on the next request;
    # django-axes' backend only guards authenticate().
    for path in settings.AUTHENTICATION_BACKENDS:
        if not path.startswith("axes."):
            return path
    return "django.contrib.auth.backends.ModelBackend"


def _code_sent(request: HttpRequest, mobile: str) -> None:
    messages.success(
        request,
        _("A verification code was sent to %(mobile)s. It is valid for %(minutes)s minutes.")
        % {"mobile": crypto.mask_mobile(mobile), "minutes": sms_codes.CODE_TTL_MINUTES},
    )


def _resend(request: HttpRequest, *, mobile: str, purpose: SmsPurpose) -> None:
    try:
        sms_codes.sms_code_send(mobile=mobile, purpose=purpose)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if purpose == SmsPurpose.PASSWORD_RESET:
            messages.success(request, _("If this number is registered, a new code is on its way."))
        else:
            _code_sent(request, mobile)


@require_http_methods(["GET", "POST"])
def register_start(request: HttpRequest) -> HttpResponse:
    """Step 1: the mobile number, and a code sent to it (WX 7.1.1.2)."""
    if request.user.is_authenticated:
        return redirect("accounts:me")
    wanted = request.GET.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[REGISTER_NEXT_KEY] = wanted
    form = MobileForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            mobile = form.cleaned_data["mobile"]
            try:
                sms_codes.sms_code_send(mobile=mobile, purpose=SmsPurpose.REGISTER)
            except DomainError as exc:
                _show_error(form, exc)
                status = exc.status
            else:
                _remember_mobile(request, REGISTER_SESSION_KEY, mobile)
                _code_sent(request, mobile)
                return redirect("accounts:register_details")
    return render(request, "accounts/register_start.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def register_details(request: HttpRequest) -> HttpResponse:
    """Step 2: the code, the account type and the rest (WX 7.1.1.1)."""
    if request.user.is_authenticated:
        return redirect("accounts:me")
    mobile = _remembered_mobile(request, REGISTER_SESSION_KEY)
    if mobile is None:
        return redirect("accounts:register")
    if request.method == "POST" and request.POST.get("action") == "resend":
        _resend(request, mobile=mobile, purpose=SmsPurpose.REGISTER)
        return redirect("accounts:register_details")

    notice = selectors.privacy_notice_current()
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        initial={"consent_version": notice.version if notice is not None else ""},
    )
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_register(
                    kind=data["kind"],
                    mobile=mobile,
                    code=data["code"],
                    password=data["password1"],
                    display_name=data["display_name"],
                    region=data["region"],
                    consent_version=data["consent_version"],
                )
            except DomainError as exc:
                _show_error(form, exc)
                status = exc.status
            else:
                del request.session[REGISTER_SESSION_KEY]
                next_url = request.session.pop(REGISTER_NEXT_KEY, "")
                login(request, user, backend=_login_backend())
                messages.success(
                    request,
                    _("Welcome, %(name)s. Your account has been created.")
                    % {"name": user.display_name},
                )
                return redirect(next_url or "web:home")
    return render(
        request,
        "accounts/register_details.html",
        {"form": form, "masked_mobile": crypto.mask_mobile(mobile), "notice": notice},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def password_reset_start(request: HttpRequest) -> HttpResponse:
    """Step 1 of a reset: the same answer whether the number is registered or not."""
    form = MobileForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            mobile = form.cleaned_data["mobile"]
            try:
                sms_codes.sms_code_send(mobile=mobile, purpose=SmsPurpose.PASSWORD_RESET)
            except DomainError as exc:
                _show_error(form, exc)
                status = exc.status
            else:
                _remember_mobile(request, RESET_SESSION_KEY, mobile)
                messages.success(
                    request,
                    _(
                        "If %(mobile)s is registered, a verification code has been sent to it. "
                        "It is valid for %(minutes)s minutes."
                    )
                    % {"mobile": crypto.mask_mobile(mobile), "minutes": sms_codes.CODE_TTL_MINUTES},
                )
                return redirect("accounts:password_reset_confirm")
    return render(request, "accounts/password_reset_start.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2 of a reset: the code and the new password twice."""
    mobile = _remembered_mobile(request, RESET_SESSION_KEY)
    if mobile is None:
        return redirect("accounts:password_reset")
    if request.method == "POST" and request.POST.get("action") == "resend":
        _resend(request, mobile=mobile, purpose=SmsPurpose.PASSWORD_RESET)
        return redirect("accounts:password_reset_confirm")

    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                services.password_reset(
                    mobile=mobile,
                    code=form.cleaned_data["code"],
                    new_password=form.cleaned_data["password1"],
                )
            except DomainError as exc:
                _show_error(form, exc)
                status = exc.status
            else:
                del request.session[RESET_SESSION_KEY]
                messages.success(
                    request, _("Your password has been changed. Please log in with it.")
                )
                return redirect("accounts:login")
    return render(
        request,
        "accounts/password_reset_confirm.html",
        {"form": form, "masked_mobile": crypto.mask_mobile(mobile)},
        status=status,
    )


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The current privacy notice, public."""
    return render(request, "accounts/privacy.html", {"notice": selectors.privacy_notice_current()})


@require_GET
@login_required
def me(request: AuthenticatedRequest) -> HttpResponse:
    """My account: name, type, masked number and roles; never the plain number."""
    user: User = request.user
    return render(
        request,
        "accounts/me.html",
        {"account": user, "assignments": selectors.my_role_assignments(user=user)},
    )

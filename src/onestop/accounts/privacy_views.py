"""The user's own data: download a copy, close the account (PIPL)."""

import json

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from onestop.accounts.personal_data import account_deactivate, personal_data_export
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest


@login_required
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    data = personal_data_export(user=request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"onestop-my-data-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class DeactivateForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this account can no longer be used once it is closed.")
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):  # type: ignore[attr-defined]
            raise forms.ValidationError(_("The password is wrong."))
        return password


@login_required
@require_http_methods(["GET", "POST"])
def deactivate(request: AuthenticatedRequest) -> HttpResponse:
    form = DeactivateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = run_service(form, lambda: account_deactivate(user=request.user))
        if done is not None:
            logout(request)
            return HttpResponseRedirect("/?closed=1")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/deactivate.html", {"form": form}, status=status)

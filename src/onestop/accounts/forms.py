from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz


class LoginForm(AuthenticationForm):
    """Username or mobile number and password (onestop.accounts.backends)."""

    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _("The username or password is wrong. Both are case-sensitive."),
        "inactive": _("This account is disabled."),
    }


class WorkbenchLoginForm(LoginForm):
    """The back-office door: only accounts holding a staff role get in."""

    def confirm_login_allowed(self, user) -> None:  # type: ignore[no-untyped-def]
        super().confirm_login_allowed(user)
        if not authz.is_staff(user):
            raise forms.ValidationError(
                _("This account has no workbench role. Use the public site's login instead."),
                code="not_staff",
            )

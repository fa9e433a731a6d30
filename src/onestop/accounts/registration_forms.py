"""Forms of registration and password reset: shape only; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import UserKind
from onestop.accounts.sms_codes import InvalidMobile, mobile_normalise
from onestop.regions import selectors as region_selectors
from onestop.regions.models import Region, RegionLevel

_NUMERIC = {"inputmode": "numeric"}


class MobileForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "autofocus": True, **_NUMERIC}),
    )

    def clean_mobile(self) -> str:
        try:
            return mobile_normalise(self.cleaned_data["mobile"])
        except InvalidMobile as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc


class RegionChoiceField(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Region) -> str:
        if obj.level != RegionLevel.CITY and obj.parent is not None:
            return f"{obj.name}（{obj.parent.name}）"
        return obj.name


class _NewPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned


def _code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Verification code"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", **_NUMERIC}),
    )


class RegisterForm(_NewPasswordMixin):
    """Step 2 of registration; the mobile number comes from step 1 (the session)."""

    kind = forms.ChoiceField(
        label=_("Account type"),
        choices=[
            (UserKind.INDIVIDUAL.value, _("Individual user")),
            (UserKind.ENTERPRISE.value, _("Enterprise user")),
        ],
        widget=forms.RadioSelect,
    )
    code = _code_field()
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=30,
        help_text=_("2 to 30 characters, shown to others on the platform."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    region = RegionChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("Choose a city or district"),
    )
    consent = forms.BooleanField(label=_("I have read and accept the privacy notice"))
    consent_version = forms.CharField(widget=forms.HiddenInput, required=False)

    field_order = ["kind", "code", "display_name", "password1", "password2", "region"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: RegionChoiceField = self.fields["region"]  # type: ignore[assignment]
        region_field.queryset = (
            region_selectors.region_choices()
            .filter(level__in=[RegionLevel.CITY, RegionLevel.DISTRICT])
            .select_related("parent")
        )


class PasswordResetForm(_NewPasswordMixin):
    """Step 2 of the password reset; the mobile number comes from step 1."""

    code = _code_field()

    field_order = ["code", "password1", "password2"]

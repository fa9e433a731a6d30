import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.audit.selectors import AuditFilter
from onestop.core.errors import NotFound
from onestop.regions import selectors as region_selectors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=64, required=False)
    actor = forms.CharField(label=_("Actor"), max_length=150, required=False)
    region = forms.CharField(label=_("Region code"), max_length=20, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def clean_region(self):  # type: ignore[no-untyped-def]
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        try:
            return region_selectors.region_get(code=code)
        except NotFound as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data
        return AuditFilter(
            action=data.get("action", ""),
            actor=data.get("actor", ""),
            region=data.get("region"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    is_workday = forms.TypedChoiceField(
        label=_("Status"),
        choices=[("0", _("Rest day (holiday)")), ("1", _("Working day (adjusted)"))],
        coerce=lambda value: value == "1",
    )
    name = forms.CharField(label=_("Name"), max_length=50, required=False)

    def clean_date(self) -> dt.date:
        date: dt.date = self.cleaned_data["date"]
        if not 2000 <= date.year <= 2100:
            raise forms.ValidationError(_("The year must be between 2000 and 2100."))
        return date


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    source = forms.CharField(label=_("Source (notice number)"), max_length=200, required=False)


class SecondFactorForm(forms.Form):
    """A code from the authenticator app or one recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=32,
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
                "aria-describedby": "id_code_hint",
            }
        ),
    )


class TotpCodeForm(forms.Form):
    """A code from the authenticator app only (setting up, or confirming a change)."""

    code = forms.CharField(
        label=_("6-digit code from the app"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

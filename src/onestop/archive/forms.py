from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.archive.models import DETAIL_MAX, STAFF_PURPOSES, Purpose
from onestop.archive.selectors.access import SEARCH_MAX


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Enterprise name or unified social credit code"),
        max_length=SEARCH_MAX,
        required=False,
    )


class PurposeForm(forms.Form):
    """Why the archive is opened (HM 6.3); the enterprise reads the answer."""

    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", _("Choose…")), *STAFF_PURPOSES],
    )
    detail = forms.CharField(
        label=_("Reason or reference"),
        help_text=_("For example the number of the demand, order or complaint you handle."),
        max_length=DETAIL_MAX,
        required=False,
        widget=forms.TextInput(attrs={"aria-describedby": "detail-help"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("purpose") == Purpose.OTHER and not (data.get("detail") or "").strip():
            self.add_error("detail", _("State the reason for opening the archive."))
        return data

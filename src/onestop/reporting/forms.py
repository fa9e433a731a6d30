"""The period and region pickers of the dashboard, and the publication form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.regions.models import Region
from onestop.reporting import periods
from onestop.reporting.models import EvaluationMethod, PeriodKind
from onestop.reporting.services import REMARKS_MAX

FIRST_YEAR = 2020


def _years() -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]


class PeriodForm(forms.Form):
    """A region of the user's scope and a month, quarter, year (or custom days)."""

    kinds: tuple[str, ...] = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)

    region = forms.ChoiceField(label=_("Region"))
    kind = forms.ChoiceField(label=_("Period"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        choices=[(m, str(m)) for m in range(1, 13)],
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=[(q, str(q)) for q in range(1, 5)],
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {region.code: region for region in regions}
        region_field = self.fields["region"]
        region_field.choices = [  # type: ignore[attr-defined]
            (r.code, f"{'　' * max(r.depth - 1, 0)}{r.name}") for r in regions
        ]
        labels = dict(PeriodKind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in self.kinds]  # type: ignore[attr-defined]
        self.fields["year"].choices = _years()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, year = data.get("kind"), data.get("year")
        if not kind or not year:
            return data
        if kind == PeriodKind.MONTH:
            if not data.get("month"):
                self.add_error("month", _("Choose the month."))
                return data
            data["period"] = periods.month(year, data["month"])
        elif kind == PeriodKind.QUARTER:
            if not data.get("quarter"):
                self.add_error("quarter", _("Choose the quarter."))
                return data
            data["period"] = periods.quarter(year, data["quarter"])
        elif kind == PeriodKind.YEAR:
            data["period"] = periods.year(year)
        return data

    def chosen_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]


class DashboardForm(PeriodForm):
    """The dashboard's GET form: custom ranges too."""

    kinds = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR, PeriodKind.CUSTOM)

    start = forms.DateField(
        label=_("First day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @staticmethod
    def initial_for(regions: list[Region]) -> dict[str, Any]:
        """This month, the user's widest region."""
        today = timezone.localdate()
        return {
            "region": regions[0].code if regions else "",
            "kind": PeriodKind.MONTH,
            "year": today.year,
            "month": today.month,
            "quarter": periods.quarter_of(today),
            "start": today.replace(day=1),
            "end": today,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") != PeriodKind.CUSTOM:
            return data
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            self.add_error("start" if start is None else "end", _("Enter the first and last day."))
        elif end < start:
            self.add_error("end", _("The last day must not be before the first day."))
        elif (end - start).days >= periods.MAX_CUSTOM_DAYS:
            self.add_error("end", _("Choose a period of at most five years."))
        else:
            data["period"] = periods.Period(PeriodKind.CUSTOM, start, end)
        return data


class PublishForm(PeriodForm):
    methods = forms.MultipleChoiceField(
        label=_("How the results were obtained"),
        choices=EvaluationMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[EvaluationMethod.USER],
        help_text=_(
            "The tables come from the users' satisfaction questionnaires; describe any "
            "self-evaluation or third-party evaluation in the remarks (WX 8.1.2)."
        ),
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=REMARKS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown with the results. Do not name people."),
    )

    @staticmethod
    def initial_for(regions: list[Region]) -> dict[str, Any]:
        """Last month, the user's widest region."""
        last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        return {
            "region": regions[0].code if regions else "",
            "kind": PeriodKind.MONTH,
            "year": last_month.year,
            "month": last_month.month,
            "quarter": periods.quarter_of(last_month),
            "methods": [EvaluationMethod.USER],
        }

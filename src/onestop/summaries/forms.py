from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.regions.models import Region
from onestop.summaries import rules
from onestop.summaries.models import MEASURE_MAX, NOTE_MAX, OWNER_MAX, PROBLEM_MAX, RESULT_MAX


def _region_choices(regions: Iterable[Region]) -> list[tuple[str, str]]:
    return [(r.code, f"{r.name}（{r.code}）") for r in regions]


class _RegionYearForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"))
    year = forms.IntegerField(
        label=_("Year"),
        help_text=_(
            "A past year gives the final summary; the current year a provisional one "
            "(figures up to today), which cannot be published."
        ),
    )

    def __init__(self, *args: Any, regions: Iterable[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        region_field: forms.ChoiceField = self.fields["region"]  # type: ignore[assignment]
        region_field.choices = _region_choices(regions)
        year = self.fields["year"]
        year.widget.attrs.update(
            {"min": rules.FIRST_YEAR, "max": today.year, "inputmode": "numeric"}
        )
        if not self.is_bound:
            self.initial.setdefault("year", today.year - 1)


class SummaryRequestForm(_RegionYearForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["aria-describedby"] = "year-hint"


class PlanOpenForm(_RegionYearForm):
    """Shown on the same page as the request form: ids of its own."""

    year = forms.IntegerField(label=_("Year"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_plan_%s")
        super().__init__(*args, **kwargs)


class ItemForm(forms.Form):
    problem = forms.CharField(
        label=_("Problem found"),
        max_length=PROBLEM_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the evaluations, complaints or checks showed. Shown to the public."),
    )
    measure = forms.CharField(
        label=_("Improvement measure"),
        max_length=MEASURE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    owner = forms.CharField(
        label=_("Responsible department or person"),
        max_length=OWNER_MAX,
        help_text=_("A department or post, e.g. 计量科. Shown to the public."),
    )
    due_on = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class MoveForm(forms.Form):
    """One move of an item; the note is the re-check result for "recheck"."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=RESULT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        kwargs["prefix"] = action
        super().__init__(*args, **kwargs)
        self.action = action
        rule = next(r for r in rules.TABLE if r.action == action)
        note = self.fields["note"]
        note.required = rule.needs_note
        if action == "recheck":
            note.label = _("Re-check result")
            note.help_text = _("What the re-check found. Published on the plan's public page.")
            self.fields["rechecked_on"] = forms.DateField(
                label=_("Re-checked on"),
                initial=timezone.localdate,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        elif action == "reopen":
            note.label = _("What the re-check found")
            note.widget.attrs["maxlength"] = NOTE_MAX
        else:
            note.widget.attrs["maxlength"] = NOTE_MAX

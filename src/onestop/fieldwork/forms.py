"""Forms of the fieldwork pages. They only parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.fieldwork.models import (
    FOLLOW_UP_METHOD_LABELS,
    IssueAction,
    SampleStatus,
    SlotPurpose,
)
from onestop.fieldwork.selectors import FollowUpView, TaskView
from onestop.stations.models import Station
from onestop.workbench.forms import DateInput

_AREA = forms.Textarea(attrs={"rows": 3})
_UPLOAD_HELP = _("PDF, JPEG or PNG, at most 10 MB.")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class StationField(forms.ChoiceField):
    """A choice among the stations already loaded for the page (no query of
    its own); cleans to the Station, or None when left empty."""

    def __init__(self, stations: list[Station], *, required: bool = True) -> None:
        self.stations = {str(s.pk): s for s in stations}
        empty = _("All my stations") if not required else "—"
        super().__init__(
            label=_("Station"),
            required=required,
            choices=[("", empty), *((str(s.pk), f"{s.name}（{s.region.name}）") for s in stations)],
        )

    def clean(self, value: Any) -> Station | None:
        chosen = super().clean(value)
        return self.stations.get(str(chosen)) if chosen else None


def _station_field(stations: list[Station], *, required: bool = True) -> StationField:
    return StationField(stations, required=required)


# --- proxy tasks --------------------------------------------------------------------------


class TaskFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (TaskView.OPEN, _("To do")),
            (TaskView.DUE_SOON, _("Due soon")),
            (TaskView.OVERDUE, _("Overdue")),
            (TaskView.MINE, _("Assigned to me")),
            (TaskView.CLOSED, _("Done or cancelled")),
        ],
    )

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"] = _station_field(stations, required=False)


class TaskForm(forms.Form):
    order = forms.CharField(
        label=_("Order number"), max_length=20, help_text=_("For example DD2026112100001.")
    )
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for 3 working days from now."),
    )
    assigned_to = forms.TypedChoiceField(
        label=_("Assign to"),
        coerce=int,
        required=False,
        help_text=_("Staff of the chosen station, or service-center staff."),
    )
    note = forms.CharField(label=_("Note"), widget=_AREA, required=False, max_length=2000)

    def __init__(self, *args: Any, stations: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"] = _station_field(stations)
        self.fields["assigned_to"].choices = [  # type: ignore[attr-defined]
            ("", _("Nobody yet")),
            *((p.pk, str(p)) for p in people),
        ]
        self.order_fields(["order", "station", "title", "due_on", "assigned_to", "note"])


def _people_choices(people: list[User]) -> list[tuple[Any, str]]:
    return [("", "—"), *((p.pk, str(p)) for p in people)]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), coerce=int)

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        self.fields["assignee"].choices = _people_choices(people)  # type: ignore[attr-defined]

    def person(self) -> User:
        return self.people[self.cleaned_data["assignee"]]


class BulkAssignForm(AssignForm):
    tasks = forms.TypedMultipleChoiceField(
        label=_("Tasks"), coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: list[User], task_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, people=people, **kwargs)
        self.fields["tasks"].choices = [(pk, pk) for pk in task_ids]  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=_AREA, required=False, max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=_AREA, max_length=500)


# --- samples -------------------------------------------------------------------------------------


class SampleFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *SampleStatus.choices]
    )
    q = forms.CharField(label=_("Sample or order number"), max_length=20, required=False)

    def __init__(self, *args: Any, stations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stations is not None:
            self.fields["station"] = _station_field(stations, required=False)
            self.order_fields(["station", "status", "q"])


class SampleReceiveForm(forms.Form):
    order = forms.CharField(label=_("Order number"), max_length=20)
    description = forms.CharField(label=_("Description of the sample"), max_length=300)
    quantity = forms.CharField(label=_("Quantity"), max_length=60)
    condition = forms.CharField(label=_("Condition on receipt"), max_length=300)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_UPLOAD_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"] = _station_field(stations)
        self.order_fields(["station", "order", "description", "quantity", "condition", "photo"])


class SampleSendForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=60)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60)


class HandOutForm(forms.Form):
    code = forms.CharField(
        label=_("Pick-up code shown by the user"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}
        ),
    )


class ConfirmForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ReportForm(forms.Form):
    report = forms.FileField(
        label=_("Report"),
        help_text=_UPLOAD_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


# --- appointments --------------------------------------------------------------------------------


class BookForm(forms.Form):
    order = forms.TypedChoiceField(label=_("For my order"), coerce=int, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, orders: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].choices = [  # type: ignore[attr-defined]
            ("", _("No order")),
            *((o.pk, f"{o.number} {o.institution.name}") for o in orders),
        ]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DateInput())

    def __init__(self, *args: Any, stations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stations is not None:
            self.fields["station"] = _station_field(stations)
            self.order_fields(["station", "day"])


class SlotsGenerateForm(forms.Form):
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())
    day_starts = forms.TimeField(label=_("Each day from"), widget=TimeInput())
    day_ends = forms.TimeField(label=_("Each day until"), widget=TimeInput())
    minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=5, max_value=480)
    purpose = forms.ChoiceField(label=_("For"), choices=SlotPurpose.choices)

    def __init__(self, *args: Any, stations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stations is not None:
            self.fields["station"] = _station_field(stations)
            self.order_fields(["station"])


# --- follow-ups ----------------------------------------------------------------------------------


class FollowUpFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (FollowUpView.TODAY, _("Due today")),
            (FollowUpView.OVERDUE, _("Overdue")),
            (FollowUpView.UPCOMING, _("Upcoming")),
            (FollowUpView.DONE, _("Recorded")),
        ],
    )
    station = forms.ChoiceField(label=_("Station"), required=False)

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [  # type: ignore[attr-defined]
            ("", _("All")),
            ("center", _("Service center (no station)")),
            *((str(s.pk), s.name) for s in stations),
        ]


class FollowUpRecordForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=list(FOLLOW_UP_METHOD_LABELS.items()))
    content = forms.CharField(label=_("What was discussed"), widget=_AREA, max_length=5000)
    outcome = forms.CharField(label=_("Outcome"), widget=_AREA, max_length=2000, required=False)
    issues_found = forms.CharField(
        label=_("Issues found"), widget=_AREA, max_length=5000, required=False
    )
    issues_action = forms.ChoiceField(
        label=_("What to do about the issues"),
        choices=IssueAction.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    demand_title = forms.CharField(
        label=_("Title of the new demand"),
        max_length=100,
        required=False,
        help_text=_("Needed when the issues become a new demand."),
    )

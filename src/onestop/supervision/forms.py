"""Forms of the supervision pages. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.catalog.models import ServiceItem
from onestop.demands.forms import MultipleFileField
from onestop.institutions.models import Institution, Offering
from onestop.regions.models import Region
from onestop.stations.models import Station
from onestop.supervision import selectors
from onestop.supervision.models import (
    DUE_WORKING_DAYS_MAX,
    EVIDENCE_FILES_MAX,
    OVERDUE,
    TEXT_MAX,
    ActionStatus,
    CorrectiveAction,
    ImportantItem,
    ItemRating,
    SourceKind,
    TargetKind,
)
from onestop.workbench.forms import DateInput

_TEXTAREA = forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX})
_BLANK = [("", "---------")]


class _InstitutionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Institution) -> str:
        return obj.name


class _StationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Station) -> str:
        return obj.name


class _ItemChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ImportantItem) -> str:
        return f"{obj.item_name}（{obj.region.name}）"


class _OfferingChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Offering) -> str:
        return f"{obj.institution.name} · {obj.name}"


class _ActionChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: CorrectiveAction) -> str:
        return f"{obj.number} · {obj.target_name}"


# --- corrective actions ----------------------------------------------------------------------


class ActionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("open", _("Not closed yet")),
            (OVERDUE, _("Overdue")),
            *ActionStatus.choices,
        ],
    )
    target_kind = forms.ChoiceField(
        label=_("Addressed to"), required=False, choices=[("", _("Anyone")), *TargetKind.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class ActionForm(forms.Form):
    """A supervisor issues a corrective action (HM 5.1)."""

    target_kind = forms.ChoiceField(
        label=_("Addressed to"), choices=TargetKind.choices, widget=forms.RadioSelect
    )
    institution = _InstitutionChoice(
        label=_("Institution"), queryset=Institution.objects.none(), required=False
    )
    station = _StationChoice(label=_("Station"), queryset=Station.objects.none(), required=False)
    staff_username = forms.CharField(
        label=_("Staff member's user name"), max_length=150, required=False
    )
    source_kind = forms.ChoiceField(
        label=_("Where the problem was found"), choices=SourceKind.choices
    )
    complaint = forms.CharField(label=_("Complaint number"), max_length=20, required=False)
    rectification_case = forms.IntegerField(
        label=_("Rectification case number"), min_value=1, required=False
    )
    inspection_reference = forms.CharField(
        label=_("Inspection record number"), max_length=60, required=False
    )
    source_text = forms.CharField(label=_("Source details"), max_length=200, required=False)
    problem = forms.CharField(label=_("Problem found"), widget=_TEXTAREA, max_length=TEXT_MAX)
    requirement = forms.CharField(
        label=_("Correction required"), widget=_TEXTAREA, max_length=TEXT_MAX
    )
    due_on = forms.DateField(label=_("Correct by (date)"), required=False, widget=DateInput())
    due_working_days = forms.IntegerField(
        label=_("Or within this many working days"),
        min_value=1,
        max_value=DUE_WORKING_DAYS_MAX,
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["institution"].queryset = selectors.institutions_to_supervise(user=user)  # type: ignore[attr-defined]
        self.fields["station"].queryset = selectors.stations_to_supervise(user=user)  # type: ignore[attr-defined]

    def clean_staff_username(self) -> User | None:
        username = self.cleaned_data.get("staff_username", "")
        if not username:
            return None
        member = selectors.staff_member_by_username(username=username)
        if member is None:
            raise forms.ValidationError(_("No active account has this user name."))
        return member

    def clean_complaint(self) -> Any:
        number = self.cleaned_data.get("complaint", "")
        if not number:
            return None
        complaint = selectors.complaint_in_scope(user=self.user, number=number)
        if complaint is None:
            raise forms.ValidationError(_("No complaint with this number in your regions."))
        return complaint

    def clean_rectification_case(self) -> Any:
        pk = self.cleaned_data.get("rectification_case")
        if not pk:
            return None
        case = selectors.rectification_case_in_scope(user=self.user, pk=pk)
        if case is None:
            raise forms.ValidationError(
                _("No rectification case with this number in your regions.")
            )
        return case


class EvidenceForm(forms.Form):
    evidence = forms.CharField(label=_("What was corrected"), widget=_TEXTAREA, max_length=TEXT_MAX)
    attachments = MultipleFileField(
        label=_("Supporting files (optional)"),
        required=False,
        help_text=_("Up to %(n)s files: PDF, JPEG or PNG.") % {"n": EVIDENCE_FILES_MAX},
    )


class _MoveForm(forms.Form):
    """The three move forms share one page: each gets its own element ids."""

    move = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.move}_%s")
        super().__init__(*args, **kwargs)


class VerifyForm(_MoveForm):
    move = "verify"
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(_MoveForm):
    move = "reject"
    reason = forms.CharField(
        label=_("Why the evidence is not accepted"), widget=_TEXTAREA, max_length=TEXT_MAX
    )
    due_on = forms.DateField(label=_("New due date (optional)"), required=False, widget=DateInput())


class CancelForm(_MoveForm):
    move = "cancel"
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=_TEXTAREA, max_length=TEXT_MAX
    )


# --- important items and reviews -----------------------------------------------------------


class MarkItemForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    service_item = forms.ModelChoiceField(
        label=_("Catalog service item"), queryset=ServiceItem.objects.none(), required=False
    )
    offering = _OfferingChoice(
        label=_("Or an institution's offering"), queryset=Offering.objects.none(), required=False
    )
    note = forms.CharField(label=_("Why it is important"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.regions_to_supervise(user=user)  # type: ignore[attr-defined]
        self.fields["service_item"].queryset = selectors.service_items_to_mark()  # type: ignore[attr-defined]
        self.fields["offering"].queryset = selectors.offerings_to_mark(user=user)  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    item = _ItemChoice(label=_("Important service item"), queryset=ImportantItem.objects.none())
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    findings = forms.CharField(label=_("Findings"), widget=_TEXTAREA, max_length=TEXT_MAX)
    rating = forms.ChoiceField(
        label=_("Overall rating"), choices=ItemRating.choices, widget=forms.RadioSelect
    )
    effectiveness = forms.CharField(
        label=_("Summary of service effectiveness"), widget=_TEXTAREA, max_length=TEXT_MAX
    )
    corrective_actions = _ActionChoices(
        label=_("Linked corrective actions"),
        queryset=CorrectiveAction.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = selectors.important_items(user=user)  # type: ignore[attr-defined]
        self.fields["corrective_actions"].queryset = selectors.actions_for_staff(user=user)  # type: ignore[attr-defined]

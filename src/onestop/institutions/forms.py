"""Forms of the institution pages. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import ItemStatus, ServiceCategory, ServiceItem
from onestop.institutions import agreement, selectors
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Qualification,
    QualificationKind,
)
from onestop.institutions.services import InstitutionDetails, OfferingInput, QualificationInput
from onestop.stations.models import Station
from onestop.workbench.forms import DateInput

_TEXTAREA = forms.Textarea(attrs={"rows": 4})
_BLANK = [("", "---------")]


class InstitutionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of institution"), choices=[*_BLANK, *InstitutionKind.choices]
    )
    name = forms.CharField(
        label=_("Public name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the enterprise's registered name."),
    )
    description = forms.CharField(
        label=_("Introduction"), widget=_TEXTAREA, required=False, max_length=5000
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    service_phone = forms.CharField(label=_("Service phone"), max_length=40)
    agreement_version = forms.CharField(widget=forms.HiddenInput, required=False)
    agreement = forms.BooleanField(
        label=_("I have read and accept the onboarding agreement above"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreement_version"].initial = agreement.CURRENT.version

    def details(self) -> InstitutionDetails:
        data = self.cleaned_data
        return InstitutionDetails(
            kind=data["kind"],
            name=data.get("name", ""),
            description=data.get("description", ""),
            address=data["address"],
            service_phone=data["service_phone"],
        )


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of certificate"), choices=[*_BLANK, *QualificationKind.choices]
    )
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    scope = forms.CharField(
        label=_("Scope (parameters, products, standards)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    issuer = forms.CharField(label=_("Issued by"), max_length=100)
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput())
    scan = forms.FileField(
        label=_("Scan of the certificate (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def to_input(self) -> QualificationInput:
        data = self.cleaned_data
        return QualificationInput(
            kind=data["kind"],
            number=data["number"],
            scope=data["scope"],
            issuer=data["issuer"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            scan=data.get("scan") or None,
        )


QualificationFormSet = forms.formset_factory(
    QualificationForm, extra=2, min_num=1, validate_min=True, max_num=10, validate_max=True
)


def filled(formset: Any) -> list[QualificationForm]:
    """The formset's forms that carry a certificate (blank spare rows skipped)."""
    return [form for form in formset.forms if form.has_changed() and form.cleaned_data]


class _QualificationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Qualification) -> str:
        until = _("valid to")
        return f"{obj.get_kind_display()} {obj.number}（{until} {obj.valid_to.isoformat()}）"


class QualificationAddForm(QualificationForm):
    """A certificate added after onboarding; a renewal names the one it replaces."""

    renews = _QualificationChoice(
        label=_("This certificate renews"),
        queryset=Qualification.objects.none(),
        required=False,
        empty_label=_("none (a new certificate)"),
        help_text=_("The offerings the old certificate covered move to the renewed one."),
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["renews"].queryset = selectors.qualification_choices(institution)  # type: ignore[attr-defined]


class _CategoryChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ServiceCategory) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent else obj.name


class _StationChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Station) -> str:
        return f"{obj.name}（{obj.region.name}）"


def _categories() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.select_related("parent").order_by(
        "parent__position", "position", "code"
    )


class OfferingForm(forms.Form):
    category = _CategoryChoice(
        label=_("Service category"),
        queryset=ServiceCategory.objects.none(),
        help_text=_("Choose the most specific sub-category."),
    )
    service_item = forms.ModelChoiceField(
        label=_("Catalog service (optional)"),
        queryset=ServiceItem.objects.none(),
        required=False,
    )
    name = forms.CharField(label=_("Name of the service"), max_length=120)
    scope = forms.CharField(
        label=_("Scope: parameters, standards, methods"), widget=_TEXTAREA, max_length=5000
    )
    qualification = _QualificationChoice(
        label=_("Covering qualification"),
        queryset=Qualification.objects.none(),
        required=False,
        empty_label=_("none needed"),
    )
    price_min = forms.DecimalField(
        label=_("Price from (yuan)"), max_digits=10, decimal_places=2, required=False
    )
    price_max = forms.DecimalField(
        label=_("Price up to (yuan)"), max_digits=10, decimal_places=2, required=False
    )
    price_note = forms.CharField(
        label=_("Price note"),
        max_length=200,
        required=False,
        help_text=_("For example: charged by sample, or by the national fee standard."),
    )
    turnaround_working_days = forms.IntegerField(label=_("Turnaround (working days)"))
    online = forms.BooleanField(label=_("Offered online"), required=False)
    at_lab = forms.BooleanField(label=_("Offered at the institution"), required=False, initial=True)
    stations = _StationChoice(
        label=_("Offered at these stations"),
        queryset=Station.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()  # type: ignore[attr-defined]
        self.fields["service_item"].queryset = ServiceItem.objects.filter(  # type: ignore[attr-defined]
            status=ItemStatus.PUBLISHED
        ).order_by("name")
        self.fields["qualification"].queryset = selectors.qualification_choices(institution)  # type: ignore[attr-defined]
        self.fields["stations"].queryset = selectors.station_choices()  # type: ignore[attr-defined]

    def to_input(self) -> OfferingInput:
        data = self.cleaned_data
        return OfferingInput(
            category=data["category"],
            service_item=data.get("service_item"),
            name=data["name"],
            scope=data["scope"],
            qualification=data.get("qualification"),
            price_min=data.get("price_min"),
            price_max=data.get("price_max"),
            price_note=data.get("price_note", ""),
            turnaround_working_days=data["turnaround_working_days"],
            online=bool(data.get("online")),
            at_lab=bool(data.get("at_lab")),
            stations=list(data.get("stations") or []),
        )


def offering_initial(offering: Any) -> dict[str, Any]:
    return {
        "category": offering.category_id,
        "service_item": offering.service_item_id,
        "name": offering.name,
        "scope": offering.scope,
        "qualification": offering.qualification_id,
        "price_min": offering.price_min,
        "price_max": offering.price_max,
        "price_note": offering.price_note,
        "turnaround_working_days": offering.turnaround_working_days,
        "online": offering.online,
        "at_lab": offering.at_lab,
        "stations": [station.pk for station in offering.stations.all()],
    }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, required=False
    )


class StatusAction(forms.Form):
    ACTIONS = (
        ("suspend", _("Suspend")),
        ("reinstate", _("Reinstate")),
        ("exit", _("Mark as exited")),
    )

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason (published with the notice)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class DirectoryFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *InstitutionKind.choices],
        required=False,
    )
    region = forms.CharField(label=_("Region"), required=False, max_length=12)


class SupervisionFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in InstitutionStatus.choices if c[0] != InstitutionStatus.PENDING],
        required=False,
    )

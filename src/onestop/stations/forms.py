from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.regions.models import Region
from onestop.stations import selectors
from onestop.stations.models import HoursKind, Station, StationKind, Tier
from onestop.stations.services import HoursBlock, StationDetails


def managed_regions(user: Any) -> QuerySet[Region]:
    scope = authz.region_scope(user, authz.Perm.STATION_MANAGE)
    return scope.filter(Region.objects.order_by("path"), "")


class _ParentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Station) -> str:
        return f"{obj.name}（{obj.get_tier_display()}，{obj.region.name}）"


_TEXTAREA = forms.Textarea(attrs={"rows": 4})


class StationForm(forms.Form):
    """Create (with tier and region) or edit a station; the service decides."""

    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=StationKind.choices)
    parent = _ParentChoice(label=_("Belongs to"), queryset=Station.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    complaint_phone = forms.CharField(label=_("Complaint phone"), max_length=40, required=False)
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=40)
    organisation = forms.CharField(label=_("Organisation"), widget=_TEXTAREA, required=False)
    duties_and_rules = forms.CharField(
        label=_("Duties and rules"), widget=_TEXTAREA, required=False
    )
    services = forms.CharField(label=_("Services"), widget=_TEXTAREA, required=False)
    methods = forms.CharField(label=_("Service methods"), widget=_TEXTAREA, required=False)
    flow = forms.CharField(label=_("Service flow"), widget=_TEXTAREA, required=False)
    self_service_kiosk = forms.BooleanField(label=_("Self-service kiosk"), required=False)

    def __init__(self, *args: Any, user: Any, editing: Station | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        parents = selectors.parent_candidates()
        if editing is not None:
            del self.fields["tier"]
            del self.fields["region"]
            parents = parents.exclude(pk=editing.pk)
        else:
            self.fields["region"].queryset = managed_regions(user)  # type: ignore[attr-defined]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def details(self) -> StationDetails:
        data = self.cleaned_data
        return StationDetails(
            name=data["name"],
            kind=data["kind"],
            parent=data.get("parent"),
            address=data["address"],
            phone=data.get("phone", ""),
            complaint_phone=data.get("complaint_phone", ""),
            person_in_charge=data["person_in_charge"],
            organisation=data.get("organisation", ""),
            duties_and_rules=data.get("duties_and_rules", ""),
            services=data.get("services", ""),
            methods=data.get("methods", ""),
            flow=data.get("flow", ""),
            self_service_kiosk=bool(data.get("self_service_kiosk")),
        )


def station_initial(station: Station) -> dict[str, Any]:
    fields = [f for f in StationForm.base_fields if f not in ("tier", "region", "parent")]
    initial = {f: getattr(station, f) for f in fields}
    initial["parent"] = station.parent_id
    return initial


class HoursForm(forms.Form):
    # Blank first choices, so an untouched spare row posts nothing and is skipped.
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), choices=[("", "—"), *sorted(WEEKDAYS.items())], coerce=int
    )
    opens = forms.TimeField(label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}))
    kind = forms.ChoiceField(label=_("Kind of hours"), choices=[("", "—"), *HoursKind.choices])
    note = forms.CharField(label=_("Note"), max_length=80, required=False)

    def block(self) -> HoursBlock:
        data = self.cleaned_data
        return HoursBlock(
            weekday=data["weekday"],
            opens=data["opens"],
            closes=data["closes"],
            kind=data["kind"],
            note=data.get("note", ""),
        )


# Blank rows left empty are skipped; DELETE drops a row.
HoursFormSet = forms.formset_factory(HoursForm, extra=3, can_delete=True, max_num=42)

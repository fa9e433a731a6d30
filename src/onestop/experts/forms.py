from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import ServiceCategory
from onestop.experts import selectors
from onestop.experts.models import Availability, Expert
from onestop.experts.services import REASON_MAX, ExpertDetails

_TEXTAREA = forms.Textarea(attrs={"rows": 3})


class _RegionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class ExpertForm(forms.Form):
    """Add (with region and availability) or edit an expert; the service decides."""

    region = _RegionChoice(label=_("Region"), queryset=None)
    name = forms.CharField(label=_("Full name"), max_length=50)
    title = forms.CharField(
        label=_("Professional title"),
        max_length=60,
        help_text=_("For example 高级工程师, 正高级工程师, 副研究员."),
    )
    organisation = forms.CharField(label=_("Employer"), max_length=200)
    categories = forms.MultipleChoiceField(
        label=_("Fields of expertise"), widget=forms.CheckboxSelectMultiple
    )
    specialties = forms.CharField(label=_("Specialties"), max_length=300, widget=_TEXTAREA)
    qualifications = forms.CharField(
        label=_("Professional qualifications"),
        required=False,
        widget=_TEXTAREA,
        help_text=_("Registrations, certificates and memberships the public may see."),
    )
    availability = forms.ChoiceField(label=_("Availability"), choices=Availability.choices)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=40,
        required=False,
        help_text=_("Seen by service-center staff only."),
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"),
        max_length=254,
        required=False,
        help_text=_("Seen by service-center staff only."),
    )

    def __init__(self, *args: Any, user: Any, editing: Expert | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.managed_regions(user)  # type: ignore[attr-defined]
        self.fields["categories"].choices = selectors.category_choices()  # type: ignore[attr-defined]
        if editing is not None:
            # Availability changes on its own, more often than the rest.
            del self.fields["availability"]

    def details(self) -> ExpertDetails:
        data = self.cleaned_data
        codes = data["categories"]
        by_code = {c.code: c for c in ServiceCategory.objects.filter(code__in=codes)}
        return ExpertDetails(
            name=data["name"],
            title=data["title"],
            organisation=data["organisation"],
            categories=[by_code[code] for code in codes if code in by_code],
            specialties=data["specialties"],
            qualifications=data.get("qualifications", ""),
            contact_phone=data.get("contact_phone", ""),
            contact_email=data.get("contact_email", ""),
        )


def expert_initial(expert: Expert) -> dict[str, Any]:
    return {
        "region": expert.region_id,
        "name": expert.name,
        "title": expert.title,
        "organisation": expert.organisation,
        "categories": [c.code for c in expert.categories.all()],
        "specialties": expert.specialties,
        "qualifications": expert.qualifications,
        "contact_phone": expert.contact_phone,
        "contact_email": expert.contact_email,
    }


class AvailabilityForm(forms.Form):
    availability = forms.ChoiceField(label=_("Availability"), choices=Availability.choices)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for removal"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ManageFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Field of expertise"), required=False)
    availability = forms.ChoiceField(
        label=_("Availability"),
        required=False,
        choices=[("", _("Any availability")), *Availability.choices],
    )
    removed = forms.ChoiceField(
        label=_("Pool"),
        required=False,
        choices=[("", _("In the pool")), ("1", _("Removed from the pool"))],
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("Any field")),
            *selectors.category_choices(),
        ]

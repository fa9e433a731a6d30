from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import ServiceCategory
from onestop.experts import selectors
from onestop.experts.models import CAPACITY_MAX, CAPACITY_MIN, Availability, Channel, Expert
from onestop.experts.services import (
    CANCEL_REASON_MAX,
    DESCRIPTION_MAX,
    JOIN_INFO_MAX,
    QUESTION_MAX,
    REASON_MAX,
    TOPIC_MAX,
    ExpertDetails,
    SessionDetails,
)

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


# --- online Q&A sessions (HM 4.3.3.1) ------------------------------------------------


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class _ExpertChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.title}，{obj.region.name}）"


class SessionForm(forms.Form):
    """Schedule an online Q&A; the service decides what is allowed."""

    region = _RegionChoice(
        label=_("Organising region"),
        queryset=None,
        help_text=_("The service center that organises the session."),
    )
    expert = _ExpertChoice(label=_("Expert"), queryset=None)
    topic = forms.CharField(label=_("Topic"), max_length=TOPIC_MAX)
    description = forms.CharField(
        label=_("Session description"), required=False, max_length=DESCRIPTION_MAX, widget=_TEXTAREA
    )
    category = forms.ChoiceField(label=_("Field of expertise"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=_DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=_DateTimeInput())
    capacity = forms.IntegerField(
        label=_("Places"), min_value=CAPACITY_MIN, max_value=CAPACITY_MAX, initial=50
    )
    join_info = forms.CharField(
        label=_("How to join"),
        max_length=JOIN_INFO_MAX,
        widget=_TEXTAREA,
        help_text=_(
            "Meeting link, WeChat group or phone number. Shown only to registered "
            "users and to staff."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.managed_regions(user)  # type: ignore[attr-defined]
        self.fields["expert"].queryset = selectors.session_experts(user=user)  # type: ignore[attr-defined]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *selectors.category_choices(),
        ]

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        code = data.get("category") or ""
        return SessionDetails(
            expert=data["expert"],
            topic=data["topic"],
            description=data.get("description", ""),
            category=ServiceCategory.objects.filter(code=code).first() if code else None,
            channel=data["channel"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            capacity=data["capacity"],
            join_info=data["join_info"],
        )


class RegisterForm(forms.Form):
    question = forms.CharField(
        label=_("Your question (optional)"),
        required=False,
        max_length=QUESTION_MAX,
        widget=_TEXTAREA,
        help_text=_("Helps the expert prepare."),
    )


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=CANCEL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to everyone registered."),
    )

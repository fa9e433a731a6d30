"""Forms of the demand pages. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.accounts.selectors import user_by_mobile
from onestop.catalog.models import ServiceCategory
from onestop.demands import selectors
from onestop.demands.models import ContactMethod, DemandStatus
from onestop.demands.services import STAFF_SOURCES, FoundNeed
from onestop.enterprises.models import Enterprise
from onestop.regions.models import Region
from onestop.regions.selectors import region_choices
from onestop.stations.models import Station
from onestop.workbench.forms import DateInput

_TEXTAREA = forms.Textarea(attrs={"rows": 4})
_SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 3})
_BLANK = [("", "---------")]


class _CategoryChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: ServiceCategory) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent else obj.name


class _RegionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class _StationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Station) -> str:
        return f"{obj.name}（{obj.region.name}）"


class _StaffChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class _StaffMultipleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


def categories() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.select_related("parent").order_by(
        "parent__position", "parent__code", "position", "code"
    )


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", _MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png", "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class _NeedFields(forms.Form):
    """What is needed: shared by the user's and the staff's forms."""

    category = _CategoryChoice(
        label=_("Kind of service"),
        queryset=ServiceCategory.objects.none(),
        help_text=_("Choose the closest sub-category; the top category is fine if unsure."),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        widget=_TEXTAREA,
        max_length=5000,
        help_text=_(
            "What should be tested, calibrated, certified or advised on, how many, by when."
        ),
    )
    desired_date = forms.DateField(label=_("Wanted by"), required=False, widget=DateInput())
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_method = forms.ChoiceField(
        label=_("How to be contacted"), choices=[*_BLANK, *ContactMethod.choices]
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()  # type: ignore[attr-defined]


class PublishForm(_NeedFields):
    region = _RegionChoice(label=_("Where the service is needed"), queryset=Region.objects.none())
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("Up to 5 files: PDF, JPEG or PNG, at most 10 MB each."),
    )

    field_order = [
        "category",
        "title",
        "description",
        "region",
        "desired_date",
        "contact_name",
        "contact_method",
        "contact_phone",
        "attachments",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_choices()  # type: ignore[attr-defined]


def _enterprise_by_uscc(value: str) -> Enterprise | None:
    value = (value or "").strip().upper()
    if not value:
        return None
    enterprise = Enterprise.objects.filter(uscc=value).select_related("region").first()
    if enterprise is None:
        raise forms.ValidationError(_("No registered enterprise has this credit code."))
    return enterprise


class RegisterForm(_NeedFields):
    """Staff register a demand received by phone, at the counter, by letter or on a visit."""

    source = forms.ChoiceField(
        label=_("Received"), choices=[*_BLANK, *((s.value, s.label) for s in STAFF_SOURCES)]
    )
    enterprise_uscc = forms.CharField(
        label=_("Registered enterprise (credit code)"),
        max_length=18,
        required=False,
        help_text=_("For a registered enterprise: its unified social credit code."),
    )
    requester_mobile = forms.CharField(
        label=_("Registered user (mobile number)"),
        max_length=20,
        required=False,
        help_text=_("For a registered individual: the mobile number of the account."),
    )
    prospect_name = forms.CharField(
        label=_("Or: name of an enterprise or person not registered"),
        max_length=200,
        required=False,
    )
    region = _RegionChoice(label=_("Region"), queryset=Region.objects.none())
    station = _StationChoice(
        label=_("Responsible station"),
        queryset=Station.objects.none(),
        required=False,
        help_text=_("Leave empty for your own station, or for the service center to dispatch."),
    )
    visit = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "source",
        "enterprise_uscc",
        "requester_mobile",
        "prospect_name",
        "category",
        "title",
        "description",
        "region",
        "station",
        "desired_date",
        "contact_name",
        "contact_method",
        "contact_phone",
        "visit",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.scope_regions(user)  # type: ignore[attr-defined]
        self.fields["station"].queryset = selectors.stations_in_scope(user)  # type: ignore[attr-defined]

    def clean_enterprise_uscc(self) -> Enterprise | None:
        return _enterprise_by_uscc(self.cleaned_data.get("enterprise_uscc", ""))

    def clean_requester_mobile(self) -> User | None:
        mobile = (self.cleaned_data.get("requester_mobile") or "").strip()
        if not mobile:
            return None
        user = user_by_mobile(mobile=mobile)
        if user is None or not user.is_active:
            raise forms.ValidationError(_("No account is registered with this mobile number."))
        return user


class VisitForm(forms.Form):
    """A station's visit to an enterprise; optionally one demand found on it
    (more can be registered from the visit's page)."""

    station = _StationChoice(label=_("Station"), queryset=Station.objects.none())
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    enterprise_uscc = forms.CharField(
        label=_("Registered enterprise (credit code)"), max_length=18, required=False
    )
    prospect_name = forms.CharField(
        label=_("Or: enterprise not yet registered"), max_length=200, required=False
    )
    staff = _StaffMultipleChoice(
        label=_("Colleagues on the visit"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    needs_found = forms.CharField(label=_("Needs found"), widget=_TEXTAREA, max_length=5000)
    need_category = _CategoryChoice(
        label=_("Kind of service"), queryset=ServiceCategory.objects.none(), required=False
    )
    need_title = forms.CharField(label=_("Title"), max_length=100, required=False)
    need_description = forms.CharField(
        label=_("Description"), widget=_SHORT_TEXTAREA, max_length=5000, required=False
    )
    need_contact_name = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    need_contact_method = forms.ChoiceField(
        label=_("How to be contacted"),
        choices=[*_BLANK, *ContactMethod.choices],
        required=False,
    )
    need_contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)

    VISIT_FIELDS = (
        "station",
        "visited_on",
        "enterprise_uscc",
        "prospect_name",
        "staff",
        "needs_found",
    )
    NEED_FIELDS = (
        "need_category",
        "need_title",
        "need_description",
        "need_contact_name",
        "need_contact_method",
        "need_contact_phone",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.visit_stations(user)  # type: ignore[attr-defined]
        self.fields["staff"].queryset = selectors.assignable_staff(user)  # type: ignore[attr-defined]
        self.fields["need_category"].queryset = categories()  # type: ignore[attr-defined]

    def clean_enterprise_uscc(self) -> Enterprise | None:
        return _enterprise_by_uscc(self.cleaned_data.get("enterprise_uscc", ""))

    def visit_fields(self) -> list[Any]:
        return [self[name] for name in self.VISIT_FIELDS]

    def need_fields(self) -> list[Any]:
        return [self[name] for name in self.NEED_FIELDS]

    def need(self) -> FoundNeed | None:
        """The demand found on the visit, when its title was filled in."""
        data = self.cleaned_data
        if not data.get("need_title"):
            return None
        category = data.get("need_category")
        if category is None:
            self.add_error("need_category", _("Choose the kind of service needed."))
            return None
        return FoundNeed(
            category=category,
            title=data["need_title"],
            description=data.get("need_description", ""),
            contact_name=data.get("need_contact_name", ""),
            contact_phone=data.get("need_contact_phone", ""),
            contact_method=data.get("need_contact_method") or ContactMethod.PHONE,
        )


NEED_FIELD_NAMES = {
    "category": "need_category",
    "title": "need_title",
    "description": "need_description",
    "contact_name": "need_contact_name",
    "contact_method": "need_contact_method",
    "contact_phone": "need_contact_phone",
}


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=_SHORT_TEXTAREA, max_length=2000)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["note"].label = label


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it cannot be solved here"), widget=_SHORT_TEXTAREA, max_length=2000
    )


class ExternalForm(forms.Form):
    external_name = forms.CharField(label=_("Institution outside the platform"), max_length=200)
    external_contact = forms.CharField(label=_("Its contact (phone, address)"), max_length=200)
    note = forms.CharField(
        label=_("Note to the user"), widget=_SHORT_TEXTAREA, max_length=2000, required=False
    )


class DockingForm(forms.Form):
    project = forms.CharField(label=_("Project"), max_length=200)
    expected_start = forms.DateField(label=_("Expected start"), required=False, widget=DateInput())
    expected_end = forms.DateField(label=_("Expected end"), required=False, widget=DateInput())
    price = forms.DecimalField(
        label=_("Agreed price (yuan)"), max_digits=12, decimal_places=2, required=False
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), widget=_SHORT_TEXTAREA, max_length=500, required=False
    )


class AssignForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    station = _StationChoice(
        label=_("To the station"), queryset=Station.objects.none(), required=False
    )
    staff = _StaffChoice(
        label=_("To the staff member"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.stations_in_scope(user)  # type: ignore[attr-defined]
        self.fields["staff"].queryset = selectors.assignable_staff(user)  # type: ignore[attr-defined]
        posted = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in posted]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("station") and not data.get("staff"):
            raise forms.ValidationError(_("Choose a station or a staff member."))
        return data


CLOCK_CHOICES = [
    ("", _("Any")),
    ("new", _("In time")),
    ("at_risk", _("At risk")),
    ("breached", _("Overdue")),
]
ASSIGNED_CHOICES = [
    ("", _("Anyone")),
    ("mine", _("Mine")),
    ("nobody", _("Nobody yet")),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All open")), *DemandStatus.choices], required=False
    )
    region = _RegionChoice(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All")
    )
    station = _StationChoice(
        label=_("Station"), queryset=Station.objects.none(), required=False, empty_label=_("All")
    )
    clock = forms.ChoiceField(label=_("Deadline"), choices=CLOCK_CHOICES, required=False)
    assigned = forms.ChoiceField(label=_("Responsible"), choices=ASSIGNED_CHOICES, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.scope_regions(user)  # type: ignore[attr-defined]
        self.fields["station"].queryset = selectors.stations_in_scope(user)  # type: ignore[attr-defined]

    def to_filter(self) -> selectors.QueueFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.QueueFilter(
            status=data.get("status", ""),
            region=data.get("region"),
            station=data.get("station"),
            clock=data.get("clock", ""),
            assigned=data.get("assigned", ""),
        )


class VisitFilterForm(forms.Form):
    station = _StationChoice(
        label=_("Station"), queryset=Station.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = selectors.stations_in_scope(user)  # type: ignore[attr-defined]

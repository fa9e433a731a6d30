"""The complaint form (WX 7.4.2: institution, type, content, request), the
staff's registration form, and the forms of the moves."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.accounts.models import User
from onestop.accounts.selectors import user_by_mobile
from onestop.complaints import rules
from onestop.complaints.models import (
    CONTENT_MAX,
    REQUEST_MAX,
    ComplaintStatus,
    ComplaintType,
    Satisfaction,
    Target,
)
from onestop.complaints.selectors import QUEUE_ALL, QUEUE_OPEN
from onestop.complaints.services import MAX_ATTACHMENTS
from onestop.complaints.services.receipt import STAFF_CHANNELS
from onestop.demands.forms import MultipleFileField
from onestop.enterprises.models import Enterprise
from onestop.stations.models import Station

_TEXTAREA = {"rows": 6}
MYSELF = ""


def _with_blank(label: Any, choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    return [("", label), *choices]


class _WhatFields(forms.Form):
    """What the complaint is about and what it says: shared by both forms.

    The institution and station are plain numbers offered in a list: one
    that is not there reaches the service, which refuses and audits it."""

    target = forms.ChoiceField(
        label=_("The complaint is about"), choices=Target.choices, widget=forms.RadioSelect
    )
    institution = forms.IntegerField(label=_("Institution complained about"), required=False)
    station = forms.IntegerField(label=_("Station complained about"), required=False)
    type = forms.ChoiceField(
        label=_("Type of complaint"), choices=_with_blank(_("Choose…"), ComplaintType.choices)
    )
    content = forms.CharField(
        label=_("What happened"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("When, where, who was involved, what went wrong (at most 5000 characters)."),
    )
    request = forms.CharField(
        label=_("What the complainant asks for"),
        max_length=REQUEST_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example a refund, a corrected report, an apology (at most 2000 characters)."
        ),
    )
    anonymous_to_institution = forms.BooleanField(
        label=_("Do not tell the institution who complains"),
        required=False,
        help_text=_("The service center always knows who complains."),
    )
    attachments = MultipleFileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("Up to %(n)s files: PDF, JPEG or PNG, at most 10 MB each.")
        % {"n": MAX_ATTACHMENTS},
    )

    def __init__(
        self,
        *args: Any,
        institutions: list[tuple[int, str]],
        stations: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].widget = forms.Select(
            choices=_with_blank(_("Choose the institution…"), institutions)
        )
        self.fields["station"].widget = forms.Select(
            choices=_with_blank(_("Choose the station…"), stations)
        )


class ComplaintForm(_WhatFields):
    """A logged-in user's complaint; about one of their orders, if any."""

    order = forms.CharField(label=_("About one of my orders (optional)"), required=False)
    enterprise = forms.ChoiceField(label=_("Complain on behalf of"), required=False)

    field_order = [
        "order",
        "target",
        "institution",
        "station",
        "type",
        "content",
        "request",
        "enterprise",
        "anonymous_to_institution",
        "attachments",
    ]

    def __init__(
        self,
        *args: Any,
        orders: list[tuple[str, str]],
        enterprises: list[Enterprise],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request"].label = _("What do you ask for?")
        self.fields["anonymous_to_institution"].label = _("Do not tell the institution who I am")
        # Plain text offered in a list: a number that is not one of the user's
        # orders is "not found" (the view asks the selector).
        self.fields["order"].widget = forms.Select(
            choices=_with_blank(_("Not about an order"), orders)
        )
        self.enterprises = {str(e.pk): e for e in enterprises}
        field = self.fields["enterprise"]
        field.choices = [  # type: ignore[attr-defined]
            (MYSELF, _("Myself")),
            *((key, e.name) for key, e in self.enterprises.items()),
        ]
        if not self.enterprises:
            del self.fields["enterprise"]

    def chosen_enterprise(self) -> Enterprise | None:
        return self.enterprises.get(self.cleaned_data.get("enterprise") or "")


class RegisterForm(_WhatFields):
    """Staff register a complaint received by phone, at a station or by letter."""

    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
    )
    received_at_station = forms.ModelChoiceField(
        label=pgettext_lazy("complaint", "Received at the station"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("Not at a station"),
    )
    complainant_mobile = forms.CharField(
        label=_("Registered user (mobile number)"),
        max_length=20,
        required=False,
        help_text=_("If the complainant has an account: its mobile number."),
    )
    complainant_name = forms.CharField(
        label=_("Complainant's name"), max_length=rules.NAME_MAX, required=False
    )
    complainant_phone = forms.CharField(
        label=_("Complainant's phone"),
        max_length=20,
        required=False,
        help_text=_("Needed without an account: the outcome is sent to it."),
    )

    field_order = [
        "channel",
        "received_at_station",
        "complainant_mobile",
        "complainant_name",
        "complainant_phone",
        "target",
        "institution",
        "station",
        "type",
        "content",
        "request",
        "anonymous_to_institution",
        "attachments",
    ]

    def __init__(self, *args: Any, receiving: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at_station"].queryset = receiving  # type: ignore[attr-defined]
        self.fields["received_at_station"].label_from_instance = (  # type: ignore[attr-defined]
            lambda station: f"{station.name}（{station.region.name}）"
        )

    def clean_complainant_mobile(self) -> User | None:
        mobile = (self.cleaned_data.get("complainant_mobile") or "").strip()
        if not mobile:
            return None
        user = user_by_mobile(mobile=mobile)
        if user is None or not user.is_active:
            raise forms.ValidationError(_("No account is registered with this mobile number."))
        return user


class ActionForm(forms.Form):
    """One move: its note (reason, response, conclusion, feedback…), and the
    satisfaction (close) or the decision (conclude)."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=rules.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied is the complainant with the handling?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    upheld = forms.TypedChoiceField(
        label=_("Is the complaint upheld?"),
        choices=[("yes", _("Yes, upheld")), ("no", _("No, not upheld"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, rule: rules.Rule, party: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", rule.action)
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.party = party
        self.fields["note"].label = str(rules.note_label(rule, party))
        self.fields["note"].required = rule.needs_note
        if rule.action == "close" and party == rules.Party.COMPLAINANT:
            self.fields["satisfaction"].label = _("How satisfied are you with the handling?")
        if rule.action != "close":
            del self.fields["satisfaction"]
        if rule.action != "conclude":
            del self.fields["upheld"]

    @property
    def label(self) -> Any:
        return rules.ACTION_LABELS[self.rule.action]

    @property
    def radio_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("satisfaction", "upheld") if name in self.fields]


class QueueFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (QUEUE_OPEN, _("Open complaints")),
            (QUEUE_ALL, _("All complaints")),
            *ComplaintStatus.choices,
        ],
    )

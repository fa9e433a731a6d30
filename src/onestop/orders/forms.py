from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.enterprises.models import Enterprise
from onestop.orders import rules
from onestop.orders.models import AttachmentKind, OrderStatus
from onestop.orders.selectors import CLOCK_STATES
from onestop.stations.models import Station

MYSELF = "self"


class OrderForm(forms.Form):
    """What the user needs, who to contact, and for whom the order is."""

    description = forms.CharField(
        label=_("What do you need?"),
        help_text=_("Items, quantities, standards or parameters, when you need the result."),
        min_length=rules.DESCRIPTION_MIN,
        max_length=rules.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=rules.CONTACT_MAX)
    customer = forms.ChoiceField(label=_("Order for"), required=False)
    recommendation = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        enterprises: list[Enterprise] = (),  # type: ignore[assignment]
        individual: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.enterprises = {str(e.pk): e for e in enterprises}
        choices: list[tuple[str, Any]] = [(MYSELF, _("Myself"))] if individual else []
        choices += [(key, e.name) for key, e in self.enterprises.items()]
        field = self.fields["customer"]
        field.choices = choices  # type: ignore[attr-defined]
        field.required = bool(choices)
        if len(choices) == 1:
            field.initial = choices[0][0]
            field.widget = forms.HiddenInput()
        elif self.enterprises:
            field.initial = next(iter(self.enterprises))

    def enterprise(self) -> Enterprise | None:
        return self.enterprises.get(self.cleaned_data.get("customer") or "")


class ActionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=rules.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    price = forms.DecimalField(
        label=_("Agreed price (yuan, optional)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    def __init__(self, *args: Any, rule: rules.Rule, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", rule.action)
        super().__init__(*args, **kwargs)
        self.rule = rule
        self.fields["note"].label = str(rules.NOTE_LABELS[rule.action])
        self.fields["note"].required = rule.needs_note
        if rule.action != "accept":
            del self.fields["price"]

    @property
    def label(self) -> Any:
        return rules.ACTION_LABELS[self.rule.action]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=rules.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file is"))
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG, at most 10 MB."))

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (kind, AttachmentKind(kind).label) for kind in kinds
        ]


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the station cannot solve it"),
        max_length=rules.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProxyForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("Handled on the user's behalf by"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("Nobody (the user handles it)"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=rules.NOTE_MAX)

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]


def _status_choices(*first: tuple[str, Any]) -> list[tuple[str, Any]]:
    return [*first, *OrderStatus.choices]


class InstitutionFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_status_choices(("open", _("Open orders")), ("all", _("All orders"))),
    )


class StaffFilter(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_status_choices(("", _("All orders")), ("open", _("Open orders"))),
    )
    # A name to look for rather than a list: a province has thousands of
    # institutions. ``institution`` (an id) is what links to the queue use.
    institution_name = forms.CharField(
        label=_("Institution"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Part of the institution's name")}),
    )
    institution = forms.IntegerField(
        label=_("Institution"), required=False, min_value=1, widget=forms.HiddenInput
    )
    clock = forms.ChoiceField(
        label=_("Acceptance deadline"),
        required=False,
        choices=[
            ("", _("Any")),
            *zip(
                CLOCK_STATES,
                [_("Running"), _("At risk"), _("Overdue")],
                strict=True,
            ),
        ],
    )
    escalated = forms.BooleanField(label=_("Escalated only"), required=False)

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.evaluations.models import COMMENT_MAX, CallbackMethod, SurveyForm


class EvaluationForm(forms.Form):
    """One radio group per question of the questionnaire (its data, its wording)."""

    def __init__(
        self, *args: Any, survey: SurveyForm, parts: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        definition = survey.definition
        choices = {
            kind: [(step["value"], step["label"]) for step in definition[kind]]
            for kind in ("scale", "yes_no")
        }
        self.parts: list[tuple[str, list[str]]] = []
        for part in definition["parts"]:
            if parts and part["key"] not in parts:
                continue
            keys = []
            for question in part["questions"]:
                self.fields[question["key"]] = forms.ChoiceField(
                    label=question["text"],
                    choices=choices[question["type"]],
                    widget=forms.RadioSelect,
                )
                keys.append(question["key"])
            self.parts.append((part["title"], keys))
        self.fields["comment"] = forms.CharField(
            label=definition["comment"]["label"],
            required=False,
            widget=forms.Textarea(attrs={"rows": 5, "maxlength": COMMENT_MAX}),
        )
        signature = definition.get("signature") or {}
        if signature:
            self.fields["enterprise_name"] = forms.CharField(
                label=signature["enterprise_name"], required=False, max_length=100
            )
            self.fields["signer"] = forms.CharField(
                label=signature["signer"], required=False, max_length=50
            )
        self.answer_keys = [key for _title, keys in self.parts for key in keys]

    def part_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[key] for key in keys]) for title, keys in self.parts]


class CallbackForm(forms.Form):
    method = forms.ChoiceField(label=_("Callback method"), choices=CallbackMethod.choices)
    outcome = forms.CharField(
        label=_("Callback outcome"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    user_confirmed = forms.BooleanField(
        label=_("The user confirms the problem is dealt with (closes the case)"), required=False
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Grounds of the appeal"),
        help_text=_("What in the review is wrong, and what shows it (order records, messages …)."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": COMMENT_MAX}),
        max_length=COMMENT_MAX,
    )


class AppealDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("1", _("Uphold: the review no longer counts in the rating and statistics")),
            ("0", _("Reject: the review stands")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("Reasons for the decision"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
        max_length=COMMENT_MAX,
    )

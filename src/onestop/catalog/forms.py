"""Forms of the workbench catalog editor.

The list parts of a manual are plain textareas, one entry a line, so they
work with any browser and screen reader and without JavaScript:
materials as "name | note | template link" (note and link optional), flow
steps as one step a line.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.catalog import selectors
from onestop.catalog.models import Channel, ItemStatus, ServiceCategory, ServiceItem
from onestop.catalog.services import ItemDetails, Material

_SEPARATOR = re.compile(r"\s*[|｜]\s*")
# "1. ", "2、", "(3)" typed in front of a step: the list numbers steps itself.
_STEP_NUMBER = re.compile(r"^\s*[(（]?\d{1,2}\s*[.、．)）]\s*(?=\D)")


class LinesField(forms.CharField):
    """A textarea of one entry a line; line ends and blank lines are normalised
    (so an untouched textarea counts as unchanged)."""

    widget = forms.Textarea

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        lines = (line.strip() for line in text.splitlines())
        return "\n".join(line for line in lines if line)


def parse_materials(text: str) -> tuple[tuple[Material, ...], list[str]]:
    """Materials from the textarea, and the problems found, each quoting its line."""
    materials: list[Material] = []
    problems: list[str] = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        parts = _SEPARATOR.split(line)
        if len(parts) > 3:
            problems.append(
                gettext("“%(line)s”: use at most two “|” in a line (name | note | template link).")
                % {"line": line[:40]}
            )
            continue
        name, note, template = (*parts, "", "")[:3]
        if not name:
            problems.append(
                gettext("“%(line)s”: the material name is missing before “|”.")
                % {"line": line[:40]}
            )
            continue
        materials.append(Material(name=name, note=note, template=template))
    return tuple(materials), problems


def parse_flow(text: str) -> tuple[str, ...]:
    steps = (_STEP_NUMBER.sub("", line).strip() for line in text.splitlines())
    return tuple(step for step in steps if step)


def materials_text(materials: list[Any]) -> str:
    """The textarea form of stored materials (older entries marked ``required``)."""
    lines = []
    for material in materials:
        if not isinstance(material, dict):
            lines.append(str(material))
            continue
        note = material.get("note", "")
        if not note and material.get("required") is False:
            note = gettext("if applicable")
        parts = [material.get("name", ""), note, material.get("template", "")]
        while parts and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def flow_text(flow: list[Any]) -> str:
    return "\n".join(step.get("name", "") if isinstance(step, dict) else str(step) for step in flow)


def item_initial(item: ServiceItem) -> dict[str, Any]:
    return {
        "name": item.name,
        "summary": item.summary,
        "conditions": item.conditions,
        "materials": materials_text(item.materials),
        "flow": flow_text(item.flow),
        "time_limit_working_days": item.time_limit_working_days,
        "fees": item.fees,
        "channel": item.channel,
        "handled_by": item.handled_by,
    }


class ItemForm(forms.Form):
    """The working copy of one service's operation manual (WX 4.1.1)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    summary = forms.CharField(
        label=_("Summary"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    conditions = forms.CharField(
        label=_("Acceptance conditions"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    materials = LinesField(
        label=_("Required materials"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One material a line: name | note | template link. The note and the link "
            "are optional; a link starts with https:// or with / for a page of this site."
        ),
    )
    flow = LinesField(
        label=_("Service flow"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step a line, in order. The steps are numbered for you."),
    )
    time_limit_working_days = forms.IntegerField(
        label=_("Time limit (working days)"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Leave empty when the service is handled immediately."),
    )
    fees = forms.CharField(label=_("Fees"), max_length=200)
    channel = forms.ChoiceField(
        label=_("How to apply"), choices=Channel.choices, widget=forms.RadioSelect
    )
    handled_by = forms.CharField(label=_("Handled by"), max_length=200)

    def clean_materials(self) -> tuple[Material, ...]:
        materials, problems = parse_materials(self.cleaned_data.get("materials", ""))
        if problems:
            raise forms.ValidationError(problems)
        return materials

    def clean_flow(self) -> tuple[str, ...]:
        steps = parse_flow(self.cleaned_data.get("flow", ""))
        if not steps:
            raise forms.ValidationError(_("Describe at least one step of the service flow."))
        return steps

    def details(self) -> ItemDetails:
        data = self.cleaned_data
        return ItemDetails(
            name=data["name"],
            summary=data["summary"],
            conditions=data["conditions"],
            materials=data["materials"],
            flow=data["flow"],
            time_limit_working_days=data.get("time_limit_working_days"),
            fees=data["fees"],
            channel=data["channel"],
            handled_by=data["handled_by"],
        )


class NewItemForm(ItemForm):
    """A new draft: its sub-category first, then the manual."""

    category = forms.TypedChoiceField(label=_("Category"), coerce=int, empty_value=None)

    field_order = ["category"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tree = selectors.category_choices()
        self._categories = {child.pk: child for _top, children in tree for child in children}
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *(
                (top.name, [(child.pk, child.name) for child in children])
                for top, children in tree
                if children
            ),
        ]

    def clean_category(self) -> ServiceCategory:
        category = self._categories.get(self.cleaned_data["category"])
        if category is None:
            raise forms.ValidationError(_("Choose a sub-category of one of the twelve categories."))
        return category


class ManageFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ItemStatus.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tree = selectors.category_choices()
        self._categories: dict[str, ServiceCategory] = {}
        choices: list[tuple[str, str]] = [("", gettext("All"))]
        for top, children in tree:
            self._categories[top.code] = top
            choices.append((top.code, top.name))
            for child in children:
                self._categories[child.code] = child
                choices.append((child.code, f"　{child.name}"))
        self.fields["category"].choices = choices  # type: ignore[attr-defined]

    def clean_category(self) -> ServiceCategory | None:
        code = self.cleaned_data.get("category") or ""
        return self._categories.get(code)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail."),
    )

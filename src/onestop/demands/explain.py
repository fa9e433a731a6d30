"""The recommendation engine's score in words: a table for staff (every part
with its points) and plain sentences for the user (only what speaks for the
institution)."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PART_LABELS: dict[str, str | Promise] = {
    "category": _("Category fit"),
    "text": _("Text similarity"),
    "region": _("Region"),
    "qualification": _("Qualification"),
    "rating": _("Rating"),
    "load": _("Current load"),
    "credit": _("Credit grade"),
}
PART_ORDER = tuple(PART_LABELS)

_DETAILS: dict[str, dict[str, str | Promise]] = {
    "category": {
        "same_category": _("same category"),
        "same_top_category": _("same top category"),
        "other": _("other category"),
    },
    "region": {
        "same_district": _("same district"),
        "same_city": _("same city"),
        "same_province": _("same province"),
        "other": _("farther away"),
    },
    "qualification": {
        "valid": _("valid certificate"),
        "none": _("no certificate needed"),
    },
    "text": {"matched": _("words in common"), "none": _("no words in common")},
}


@dataclasses.dataclass(frozen=True)
class PartRow:
    name: str
    label: str
    points: float
    max: int
    detail: str


def _detail(name: str, part: dict[str, Any]) -> str:
    code = str(part.get("detail", ""))
    label = _DETAILS.get(name, {}).get(code)
    if name == "text":
        words = "、".join(part.get("words", []))
        return f"{label}：{words}" if words else str(label or "")
    if name == "rating":
        return str(
            _("%(rating)s of 5 (%(n)s ratings)") % {"rating": code, "n": part.get("count", 0)}
        )
    if name == "load":
        return str(_("%(n)s open orders") % {"n": code})
    if name == "credit":
        if code in ("", "none"):
            return str(_("not graded yet"))
        return str(_("grade %(grade)s") % {"grade": code})
    if name == "qualification" and code == "valid":
        return (
            f"{label}：{part.get('certificate', '')}（{_('valid to')} {part.get('valid_to', '')}）"
        )
    if name in ("category", "region"):
        where = part.get(name, "")
        return f"{label}（{where}）" if where else str(label or code)
    return str(label or code)


def staff_rows(explanation: dict[str, Any]) -> list[PartRow]:
    """Each part of the score, in a fixed order, for the explanation table."""
    parts = explanation.get("parts", {}) if explanation else {}
    rows = []
    for name in PART_ORDER:
        part = parts.get(name)
        if part is None:
            continue
        rows.append(
            PartRow(
                name=name,
                label=str(PART_LABELS[name]),
                points=float(part.get("points", 0)),
                max=int(part.get("max", 0)),
                detail=_detail(name, part),
            )
        )
    return rows


def plain_reasons(explanation: dict[str, Any]) -> list[str]:
    """Why this institution was recommended, in the user's words: only the
    parts that speak for it."""
    parts = explanation.get("parts", {}) if explanation else {}
    reasons: list[str] = []
    category = parts.get("category", {}).get("detail")
    if category == "same_category":
        reasons.append(str(_("It offers exactly the kind of service you asked for.")))
    elif category == "same_top_category":
        reasons.append(str(_("It offers a closely related kind of service.")))
    words = parts.get("text", {}).get("words", [])
    if words:
        reasons.append(
            str(
                _("Its service description matches what you wrote: %(words)s.")
                % {"words": "、".join(words[:5])}
            )
        )
    region = parts.get("region", {}).get("detail")
    if region in ("same_district", "same_city", "same_province"):
        reasons.append(
            str(
                {
                    "same_district": _("It is in your district or county."),
                    "same_city": _("It is in your city."),
                    "same_province": _("It is in your province."),
                }[region]
            )
        )
    qualification = parts.get("qualification", {})
    if qualification.get("detail") == "valid":
        reasons.append(
            str(
                _("It holds a valid qualification certificate for this service (until %(date)s).")
                % {"date": qualification.get("valid_to", "")}
            )
        )
    rating = parts.get("rating", {})
    if rating.get("count"):
        reasons.append(
            str(_("Users rate it %(rating)s out of 5.") % {"rating": rating.get("detail", "")})
        )
    if parts.get("credit", {}).get("detail") in ("A", "B"):
        reasons.append(
            str(_("Its credit grade is %(grade)s.") % {"grade": parts["credit"]["detail"]})
        )
    load = parts.get("load", {})
    if load.get("detail") in ("0", "1", "2"):
        reasons.append(str(_("It is not busy at the moment, so it can start soon.")))
    return reasons

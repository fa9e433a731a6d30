"""What a published version of an operation manual contains (WX 4.1.1).

Shared by the writes (publishing freezes a snapshot) and the reads (the
workbench shows whether the working copy differs from what the public sees).
"""

from __future__ import annotations

from typing import Any

from onestop.catalog.models import ServiceItem

# What a published version freezes: the manual as the public reads it.
MANUAL_FIELDS = (
    "name",
    "summary",
    "conditions",
    "materials",
    "flow",
    "time_limit_working_days",
    "fees",
    "channel",
    "handled_by",
    "clauses",
)


def snapshot(item: ServiceItem) -> dict[str, Any]:
    """The working copy as it would be published (the category is read by code)."""
    data = {name: getattr(item, name) for name in MANUAL_FIELDS}
    data["category"] = item.category.code
    return data

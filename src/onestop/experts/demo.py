"""Demo expert pool: some thirty experts of Liuzhou, Hami and Wuxi/Jiangyin
(HM 4.1.2.1), with fields, titles, organisations, a mix of availability and
well-formed but fictitious contacts (138… / 139… numbers, @example.cn).

The data is in data/demo_experts.json. Rows are written with the ORM
directly (demo data); an expert already in the pool with the same name,
organisation and region is left alone, so loading twice changes nothing.
Load the regions and the catalog first.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.db import transaction

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceCategory
from onestop.experts.models import Expert
from onestop.regions.models import Region
from onestop.search import index
from onestop.search.models import DocKind


def _data() -> list[dict[str, Any]]:
    text = resources.files("onestop.experts").joinpath("data/demo_experts.json").read_text("utf-8")
    experts: list[dict[str, Any]] = json.loads(text)["experts"]
    return experts


@transaction.atomic
def experts_demo_load(*, actor: User | None) -> None:
    """Add the demo experts that are not in the pool yet."""
    entries = _data()
    regions = {r.code: r for r in Region.objects.filter(code__in={e["region"] for e in entries})}
    present = set(
        Expert.objects.filter(active=True, name__in={e["name"] for e in entries}).values_list(
            "name", "organisation", "region__code"
        )
    )
    todo = [e for e in entries if (e["name"], e["organisation"], e["region"]) not in present]
    if not todo:
        return
    experts = [
        Expert(
            name=entry["name"],
            title=entry["title"],
            organisation=entry["organisation"],
            region=regions[entry["region"]],
            specialties=entry["specialties"],
            qualifications=entry["qualifications"],
            availability=entry["availability"],
            contact_phone=entry["phone"],
            contact_email=entry["email"],
        )
        for entry in todo
    ]
    Expert.objects.bulk_create(experts)
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    Expert.categories.through.objects.bulk_create(
        Expert.categories.through(expert_id=expert.pk, servicecategory_id=categories[code].pk)
        for expert, entry in zip(experts, todo, strict=True)
        for code in entry["categories"]
    )
    audit_record(actor=actor, action="demo.experts_load", changes={"experts": len(experts)})
    index.rebuild([DocKind.EXPERT])

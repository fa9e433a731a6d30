"""Demo directory: service institutions of Liuzhou, Hami and Wuxi/Jiangyin.

Forty-odd institutions of every kind, the drafting institutions of the three
local standards among them, each on a verified enterprise with a valid
unified social credit code, with qualifications (two expiring within 30
days, one expired), a status history (one application pending, one
institution suspended, one exited) and some 400 offerings across the twelve
catalog categories, a few of them served at the demo stations.

The data is in data/demo_institutions.json (the institutions) and
data/demo_offerings.json (the offerings they pick from, scopes citing the
standards they are carried out to). Validity dates are relative to the day
of loading, so the expiring and expired certificates stay that way.

Rows are written with the ORM directly (demo data, not user input): the
services' checks would refuse the suspended and exited institutions'
history. Loading twice changes nothing. Load the regions, the catalog and
the demo stations first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from importlib import resources
from typing import Any

from django.db import transaction
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone
from stdnum.cn import uscc

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceCategory, ServiceItem
from onestop.enterprises.models import Enterprise, EnterpriseStatus
from onestop.institutions.agreement import CURRENT as AGREEMENT
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    Offering,
    OfferingStatus,
    Qualification,
    StatusChange,
)
from onestop.regions.models import Region
from onestop.search import index
from onestop.search.models import DocKind
from onestop.stations.models import Station, StationStatus

# The USCC character set (GB 32100): digits and capitals without I, O, S, V, Z.
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Organisation codes of new enterprises start MA, of social organisations MJ;
# public institutions (12…) keep their old all-digit codes.
_ORG_PREFIX = {"91": "MA", "51": "MJ"}
REVIEW_DAYS = 4  # from application to decision: three working days and a weekend


def _data(name: str) -> Any:
    text = resources.files("onestop.institutions").joinpath(f"data/{name}").read_text("utf-8")
    return json.loads(text)


def _organisation_code(org_type: str, seed: str) -> str:
    """A GB 11714 organisation code (eight characters and a check character)."""
    digest = hashlib.sha256(seed.encode()).digest()
    prefix = _ORG_PREFIX.get(org_type)
    if prefix:
        body = prefix + "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:6])
    else:
        body = "".join(str(b % 10) for b in digest[:8])
    remainder = 11 - sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(remainder, str(remainder))


def demo_uscc(*, org_type: str, region_code: str, seed: str) -> str:
    """A valid unified social credit code (GB 32100) for a demo enterprise:
    registering authority and type (91 company, 12 public institution, 51
    social organisation), the six-digit region code, an organisation code
    derived from ``seed`` and the check character."""
    head = f"{org_type}{region_code[:6]}{_organisation_code(org_type, seed)}"
    return head + str(uscc.calc_check_digit(head))


def _city_path(region: Region) -> str:
    """'450000/450200/' for any region of Liuzhou."""
    return "/".join(region.path.split("/")[:2]) + "/"


def _yuan(amount: float, factor: float) -> Decimal:
    """A local price: the template's scaled by the city's factor, rounded the way
    price lists are (whole yuan, then fives, then hundreds)."""
    if amount == 0:
        return Decimal(0)
    scaled = amount * factor
    step = 1 if scaled < 50 else 5 if scaled < 1000 else 100
    return Decimal(max(step, round(scaled / step) * step))


def _stations(entries: Iterable[dict[str, Any]]) -> dict[str, Station]:
    names = {name for entry in entries for name in entry["stations"]}
    found = Station.objects.filter(name__in=names, status=StationStatus.ACTIVE)
    return {s.name: s for s in found.select_related("region")}


@transaction.atomic
def institutions_demo_load(*, actor: User | None) -> None:
    """Create the demo institutions that do not exist yet (keyed by their
    enterprise's USCC), with everything that belongs to them."""
    entries: list[dict[str, Any]] = _data("demo_institutions.json")["institutions"]
    templates: dict[str, dict[str, Any]] = _data("demo_offerings.json")["templates"]
    keyed = {
        demo_uscc(org_type=e["org_type"], region_code=e["region"], seed=e["name"]): e
        for e in entries
    }
    done = set(
        Institution.objects.filter(enterprise__uscc__in=keyed).values_list(
            "enterprise__uscc", flat=True
        )
    )
    todo = {code: entry for code, entry in keyed.items() if code not in done}
    if not todo:
        return
    now = timezone.now()
    today = timezone.localdate()
    regions = {r.code: r for r in Region.objects.filter(code__in={e["region"] for e in entries})}

    enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=todo)}
    new_enterprises = [
        Enterprise(
            name=entry["name"],
            uscc=code,
            legal_representative=entry["legal_representative"],
            address=entry["address"],
            region=regions[entry["region"]],
            industry=entry["industry"],
            status=EnterpriseStatus.VERIFIED,
        )
        for code, entry in todo.items()
        if code not in enterprises
    ]
    Enterprise.objects.bulk_create(new_enterprises)
    enterprises.update({e.uscc: e for e in new_enterprises})

    institutions: list[tuple[Institution, dict[str, Any]]] = []
    for code, entry in todo.items():
        applied_at = now - dt.timedelta(days=entry["applied_days_ago"])
        pending = entry["status"] == InstitutionStatus.PENDING
        institution = Institution(
            enterprise=enterprises[code],
            name=entry["name"],
            kind=entry["kind"],
            region=regions[entry["region"]],
            description=entry["description"],
            address=entry["address"],
            service_phone=entry["phone"],
            status=entry["status"],
            agreement_version=AGREEMENT.version,
            agreement_accepted_at=applied_at,
            applied_at=applied_at,
            decided_at=None if pending else applied_at + dt.timedelta(days=REVIEW_DAYS),
            rating=Decimal(entry["rating"]),
            rating_count=entry["rating_count"],
        )
        institutions.append((institution, entry))
    Institution.objects.bulk_create([i for i, _ in institutions])

    _history(institutions, actor=actor, now=now)
    qualifications = _qualifications(institutions, today=today)
    offerings = _offerings(institutions, templates, qualifications)

    audit_record(
        actor=actor,
        action="demo.institutions_load",
        changes={
            "enterprises": len(new_enterprises),
            "institutions": len(institutions),
            "qualifications": sum(len(q) for q in qualifications.values()),
            "offerings": offerings,
        },
    )
    index.rebuild([DocKind.INSTITUTION, DocKind.OFFERING])


def _history(
    institutions: list[tuple[Institution, dict[str, Any]]], *, actor: User | None, now: dt.datetime
) -> None:
    """The status changes that got each institution where it is, dated."""
    rows: list[tuple[StatusChange, dt.datetime]] = []
    for institution, entry in institutions:
        rows.append(
            (
                StatusChange(
                    institution=institution,
                    from_status="",
                    to_status=InstitutionStatus.PENDING,
                    reason=f"提交入驻申请，接受入驻协议（{AGREEMENT.version} 版）。",
                ),
                institution.applied_at,
            )
        )
        if institution.decided_at is None:
            continue
        rows.append(
            (
                StatusChange(
                    institution=institution,
                    from_status=InstitutionStatus.PENDING,
                    to_status=InstitutionStatus.ACTIVE,
                    reason="资质证书与服务范围审核通过，准予入驻。",
                    actor=actor,
                ),
                institution.decided_at,
            )
        )
        for event in entry["events"]:
            rows.append(
                (
                    StatusChange(
                        institution=institution,
                        from_status=InstitutionStatus.ACTIVE,
                        to_status=event["to"],
                        reason=event["reason"],
                        actor=actor,
                    ),
                    now - dt.timedelta(days=event["days_ago"]),
                )
            )
    StatusChange.objects.bulk_create([change for change, _ in rows])
    # ``at`` is set on insert; date each change in one UPDATE.
    StatusChange.objects.filter(pk__in=[c.pk for c, _ in rows]).update(
        at=Case(
            *[When(pk=change.pk, then=Value(at)) for change, at in rows],
            output_field=DateTimeField(),
        )
    )


def _qualifications(
    institutions: list[tuple[Institution, dict[str, Any]]], *, today: dt.date
) -> dict[int, list[Qualification]]:
    by_institution: dict[int, list[Qualification]] = {}
    for institution, entry in institutions:
        by_institution[institution.pk] = [
            Qualification(
                institution=institution,
                kind=q["kind"],
                number=q["number"],
                scope=q["scope"],
                issuer=q["issuer"],
                valid_from=today + dt.timedelta(days=q["valid"][0]),
                valid_to=today + dt.timedelta(days=q["valid"][1]),
            )
            for q in entry["qualifications"]
        ]
    Qualification.objects.bulk_create([q for qs in by_institution.values() for q in qs])
    return by_institution


def _offerings(
    institutions: list[tuple[Institution, dict[str, Any]]],
    templates: dict[str, dict[str, Any]],
    qualifications: dict[int, list[Qualification]],
) -> int:
    """Each institution's offerings from the templates it lists; those marked
    for stations are also served at the institution's stations in its city
    (skipped when the stations demo is not loaded)."""
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    item_names = {t["item"] for t in templates.values() if t["item"]}
    items = {i.name: i for i in ServiceItem.objects.filter(name__in=item_names)}
    stations = _stations(entry for _, entry in institutions)
    rows: list[Offering] = []
    served: list[tuple[Offering, list[Station]]] = []
    for institution, entry in institutions:
        city = _city_path(institution.region)
        at_stations = [
            stations[name]
            for name in entry["stations"]
            if name in stations and stations[name].region.path.startswith(city)
        ]
        own = qualifications[institution.pk]
        factor = entry["price_factor"]
        status = (
            OfferingStatus.WITHDRAWN
            if entry["status"] == InstitutionStatus.EXITED
            else OfferingStatus.PUBLISHED
        )
        for key in entry["offers"]:
            template = templates[key]
            price = template["price"]
            offering = Offering(
                institution=institution,
                category=categories[template["category"]],
                service_item=items.get(template["item"] or ""),
                name=template["name"],
                scope=template["scope"],
                qualification=next((q for q in own if q.kind == template["qualification"]), None),
                price_min=_yuan(price[0], factor) if price else None,
                price_max=_yuan(price[1], factor) if price else None,
                price_note=template["price_note"],
                turnaround_working_days=template["days"],
                online=template["online"],
                at_lab=template["at_lab"],
                status=status,
            )
            rows.append(offering)
            if template["station"] and at_stations:
                served.append((offering, at_stations))
    Offering.objects.bulk_create(rows)
    Offering.stations.through.objects.bulk_create(
        Offering.stations.through(offering_id=offering.pk, station_id=station.pk)
        for offering, places in served
        for station in places
    )
    return len(rows)

"""Phase 1: regions and catalog (bundled), the people and organisations —
individuals, enterprises with their owners and members, institutions with
their staff, qualifications and offerings, stations with their staff, the
service center and authority of every city, experts."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from onestop.accounts.models import Role, RoleAssignment, User, UserKind
from onestop.catalog.models import ServiceCategory
from onestop.catalog.services import catalog_load_bundled
from onestop.datagen import names
from onestop.datagen.context import Context, Offering, Person, Region
from onestop.enterprises.models import Enterprise, EnterpriseStatus, MemberRole, Membership
from onestop.evaluations.services import evaluations_load_forms
from onestop.evaluations.surveys import FIVE_LEVEL_CODE, HM_CODE
from onestop.experts.models import Expert
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    OfferingStatus,
    Qualification,
    QualificationKind,
)
from onestop.institutions.models import Offering as OfferingModel
from onestop.regions.models import Region as RegionModel
from onestop.regions.models import RegionLevel
from onestop.regions.services import regions_load_bundled
from onestop.stations.models import Station, StationKind, Tier


def load_reference(ctx: Context) -> None:
    regions_load_bundled()
    catalog_load_bundled()
    evaluations_load_forms()
    rows = list(RegionModel.objects.values("pk", "code", "name", "level", "parent_id", "profile"))
    by_pk = {r["pk"]: r for r in rows}

    def walk(pk: int | None, field: str) -> str | int | None:
        while pk is not None:
            row = by_pk[pk]
            if field == "profile" and row["profile"]:
                return str(row["profile"])
            if field == "city" and row["level"] == RegionLevel.CITY:
                return int(row["pk"])
            pk = row["parent_id"]
        return "" if field == "profile" else None

    for r in rows:
        city = walk(r["pk"], "city")
        ctx.regions.append(
            Region(
                r["pk"],
                r["code"],
                r["name"],
                r["level"],
                str(walk(r["pk"], "profile")),
                city if isinstance(city, int) else None,
            )
        )
    ctx.leaves = [r for r in ctx.regions if r.level == RegionLevel.DISTRICT] or ctx.regions
    ctx.categories = list(
        ServiceCategory.objects.filter(parent__isnull=False).values_list("pk", flat=True)
    )
    for model in (Institution, Station):
        ctx.content_types[model.__name__] = ContentType.objects.get_for_model(model).pk
    from onestop.evaluations.models import SurveyForm

    for code in (HM_CODE, FIVE_LEVEL_CODE):
        ctx.forms[code] = SurveyForm.objects.filter(code=code, active=True).latest("version")


def _user(
    ctx: Context, kind: str, label: str, role: str, region: Region | None, **scope: object
) -> int:
    pk = ctx.tables[User].add(
        username=ctx.username(kind, ctx.tables[User].next_pk),
        password=ctx.password,
        display_name=label,
        kind={"ind": UserKind.INDIVIDUAL, "ent": UserKind.ENTERPRISE}.get(kind, UserKind.STAFF),
        date_joined=ctx.moment(newest=ctx.scale.days * 0.9) if kind in ("ind", "ent") else ctx.now,
    )
    ctx.tables[RoleAssignment].add(
        user_id=pk, role=role, region_id=region.pk if region else None, **scope
    )
    return int(pk)


def people(ctx: Context) -> None:
    rng, scale, t = ctx.rng, ctx.scale, ctx.tables
    for _ in range(scale.individuals):
        region = rng.choice(ctx.leaves)
        pk = _user(ctx, "ind", names.person(rng), Role.INDIVIDUAL, region)
        ctx.customers.append(Person(pk, region, None, ctx.username("ind", pk)))
    for i in range(scale.enterprises):
        region = rng.choice(ctx.leaves)
        industry, suffix = rng.choice(names.INDUSTRIES)
        owner_name = names.person(rng)
        enterprise = t[Enterprise].add(
            name=names.company(rng, region.name, suffix),
            uscc=names.uscc(t[Enterprise].next_pk),
            legal_representative=owner_name,
            address=names.address(rng, region.name),
            region_id=region.pk,
            industry=industry,
            status=EnterpriseStatus.VERIFIED if i % 20 else EnterpriseStatus.PENDING,
        )
        owner = _user(ctx, "ent", owner_name, Role.ENTERPRISE, region)
        t[Membership].add(enterprise_id=enterprise, user_id=owner, role=MemberRole.OWNER)
        ctx.customers.append(Person(owner, region, enterprise, ctx.username("ent", owner)))
        if i % 10 == 0:
            member = _user(ctx, "ent", names.person(rng), Role.ENTERPRISE, region)
            t[Membership].add(enterprise_id=enterprise, user_id=member, role=MemberRole.MEMBER)
            ctx.customers.append(Person(member, region, enterprise, ctx.username("ent", member)))
    ctx.counts["enterprises"] = scale.enterprises


def institutions(ctx: Context) -> None:
    rng, scale, t = ctx.rng, ctx.scale, ctx.tables
    per = max(1, scale.offerings // max(1, scale.institutions))
    for i in range(scale.institutions):
        region = ctx.leaves[i % len(ctx.leaves)] if i < len(ctx.leaves) else rng.choice(ctx.leaves)
        kind, label = names.LAB_KINDS[i % len(names.LAB_KINDS)]
        enterprise = t[Enterprise].add(
            name=f"{region.name}{rng.choice(names.TRADE)}{label}{i}",
            uscc=names.uscc(t[Enterprise].next_pk),
            legal_representative=names.person(rng),
            address=names.address(rng, region.name),
            region_id=region.pk,
            industry="技术服务",
            status=EnterpriseStatus.VERIFIED,
        )
        applied = ctx.now - dt.timedelta(days=scale.days + rng.randint(1, 200))
        status = InstitutionStatus.ACTIVE if i % 25 else InstitutionStatus.SUSPENDED
        inst = t[Institution].add(
            enterprise_id=enterprise,
            name=f"{region.name}{label}（第{i + 1}号）",
            kind=kind,
            region_id=region.pk,
            description=f"{region.name}依法设立的{label}，提供{rng.choice(names.NEEDS)}等服务。",
            address=names.address(rng, region.name),
            service_phone=names.phone(rng),
            status=status,
            agreement_version="2026-1",
            agreement_accepted_at=applied,
            applied_at=applied,
            decided_at=applied + dt.timedelta(days=3),
        )
        ctx.institutions[inst] = region
        qual = t[Qualification].add(
            institution_id=inst,
            kind=QualificationKind.CMA,
            number=f"G{ctx.tag}{inst:09d}",
            scope=rng.choice(names.NEEDS),
            issuer="省市场监督管理局",
            valid_from=(applied - dt.timedelta(days=400)).date(),
            valid_to=(ctx.now + dt.timedelta(days=rng.randint(-20, 1500))).date(),
        )
        staff = _user(
            ctx,
            "inst",
            names.person(rng),
            Role.INSTITUTION_STAFF,
            region,
            scope_type_id=ctx.content_types["Institution"],
            scope_id=str(inst),
        )
        ctx.institution_staff[inst] = staff
        count = per if i < scale.institutions - 1 else scale.offerings - per * i
        for j in range(max(1, count)):
            need = rng.choice(names.NEEDS)
            category = rng.choice(ctx.categories)
            low = rng.randint(1, 50) * 100
            pk = t[OfferingModel].add(
                institution_id=inst,
                category_id=category,
                name=f"{need}（{j + 1}）",
                scope=f"依据国家标准开展{need}",
                qualification_id=qual,
                price_min=low,
                price_max=low + rng.randint(0, 50) * 100,
                turnaround_working_days=rng.randint(1, 15),
                online=j % 3 == 0,
                status=OfferingStatus.PUBLISHED if j % 20 else OfferingStatus.WITHDRAWN,
            )
            if status == InstitutionStatus.ACTIVE and j % 20:
                ctx.offerings.append(Offering(pk, inst, category, need))
    ctx.counts["institutions"] = scale.institutions
    ctx.counts["offerings"] = t[OfferingModel].written + len(t[OfferingModel].rows)


def stations(ctx: Context) -> None:
    rng, scale, t = ctx.rng, ctx.scale, ctx.tables
    served = set(Station.objects.filter(tier=Tier.CENTER).values_list("region_id", flat=True))
    cities = sorted({r.city_pk for r in ctx.leaves if r.city_pk} - served)
    by_pk = {r.pk: r for r in ctx.regions}
    for city_pk in cities:
        city = by_pk[city_pk]
        t[Station].add(
            region_id=city.pk,
            tier=Tier.CENTER,
            kind=StationKind.REGULATOR_OR_PARK,
            name=f"{city.name}质量基础设施一站式服务中心",
            address=names.address(rng, city.name),
            person_in_charge=names.person(rng),
            phone=names.phone(rng),
        )
    for city_pk in sorted({r.city_pk for r in ctx.leaves if r.city_pk}):
        city = by_pk[city_pk]
        ctx.center_staff[city.pk] = _user(ctx, "center", names.person(rng), Role.CENTER_STAFF, city)
        _user(ctx, "auth", names.person(rng), Role.AUTHORITY, city)
    for i in range(scale.stations):
        region = ctx.leaves[i % len(ctx.leaves)]
        pk = t[Station].add(
            region_id=region.pk,
            tier=Tier.STATION,
            kind=StationKind.REGULATOR_OR_PARK,
            name=f"{region.name}一站式服务站（{t[Station].next_pk}号）",
            address=names.address(rng, region.name),
            person_in_charge=names.person(rng),
            phone=names.phone(rng),
        )
        ctx.stations.append((pk, region))
        _user(
            ctx,
            "stn",
            names.person(rng),
            Role.STATION_STAFF,
            region,
            scope_type_id=ctx.content_types["Station"],
            scope_id=str(pk),
        )
    through = Expert.categories.through
    for _ in range(scale.experts):
        region = rng.choice(ctx.leaves)
        pk = t[Expert].add(
            name=names.person(rng),
            title=rng.choice(("高级工程师", "研究员", "教授级高工", "工程师")),
            organisation=f"{region.name}{rng.choice(names.TRADE)}研究院",
            region_id=region.pk,
            specialties=rng.choice(names.NEEDS),
        )
        t[through].add(expert_id=pk, servicecategory_id=rng.choice(ctx.categories))
    ctx.counts["stations"] = scale.stations + len(cities)
    ctx.counts["users"] = t[User].next_pk - ctx.counts.get("first user", 0)
    ctx.counts["experts"] = scale.experts

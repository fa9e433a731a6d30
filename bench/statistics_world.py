"""The world of the statistics benchmark (statistics_scale.py): one city
(Wuxi) with its users, institutions, offerings and stations, created through
the ORM, and ``insert_select``, with which statistics_data.py writes a year
of activity in it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

CITY = "320200"
DISTRICT = "320281"
N_USERS = 2000
N_INSTITUTIONS = 300
N_STATIONS = 20
DAYS = 365
N_DEMANDS = 100_000
N_COMPLAINTS = 5000


@dataclass
class World:
    """What the generated rows refer to: the people, institutions and
    stations are created through the ORM, and their keys copied to
    temporary tables (bench_user, bench_offering, bench_station) that the
    INSERT … SELECT statements join."""

    now: Any
    offerings: int
    order_type: int
    demand_type: int
    category: int
    five_level_form: int


def insert_select(model: Any, columns: dict[str, str], source: str, params: list[Any]) -> int:
    """INSERT INTO model's table (columns) SELECT … FROM source.

    ``columns`` maps column names to SQL expressions (no parameters in
    them); every other NOT NULL column gets the field's default, so a column
    another module adds later does not break the benchmark. ``params`` are
    those of ``source``.
    """
    from django.db import connection
    from django.utils import timezone

    exprs = dict(columns)
    defaults: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in exprs or field.null:
            continue
        if field.has_default():
            value = field.get_default()
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.blank:
            value = ""
        else:
            raise RuntimeError(f"{model.__name__}.{field.name}: no value and no default")
        exprs[field.column] = "%s"
        defaults.append(field.get_db_prep_save(value, connection))
    names = ", ".join(connection.ops.quote_name(c) for c in exprs)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({names}) "  # noqa: S608 - our own constants
        f"SELECT {', '.join(exprs.values())} FROM {source}"
    )
    # The expressions use the % operator; the driver wants it doubled.
    sql = sql.replace("%", "%%").replace("%%s", "%s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*defaults, *params])
        return int(cursor.rowcount)


def build_world(rng: random.Random) -> World:
    """Users living in the city's districts, institutions with two offerings
    each, stations; their keys in the temporary tables."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from onestop.accounts.models import Role, RoleAssignment, User
    from onestop.catalog.models import ServiceCategory
    from onestop.demands.models import Demand
    from onestop.enterprises.models import Enterprise, EnterpriseStatus
    from onestop.evaluations.models import SurveyForm
    from onestop.institutions.models import (
        Institution,
        InstitutionKind,
        InstitutionStatus,
        Offering,
    )
    from onestop.orders.models import Order
    from onestop.regions.models import Region, RegionLevel
    from onestop.stations.models import Station, StationKind, Tier

    now = timezone.now()
    city = Region.objects.get(code=CITY)
    leaves = list(Region.objects.filter(path__startswith=city.path).exclude(level=RegionLevel.CITY))
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench{i:05d}", display_name=f"基准用户{i}", password=unusable)
        for i in range(N_USERS)
    )
    homes = {u.pk: rng.choice(leaves) for u in users}
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.INDIVIDUAL, region=homes[u.pk]) for u in users
    )
    subs = list(ServiceCategory.objects.filter(parent__isnull=False))
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准机构{i:04d}",
            uscc=f"BENCH{i:013d}",
            legal_representative="张三",
            address="某路",
            region=rng.choice(leaves),
            industry="技术服务",
            status=EnterpriseStatus.VERIFIED,
        )
        for i in range(N_INSTITUTIONS)
    )
    institutions = Institution.objects.bulk_create(
        Institution(
            enterprise=e,
            name=f"{e.region.name}第{i:04d}号检验检测中心",
            kind=InstitutionKind.TESTING_LAB,
            region=e.region,
            address="某路",
            service_phone="0510-1234567",
            status=InstitutionStatus.ACTIVE,
            agreement_version="bench",
            agreement_accepted_at=now,
            applied_at=now,
        )
        for i, e in enumerate(enterprises)
    )
    offerings = Offering.objects.bulk_create(
        Offering(
            institution=inst,
            category=rng.choice(subs),
            name=f"基准服务{i}",
            scope="基准",
            turnaround_working_days=rng.randint(1, 15),
        )
        for i, inst in enumerate(institutions * 2)
    )
    stations = Station.objects.bulk_create(
        Station(
            region=leaves[i % len(leaves)],
            tier=Tier.STATION,
            kind=StationKind.REGULATOR_OR_PARK,
            name=f"基准服务站{i}",
            address="某路",
            person_in_charge="李四",
        )
        for i in range(N_STATIONS)
    )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_user (idx int, user_id bigint, region_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_user VALUES (%s, %s, %s)",
            [(i, u.pk, homes[u.pk].pk) for i, u in enumerate(users)],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_offering (idx int, offering_id bigint, institution_id bigint)"
        )
        cursor.executemany(
            "INSERT INTO bench_offering VALUES (%s, %s, %s)",
            [(i, o.pk, o.institution_id) for i, o in enumerate(offerings)],
        )
        cursor.execute("CREATE TEMP TABLE bench_station (idx int, station_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_station VALUES (%s, %s)", [(i, s.pk) for i, s in enumerate(stations)]
        )
    return World(
        now=now,
        offerings=len(offerings),
        order_type=ContentType.objects.get_for_model(Order).pk,
        demand_type=ContentType.objects.get_for_model(Demand).pk,
        category=subs[0].pk,
        five_level_form=SurveyForm.objects.filter(code="gbt39734-5").latest("version").pk,
    )

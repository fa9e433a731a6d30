"""What the phases of the generator share: the random source, the clock, the
pending tables and the ids made so far."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

from onestop.datagen.bulk import Tables
from onestop.datagen.scales import Scale

# Every generated account's username starts with this (the "already generated" check).
PREFIX = "gen"


@dataclasses.dataclass
class Region:
    pk: int
    code: str
    name: str
    level: str
    profile: str  # the effective profile: "HM", "LZ", "WX" or ""
    city_pk: int | None


@dataclasses.dataclass
class Person:
    pk: int
    region: Region
    enterprise_pk: int | None = None
    username: str = ""


@dataclasses.dataclass
class Offering:
    pk: int
    institution_pk: int
    category_pk: int
    name: str


@dataclasses.dataclass
class Context:
    scale: Scale
    rng: random.Random
    now: dt.datetime
    tables: Tables
    tag: str  # unique per run: usernames and codes carry it
    password: str  # one unusable password hash for every generated account
    regions: list[Region] = dataclasses.field(default_factory=list)
    leaves: list[Region] = dataclasses.field(default_factory=list)
    categories: list[int] = dataclasses.field(default_factory=list)
    customers: list[Person] = dataclasses.field(default_factory=list)
    institutions: dict[int, Region] = dataclasses.field(default_factory=dict)
    institution_staff: dict[int, int] = dataclasses.field(default_factory=dict)
    offerings: list[Offering] = dataclasses.field(default_factory=list)
    stations: list[tuple[int, Region]] = dataclasses.field(default_factory=list)
    center_staff: dict[int, int] = dataclasses.field(default_factory=dict)  # city pk → user
    content_types: dict[str, int] = dataclasses.field(default_factory=dict)
    forms: dict[str, Any] = dataclasses.field(default_factory=dict)  # code → SurveyForm
    counts: dict[str, int] = dataclasses.field(default_factory=dict)

    def moment(self, *, newest: float = 0.0) -> dt.datetime:
        """A random time in the generated period, at least ``newest`` days ago."""
        days = self.rng.uniform(newest, self.scale.days)
        return self.now - dt.timedelta(days=days)

    def username(self, kind: str, pk: int) -> str:
        return f"{PREFIX}{self.tag}-{kind}{pk}"

    def staff_for(self, region: Region) -> int | None:
        return self.center_staff.get(region.city_pk or region.pk)

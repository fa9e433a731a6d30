from django.http import HttpRequest
from ninja import Router, Schema

from onestop.regions import selectors
from onestop.regions.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    profile: str


class ErrorOut(Schema):
    code: str
    detail: str


def _out(regions: list[Region]) -> list[RegionOut]:
    profiles = selectors.region_profiles(regions)
    return [
        RegionOut(
            code=r.code,
            name=r.name,
            level=r.level,
            parent_code=r.parent.code if r.parent is not None else None,
            profile=profiles[r.code],
        )
        for r in regions
    ]


@router.get("/", response={200: list[RegionOut], 404: ErrorOut}, auth=None, summary="List regions")
def list_regions(request: HttpRequest, parent: str | None = None) -> list[RegionOut]:
    return _out(list(selectors.region_list(parent_code=parent).select_related("parent")))


@router.get(
    "/{code}",
    response={200: RegionOut, 404: ErrorOut},
    auth=None,
    summary="One region by its GB/T 2260 code",
)
def get_region(request: HttpRequest, code: str) -> RegionOut:
    return _out([selectors.region_get(code=code)])[0]

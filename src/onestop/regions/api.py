from django.http import HttpRequest
from ninja import Router, Schema

from onestop.regions import selectors

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    profile: str


def _out(region) -> RegionOut:  # type: ignore[no-untyped-def]
    return RegionOut(
        code=region.code,
        name=region.name,
        level=region.level,
        parent_code=region.parent.code if region.parent_id else None,
        profile=region.effective_profile(),
    )


@router.get("/", response=list[RegionOut], auth=None, summary="List regions")
def list_regions(request: HttpRequest, parent: str | None = None) -> list[RegionOut]:
    return [
        RegionOut(
            code=r.code,
            name=r.name,
            level=r.level,
            parent_code=r.parent.code if r.parent_id else None,
            profile=r.profile,
        )
        for r in selectors.region_list(parent_code=parent).select_related("parent")
    ]


@router.get(
    "/{code}",
    response={200: RegionOut, 404: dict},
    auth=None,
    summary="One region by its GB/T 2260 code",
)
def get_region(request: HttpRequest, code: str) -> RegionOut:
    return _out(selectors.region_get(code=code))

"""The public expert directory as JSON (registered at /api/v1/experts/).

The output schemas have no contact fields: the API shows what the public
pages show, and the public querysets do not load contacts at all. Online Q&A
sessions come without how to join: that is for registered users only.
"""

from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onestop.experts import selectors
from onestop.experts.models import Expert, QaSession
from onestop.regions import selectors as region_selectors

PAGE_SIZE = 20

router = Router(tags=["experts"])


class CategoryOut(Schema):
    code: str
    name: str


class ExpertOut(Schema):
    id: int
    name: str
    title: str
    organisation: str
    region_code: str
    region_name: str
    categories: list[CategoryOut]
    specialties: str
    qualifications: str
    availability: str
    availability_label: str


class ExpertPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[ExpertOut]


class ExpertFilters(Schema):
    category: str = ""
    region: str = ""
    page: int = Field(1, ge=1, le=100_000)


class ErrorOut(Schema):
    code: str
    detail: str


def _out(expert: Expert) -> ExpertOut:
    return ExpertOut(
        id=expert.pk,
        name=expert.name,
        title=expert.title,
        organisation=expert.organisation,
        region_code=expert.region.code,
        region_name=expert.region.name,
        categories=[CategoryOut(code=c.code, name=c.name) for c in expert.categories.all()],
        specialties=expert.specialties,
        qualifications=expert.qualifications,
        availability=expert.availability,
        availability_label=str(expert.get_availability_display()),
    )


@router.get(
    "/",
    response={200: ExpertPageOut, 404: ErrorOut},
    auth=None,
    summary="Experts in the pool (a top-level field includes its sub-fields)",
)
def list_experts(request: HttpRequest, filters: Query[ExpertFilters]) -> ExpertPageOut:
    region = region_selectors.region_get(code=filters.region) if filters.region else None
    category = selectors.category_find(code=filters.category)
    experts = selectors.experts_public(region=region, category=category)
    page = Paginator(experts, PAGE_SIZE).get_page(filters.page)
    return ExpertPageOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[_out(expert) for expert in page.object_list],
    )


class SessionOut(Schema):
    """A session as the public sees it: never how to join."""

    id: int
    topic: str
    description: str
    expert_id: int
    expert_name: str
    expert_title: str
    category_code: str
    channel: str
    channel_label: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    places_left: int
    region_code: str
    region_name: str
    status: str


class SessionPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SessionOut]


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=100_000)


def _session_out(session: QaSession) -> SessionOut:
    return SessionOut(
        id=session.pk,
        topic=session.topic,
        description=session.description,
        expert_id=session.expert_id,
        expert_name=session.expert.name,
        expert_title=session.expert.title,
        category_code=session.category.code if session.category else "",
        channel=session.channel,
        channel_label=str(session.get_channel_display()),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=session.capacity,
        places_left=session.places_left,
        region_code=session.region.code,
        region_name=session.region.name,
        status=session.status,
    )


# The session routes come before "/{expert_id}" so that "sessions" is not read as an id.
@router.get(
    "/sessions",
    response={200: SessionPageOut},
    auth=None,
    summary="Upcoming online Q&A sessions by experts of the pool (HM 4.3.3.1)",
)
def list_sessions(request: HttpRequest, filters: Query[PageQuery]) -> SessionPageOut:
    page = Paginator(selectors.sessions_upcoming(), PAGE_SIZE).get_page(filters.page)
    return SessionPageOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[_session_out(session) for session in page.object_list],
    )


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, 404: ErrorOut},
    auth=None,
    summary="One online Q&A session, without how to join",
)
def get_session(request: HttpRequest, session_id: int) -> SessionOut:
    return _session_out(selectors.session_public(session_id=session_id))


@router.get(
    "/{expert_id}",
    response={200: ExpertOut, 404: ErrorOut},
    auth=None,
    summary="One expert of the pool, without contact details",
)
def get_expert(request: HttpRequest, expert_id: int) -> ExpertOut:
    return _out(selectors.expert_public(expert_id=expert_id))

"""Orders API under /api/v1/orders/ (the lead mounts ``router``): the user's
own orders with their timeline and messages, placing an order, posting a
message and the moves the user may make (WX 5.1 d: track service progress).
The same selectors and services as the pages; another user's order is 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from onestop.core.errors import InvalidInput, NotFound
from onestop.core.idempotency import idempotent
from onestop.enterprises.models import Enterprise
from onestop.orders import rules, selectors, services
from onestop.orders.models import Order, Party
from onestop.orders.selectors import SIDE_USER, OrderPage

router = Router(tags=["orders"])

PAGE_SIZE = 20
USER_SIDE = frozenset({Party.USER})
# The moves a user makes through the API (the institution's are on its pages).
USER_ACTIONS = tuple(action for action in rules.ACTIONS if rules.may_ever(action, USER_SIDE))


class ErrorOut(Schema):
    code: str
    detail: str


class ListFilter(Schema):
    page: int = 1


class OrderSummaryOut(Schema):
    number: str
    status: str
    status_label: str
    service: str
    institution: str
    created_at: dt.datetime
    expected_completion: dt.date | None
    url: str


class OrderListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[OrderSummaryOut]


class EventOut(Schema):
    at: dt.datetime
    kind: str
    from_status: str
    to_status: str
    party: str
    actor: str | None
    note: str


class MessageOut(Schema):
    at: dt.datetime
    author: str
    body: str


class AttachmentOut(Schema):
    kind: str
    name: str
    url: str
    uploaded_at: dt.datetime


class OrderOut(OrderSummaryOut):
    description: str
    contact_name: str
    enterprise: str | None
    price: Decimal | None
    proxy_station: str | None
    acceptance_due_at: dt.datetime | None
    timeline: list[EventOut]
    messages: list[MessageOut]
    attachments: list[AttachmentOut]
    actions: list[str]


class PlaceIn(Schema):
    offering_id: int
    description: str
    contact_name: str
    enterprise_id: int | None = None
    recommendation_id: int | None = None


class MessageIn(Schema):
    body: str


class ActionIn(Schema):
    note: str = ""


def _summary(order: Order) -> dict[str, object]:
    return {
        "number": order.number,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "service": order.offering.name,
        "institution": order.institution.name,
        "created_at": order.created_at,
        "expected_completion": order.expected_completion,
        "url": order.get_absolute_url(),
    }


def _message(message: object) -> MessageOut:
    return MessageOut(
        at=message.created_at,  # type: ignore[attr-defined]
        author=str(message.author),  # type: ignore[attr-defined]
        body=message.body,  # type: ignore[attr-defined]
    )


def _detail(page: OrderPage) -> OrderOut:
    order = page.order
    return OrderOut(
        **_summary(order),  # type: ignore[arg-type]
        description=order.description,
        contact_name=order.contact_name,
        enterprise=order.enterprise.name if order.enterprise else None,
        price=order.price,
        proxy_station=order.proxy_station.name if order.proxy_station else None,
        acceptance_due_at=page.clock.due_at if page.clock else None,
        timeline=[
            EventOut(
                at=event.at,
                kind=event.kind,
                from_status=event.from_status,
                to_status=event.to_status,
                party=event.party,
                actor=str(event.actor) if event.actor else None,
                # What staff wrote when escalating stays between staff.
                note=event.note if event.kind != "escalated" else "",
            )
            for event in page.events
        ],
        messages=[_message(m) for m in page.messages],
        attachments=[
            AttachmentOut(
                kind=a.kind,
                name=a.document.original_name or str(a.document.public_id),
                url=a.document.get_absolute_url(),
                uploaded_at=a.created_at,
            )
            for a in page.attachments
        ],
        actions=[rule.action for rule in page.actions],
    )


def _page(request: HttpRequest, number: str) -> OrderPage:
    return selectors.order_page(user=request.user, number=number, side=SIDE_USER)  # type: ignore[arg-type]


@router.get("/", response={200: OrderListOut}, summary="My orders, newest first")
def order_list(request: HttpRequest, filters: Query[ListFilter]) -> OrderListOut:
    orders = selectors.orders_of_user(user=request.user)  # type: ignore[arg-type]
    page = Paginator(orders, PAGE_SIZE).get_page(filters.page)
    return OrderListOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[OrderSummaryOut(**_summary(o)) for o in page.object_list],  # type: ignore[arg-type]
    )


@router.post(
    "/",
    response={201: OrderOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Place an order for an offering (or from an accepted recommendation)",
)
@idempotent("orders.order_create")
def order_create(request: HttpRequest, data: PlaceIn) -> Status[OrderOut]:
    user = request.user
    offering = selectors.offering_for_order(offering_id=data.offering_id)
    enterprise = None
    if data.enterprise_id is not None:
        enterprise = Enterprise.objects.filter(pk=data.enterprise_id).first()
        if enterprise is None:
            raise NotFound()
    recommendation = None
    if data.recommendation_id is not None:
        recommendation = selectors.recommendation_for_user(
            user=user,  # type: ignore[arg-type]
            recommendation_id=data.recommendation_id,
        )
    order = services.order_place(
        user=user,  # type: ignore[arg-type]
        offering=offering,
        description=data.description,
        contact_name=data.contact_name,
        enterprise=enterprise,
        recommendation=recommendation,
    )
    return Status(201, _detail(_page(request, order.number)))


@router.get(
    "/{number}",
    response={200: OrderOut, 404: ErrorOut},
    summary="One of my orders: timeline, messages, files and what I can do next",
)
def order_get(request: HttpRequest, number: str) -> OrderOut:
    return _detail(_page(request, number))


@router.post(
    "/{number}/messages",
    response={201: MessageOut, 400: ErrorOut, 404: ErrorOut},
    summary="Write to the institution (and staff) on my order",
)
def message_post(request: HttpRequest, number: str, data: MessageIn) -> Status[MessageOut]:
    order = selectors.order_for_side(user=request.user, number=number, side=SIDE_USER)  # type: ignore[arg-type]
    message = services.order_message_post(
        actor=request.user,  # type: ignore[arg-type]
        order=order,
        body=data.body,
        acting_as=USER_SIDE,
    )
    return Status(201, _message(message))


@router.post(
    "/{number}/actions/{action}",
    response={200: OrderOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Cancel, confirm completion, ask for rework or resume (my side of the order)",
)
def order_action(request: HttpRequest, number: str, action: str, data: ActionIn) -> OrderOut:
    if action not in USER_ACTIONS:
        raise InvalidInput(_("Unknown action."))
    order = selectors.order_for_side(user=request.user, number=number, side=SIDE_USER)  # type: ignore[arg-type]
    services.order_act(
        actor=request.user,  # type: ignore[arg-type]
        order=order,
        action=action,
        note=data.note,
        acting_as=USER_SIDE,
    )
    return _detail(_page(request, number))

"""Reads of orders, through the reader's side of the order.

Three doors (WX App. A, HM 4.3.4.1): the user who ordered (and the other
active members of the enterprise it was ordered for) sees their orders; the
people of the institution see the orders placed with it; staff holding
Perm.ORDER_OVERSEE see every order of their regions (an order belongs to the
orderer's region). Anything else is "not found", so an order number in a URL
confirms nothing. Every read is a fixed number of queries.
"""

from onestop.orders.selectors.common import (
    COUNT_CAP,
    SIDE_INSTITUTION,
    SIDE_PARTIES,
    SIDE_STAFF,
    SIDE_USER,
    STAFF_PARTIES,
    OrderNotFound,
    acceptance_clock,
    enterprise_ids_of,
    parties_of,
    with_clock,
)
from onestop.orders.selectors.open311 import (
    MAX_NUMBERS,
    NUMBER,
    PublicRequest,
    clean_numbers,
    open311_requests,
)
from onestop.orders.selectors.pages import (
    OrderPage,
    attachment_readable_by,
    order_for_side,
    order_page,
)
from onestop.orders.selectors.sides import (
    Customer,
    customer_of,
    institution_of,
    institution_queue,
    offering_for_order,
    orders_of_user,
    recommendation_for_user,
)
from onestop.orders.selectors.staff import (
    CLOCK_STATES,
    QUEUE_COLUMNS,
    CappedPage,
    StaffFilter,
    capped_page,
    staff_queue,
)

__all__ = [
    "CLOCK_STATES",
    "COUNT_CAP",
    "MAX_NUMBERS",
    "NUMBER",
    "QUEUE_COLUMNS",
    "SIDE_INSTITUTION",
    "SIDE_PARTIES",
    "SIDE_STAFF",
    "SIDE_USER",
    "STAFF_PARTIES",
    "CappedPage",
    "Customer",
    "OrderNotFound",
    "OrderPage",
    "PublicRequest",
    "StaffFilter",
    "acceptance_clock",
    "attachment_readable_by",
    "capped_page",
    "clean_numbers",
    "customer_of",
    "enterprise_ids_of",
    "institution_of",
    "institution_queue",
    "offering_for_order",
    "open311_requests",
    "order_for_side",
    "order_page",
    "orders_of_user",
    "parties_of",
    "recommendation_for_user",
    "staff_queue",
    "with_clock",
]

"""Writes to orders (WX App. A, HM 4.3.4): placing, the moves of the state
machine in onestop.orders.rules, messages and attachments, escalation and
proxy handling. Every write is atomic, checks who acts on which side of the
order, records an OrderEvent and an audit row and tells the other side.
"""

from onestop.orders.services.common import NotOnThisOrder
from onestop.orders.services.conversation import ATTACHERS, order_attach, order_message_post
from onestop.orders.services.placing import (
    DemandNotFound,
    NotOrderable,
    VerificationRequired,
    is_orderable,
    next_number,
    order_place,
    orderable_refusal,
)
from onestop.orders.services.supervision import order_escalate, order_set_proxy
from onestop.orders.services.transitions import (
    order_accept,
    order_act,
    order_cancel,
    order_complete,
    order_decline,
    order_deliver,
    order_resume,
    order_rework,
    order_start,
    order_wait_for_user,
)

__all__ = [
    "ATTACHERS",
    "DemandNotFound",
    "NotOnThisOrder",
    "NotOrderable",
    "VerificationRequired",
    "is_orderable",
    "next_number",
    "order_accept",
    "order_act",
    "order_attach",
    "order_cancel",
    "order_complete",
    "order_decline",
    "order_deliver",
    "order_escalate",
    "order_message_post",
    "order_place",
    "order_resume",
    "order_rework",
    "order_set_proxy",
    "order_start",
    "order_wait_for_user",
    "orderable_refusal",
]

"""Writes of fieldwork: proxy tasks, samples, appointments, follow-ups.

Every function is keyword-only, checks who may act, and leaves an audit row;
other modules import them from here (onestop.fieldwork.services.X).
"""

from onestop.fieldwork.services.appointments import (
    appointment_book,
    appointment_cancel,
    may_cancel,
    slot_create,
    slot_delete,
    slots_generate,
)
from onestop.fieldwork.services.follow_ups import (
    default_due_on,
    follow_up_record,
    follow_up_schedule,
    follow_ups_due,
)
from onestop.fieldwork.services.samples import (
    sample_confirm_receipt,
    sample_hand_out,
    sample_pickup_code_resend,
    sample_receive,
    sample_reject,
    sample_report_upload,
    sample_send,
)
from onestop.fieldwork.services.tasks import (
    NotAssignable,
    can_be_assigned,
    default_due_at,
    proxy_task_assign,
    proxy_task_cancel,
    proxy_task_create,
    proxy_task_done,
    proxy_tasks_assign,
)

__all__ = [
    "NotAssignable",
    "appointment_book",
    "appointment_cancel",
    "can_be_assigned",
    "default_due_at",
    "default_due_on",
    "follow_up_record",
    "follow_up_schedule",
    "follow_ups_due",
    "may_cancel",
    "proxy_task_assign",
    "proxy_task_cancel",
    "proxy_task_create",
    "proxy_task_done",
    "proxy_tasks_assign",
    "sample_confirm_receipt",
    "sample_hand_out",
    "sample_pickup_code_resend",
    "sample_receive",
    "sample_reject",
    "sample_report_upload",
    "sample_send",
    "slot_create",
    "slot_delete",
    "slots_generate",
]

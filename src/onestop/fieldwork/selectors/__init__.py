"""Reads of fieldwork, each applying who may see what and fetching related
rows in a fixed number of queries.

Staff see what fieldwork_scope covers (their regions, narrowed to their
station when their role is scoped to one); an institution's people see the
samples and slots of their institution; a user sees their own samples and
appointments. Rows outside someone's reach are "not found", not
"forbidden", so ids in URLs reveal nothing.

The reads live in one module per area; other modules import them from here
(onestop.fieldwork.selectors.X).
"""

from onestop.fieldwork.selectors.appointments import (
    AppointmentNotFound,
    Day,
    SlotNotFound,
    appointment_for_institution,
    appointment_for_staff,
    appointment_of_user,
    appointments_of,
    by_day,
    free_slots,
    institution_day,
    institution_public,
    open_orders_of,
    slot_bookable,
    slot_for_institution,
    slot_for_staff,
    station_day,
    station_public,
)
from onestop.fieldwork.selectors.common import (
    NotAnInstitution,
    OrderNotFound,
    assignable_people,
    order_for_staff,
    own_institution,
    station_handled,
    stations_handled,
)
from onestop.fieldwork.selectors.follow_ups import (
    FollowUpNotFound,
    FollowUpView,
    follow_up_counts,
    follow_up_for_staff,
    follow_up_queue,
)
from onestop.fieldwork.selectors.samples import (
    SampleNotFound,
    sample_document_readable,
    sample_for_institution,
    sample_for_staff,
    sample_for_user,
    sample_status_counts,
    samples_for_institution,
    samples_for_staff,
    samples_of_order,
    samples_of_user,
)
from onestop.fieldwork.selectors.tasks import (
    TaskNotFound,
    TaskView,
    due_soon_limit,
    task_counts,
    task_for_staff,
    task_queue,
    tasks_for_staff,
    tasks_of_order,
)

__all__ = [
    "AppointmentNotFound",
    "Day",
    "FollowUpNotFound",
    "FollowUpView",
    "NotAnInstitution",
    "OrderNotFound",
    "SampleNotFound",
    "SlotNotFound",
    "TaskNotFound",
    "TaskView",
    "appointment_for_institution",
    "appointment_for_staff",
    "appointment_of_user",
    "appointments_of",
    "assignable_people",
    "by_day",
    "due_soon_limit",
    "follow_up_counts",
    "follow_up_for_staff",
    "follow_up_queue",
    "free_slots",
    "institution_day",
    "institution_public",
    "open_orders_of",
    "order_for_staff",
    "own_institution",
    "sample_document_readable",
    "sample_for_institution",
    "sample_for_staff",
    "sample_for_user",
    "sample_status_counts",
    "samples_for_institution",
    "samples_for_staff",
    "samples_of_order",
    "samples_of_user",
    "slot_bookable",
    "slot_for_institution",
    "slot_for_staff",
    "station_day",
    "station_handled",
    "station_public",
    "stations_handled",
    "task_counts",
    "task_for_staff",
    "task_queue",
    "tasks_for_staff",
    "tasks_of_order",
]

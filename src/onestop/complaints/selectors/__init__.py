"""Reads of complaints, through the reader's door.

Three doors (WX 7.4.2–7.4.3): the complainant sees their own complaints;
staff see the complaints of their regions (Perm.COMPLAINT_HANDLE) and those
received at their stations or registered by themselves
(Perm.COMPLAINT_REGISTER, authz.station_scope); an institution's people see
the complaints forwarded to it — without the complainant's name, phone or
account when the complaint is anonymous to the institution (the view they
get has no such fields to fill). Anything else is "not found", so a number
in a URL confirms nothing. Every read is a fixed number of queries.
"""

from onestop.complaints.selectors.common import (
    COMPLAINABLE_INSTITUTIONS,
    SIDE_COMPLAINANT,
    SIDE_INSTITUTION,
    SIDE_PARTIES,
    SIDE_STAFF,
    ComplaintNotFound,
    active_station,
    clocks_of,
    complainable_institution,
    complaints_of_enterprise,
    complaints_of_user,
    institution_options,
    investigation_responsible,
    parties_of,
    registering_stations,
    running_clock,
    station_options,
    with_clock,
)
from onestop.complaints.selectors.complainant import (
    NOTES_FOR_COMPLAINANT,
    ComplainantPage,
    complainant_page,
    complaint_of_complainant,
    my_enterprises,
    my_order,
    my_orders,
)
from onestop.complaints.selectors.institution import (
    InstitutionEvent,
    InstitutionView,
    complaint_for_institution,
    institution_of,
    institution_queue,
    institution_reads_document,
    institution_view,
)
from onestop.complaints.selectors.staff import (
    QUEUE_ALL,
    QUEUE_OPEN,
    StaffPage,
    complaint_for_staff,
    shown_phone,
    staff_page,
    staff_queue,
    staff_visible,
)

__all__ = [
    "COMPLAINABLE_INSTITUTIONS",
    "NOTES_FOR_COMPLAINANT",
    "QUEUE_ALL",
    "QUEUE_OPEN",
    "SIDE_COMPLAINANT",
    "SIDE_INSTITUTION",
    "SIDE_PARTIES",
    "SIDE_STAFF",
    "ComplainantPage",
    "ComplaintNotFound",
    "InstitutionEvent",
    "InstitutionView",
    "StaffPage",
    "active_station",
    "clocks_of",
    "complainable_institution",
    "complainant_page",
    "complaint_for_institution",
    "complaint_for_staff",
    "complaint_of_complainant",
    "complaints_of_enterprise",
    "complaints_of_user",
    "institution_of",
    "institution_options",
    "institution_queue",
    "institution_reads_document",
    "institution_view",
    "investigation_responsible",
    "my_enterprises",
    "my_order",
    "my_orders",
    "parties_of",
    "registering_stations",
    "running_clock",
    "shown_phone",
    "staff_page",
    "staff_queue",
    "staff_visible",
    "station_options",
    "with_clock",
]

"""Writes of complaints (WX 7.4.2–7.4.3, HM 5.6): receiving them and moving
them through the state table of onestop.complaints.rules."""

from onestop.complaints.services.intake import complaint_file
from onestop.complaints.services.receipt import MAX_ATTACHMENTS, ComplaintRefused
from onestop.complaints.services.registration import (
    complaint_from_follow_up,
    complaint_register,
)
from onestop.complaints.services.transitions import (
    NotOnThisComplaint,
    complaint_acknowledge,
    complaint_act,
    complaint_close,
    complaint_conclude,
    complaint_feed_back,
    complaint_forward,
    complaint_not_accept,
    complaint_reopen,
    complaint_respond,
    complaint_withdraw,
)

__all__ = [
    "MAX_ATTACHMENTS",
    "ComplaintRefused",
    "NotOnThisComplaint",
    "complaint_acknowledge",
    "complaint_act",
    "complaint_close",
    "complaint_conclude",
    "complaint_feed_back",
    "complaint_file",
    "complaint_forward",
    "complaint_from_follow_up",
    "complaint_not_accept",
    "complaint_register",
    "complaint_reopen",
    "complaint_respond",
    "complaint_withdraw",
]

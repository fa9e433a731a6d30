"""Real-name and enterprise verification, and enterprise name changes.

The review state machine (WX 7.1.1.5): an application is SUBMITTED, then the
service center APPROVES it or REJECTS it with reasons; a rejected one is
completed and resubmitted. Every transition writes an ApplicationEvent and an
audit row; each submission starts a 3-working-day SLA clock that the decision
stops; each (re)submission is a revision, so the reviewer sees what changed.
"""

from onestop.verification.services.decision import application_approve, application_reject
from onestop.verification.services.rules import (
    REVIEW_WORKING_DAYS,
    SLA_KIND,
    TRANSITIONS,
    AlreadyUnderReview,
    AlreadyVerified,
    add_one_month,
    can_decide,
    can_resubmit,
    enterprise_of,
    latest_payload,
    validate_id_number,
    validate_uscc,
)
from onestop.verification.services.submission import (
    EnterpriseDetails,
    application_submit_enterprise,
    application_submit_individual,
    application_submit_name_change,
)

__all__ = [
    "REVIEW_WORKING_DAYS",
    "SLA_KIND",
    "TRANSITIONS",
    "AlreadyUnderReview",
    "AlreadyVerified",
    "EnterpriseDetails",
    "add_one_month",
    "application_approve",
    "application_reject",
    "application_submit_enterprise",
    "application_submit_individual",
    "application_submit_name_change",
    "can_decide",
    "can_resubmit",
    "enterprise_of",
    "latest_payload",
    "validate_id_number",
    "validate_uscc",
]

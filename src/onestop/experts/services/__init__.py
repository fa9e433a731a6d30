"""Writes to the expert pool (HM 4.1.2.1, LZ 6.2.3).

The service center keeps the pool: every write checks Perm.EXPERT_MANAGE
over the expert's region, leaves an audit row and refreshes the expert's
search document after commit. Contacts are personal data: the audit trail
keeps them masked, the public never sees them.

Online Q&A sessions (HM 4.3.3.1) are scheduled and cancelled by the same
staff; any logged-in user may take a place while places are left.

The pool is in pool, the sessions in sessions; other modules import them
from here (onestop.experts.services.X).
"""

from onestop.experts.services.pool import (
    NAME_MAX,
    NAME_MIN,
    REASON_MAX,
    ExpertDetails,
    expert_create,
    expert_remove,
    expert_set_availability,
    expert_update,
    normalise_phone,
)
from onestop.experts.services.sessions import (
    CANCEL_REASON_MAX,
    DESCRIPTION_MAX,
    JOIN_INFO_MAX,
    QUESTION_MAX,
    TOPIC_MAX,
    SessionDetails,
    qa_register,
    qa_session_cancel,
    qa_session_create,
    qa_unregister,
)

__all__ = [
    "CANCEL_REASON_MAX",
    "DESCRIPTION_MAX",
    "JOIN_INFO_MAX",
    "NAME_MAX",
    "NAME_MIN",
    "QUESTION_MAX",
    "REASON_MAX",
    "TOPIC_MAX",
    "ExpertDetails",
    "SessionDetails",
    "expert_create",
    "expert_remove",
    "expert_set_availability",
    "expert_update",
    "normalise_phone",
    "qa_register",
    "qa_session_cancel",
    "qa_session_create",
    "qa_unregister",
]

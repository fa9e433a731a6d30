"""Writes of supervision (HM 5.1, HM 5.4, WX 7.4.1): corrective actions and
their state machine, important service items and their reviews, and the
recomputation of credit grades. Every write is atomic, checks the actor's
permission through onestop.accounts.authz and is audited."""

from onestop.supervision.services.actions import (
    NotTheTarget,
    corrective_action_cancel,
    corrective_action_reject_evidence,
    corrective_action_submit_evidence,
    corrective_action_verify,
)
from onestop.supervision.services.common import target_people
from onestop.supervision.services.credit import credit_grades_refresh, credit_inputs
from onestop.supervision.services.issuing import (
    ActionInput,
    corrective_action_issue,
    due_date_from,
)
from onestop.supervision.services.reviews import (
    ReviewInput,
    important_item_mark,
    important_item_unmark,
    item_review_record,
)

__all__ = [
    "ActionInput",
    "NotTheTarget",
    "ReviewInput",
    "corrective_action_cancel",
    "corrective_action_issue",
    "corrective_action_reject_evidence",
    "corrective_action_submit_evidence",
    "corrective_action_verify",
    "credit_grades_refresh",
    "credit_inputs",
    "due_date_from",
    "important_item_mark",
    "important_item_unmark",
    "item_review_record",
    "target_people",
]

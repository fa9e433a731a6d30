"""Service quality supervision (HM 5.1, HM 5.4, LZ 6.5.3, WX 7.4.1).

* ``CorrectiveAction`` (整改): a violation found by supervision, addressed to
  exactly one target (an institution, a station or a staff member), with the
  requirement and a due date. The target submits evidence, the supervisor
  verifies it or sends it back; staff may cancel with a reason. "Overdue" is
  not a state but a view: not closed and the due date has passed. The state
  table lives in onestop.supervision.rules; every move writes an
  ``ActionEvent``.
* ``ImportantItem`` / ``ItemReview`` (HM 5.4): the service items a region
  marks as important are reviewed regularly (findings, a rating, the
  effectiveness summary, linked corrective actions).
* ``CreditGrade``: an institution's credit grade A–E, recomputed from
  evaluations, complaints, clocks, qualifications and corrective actions
  (onestop.supervision.credit explains the formula).

Rows change only through onestop.supervision.services.
"""

from onestop.supervision.models.actions import (
    AWAITING_TARGET,
    DUE_DAYS_MAX,
    DUE_WORKING_DAYS_MAX,
    EVIDENCE_FILES_MAX,
    NUMBER_PREFIX,
    OPEN_STATUSES,
    OVERDUE,
    TEXT_MAX,
    ActionDocument,
    ActionEvent,
    ActionStatus,
    CorrectiveAction,
    SourceKind,
    TargetKind,
)
from onestop.supervision.models.credit import CreditGrade, Grade
from onestop.supervision.models.reviews import ImportantItem, ItemRating, ItemReview

__all__ = [
    "AWAITING_TARGET",
    "DUE_DAYS_MAX",
    "DUE_WORKING_DAYS_MAX",
    "EVIDENCE_FILES_MAX",
    "NUMBER_PREFIX",
    "OPEN_STATUSES",
    "OVERDUE",
    "TEXT_MAX",
    "ActionDocument",
    "ActionEvent",
    "ActionStatus",
    "CorrectiveAction",
    "CreditGrade",
    "Grade",
    "ImportantItem",
    "ItemRating",
    "ItemReview",
    "SourceKind",
    "TargetKind",
]

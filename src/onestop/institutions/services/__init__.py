"""Writes to institutions, their qualifications and offerings (WX 7.1.2).

The onboarding state machine (``TRANSITIONS`` in rules): a verified
enterprise's owner applies (PENDING); the service center approves (ACTIVE) or
rejects (REJECTED) within 3 working days; an active institution can be
suspended (SUSPENDED) and reinstated, and can exit (EXITED); a rejected or
exited one may apply again. Every transition writes a StatusChange row with
its reason (the public notice), an audit row, a notification to the
institution's people, and refreshes the search index after commit.
"""

from onestop.institutions.services.offerings import (
    offering_create,
    offering_publish,
    offering_update,
    offering_withdraw,
    require_active,
)
from onestop.institutions.services.onboarding import (
    apply_refusal,
    check_can_apply,
    institution_apply,
    institution_approve,
    institution_exit,
    institution_reinstate,
    institution_reject,
    institution_suspend,
)
from onestop.institutions.services.qualifications import (
    qualification_add,
    qualifications_warn_expiring,
    require_onboarded,
)
from onestop.institutions.services.rules import (
    EXPIRY_WARNING_DAYS,
    REVIEW_WORKING_DAYS,
    SLA_KIND,
    TRANSITIONS,
    FieldError,
    InstitutionDetails,
    NotEnterpriseOwner,
    NotInstitutionMember,
    OfferingInput,
    QualificationError,
    QualificationInput,
    can_decide,
    can_exit,
    can_reinstate,
    can_suspend,
    can_transition,
)

__all__ = [
    "EXPIRY_WARNING_DAYS",
    "REVIEW_WORKING_DAYS",
    "SLA_KIND",
    "TRANSITIONS",
    "FieldError",
    "InstitutionDetails",
    "NotEnterpriseOwner",
    "NotInstitutionMember",
    "OfferingInput",
    "QualificationError",
    "QualificationInput",
    "apply_refusal",
    "can_decide",
    "can_exit",
    "can_reinstate",
    "can_suspend",
    "can_transition",
    "check_can_apply",
    "institution_apply",
    "institution_approve",
    "institution_exit",
    "institution_reinstate",
    "institution_reject",
    "institution_suspend",
    "offering_create",
    "offering_publish",
    "offering_update",
    "offering_withdraw",
    "qualification_add",
    "qualifications_warn_expiring",
    "require_active",
    "require_onboarded",
]

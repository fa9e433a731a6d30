"""Writes of evaluations (WX 7.3, HM 5.2): questionnaires, invitations, the
one submission, ratings, rectification cases of bad reviews and appeals."""

from onestop.evaluations.services.appeals import appeal_decide, appeal_lodge
from onestop.evaluations.services.cases import open_case, rectification_callback_record
from onestop.evaluations.services.forms import (
    evaluations_load_forms,
    form_for_consultation,
    form_for_order,
)
from onestop.evaluations.services.links import (
    MAX_AGE,
    SALT,
    LinkGone,
    LinkInvalid,
    consultation_invite,
    evaluation_invite,
    invitation_open,
    invitation_token,
    invitation_url,
)
from onestop.evaluations.services.submission import (
    check_answers,
    evaluation_submit,
    rating_recompute,
    score_and_bad,
)

__all__ = [
    "MAX_AGE",
    "SALT",
    "LinkGone",
    "LinkInvalid",
    "appeal_decide",
    "appeal_lodge",
    "check_answers",
    "consultation_invite",
    "evaluation_invite",
    "evaluation_submit",
    "evaluations_load_forms",
    "form_for_consultation",
    "form_for_order",
    "invitation_open",
    "invitation_token",
    "invitation_url",
    "open_case",
    "rating_recompute",
    "rectification_callback_record",
    "score_and_bad",
]

"""The corrective-action moves after issuing (HM 5.1, WX 7.4.1; the table is
onestop.supervision.rules): the target's evidence, the supervisor's
verification, rejection and cancellation. Each move locks the row, checks
the state, writes an ActionEvent and an audit row, and tells the other side
(notices go out after commit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.core.errors import InvalidInput, PermissionDeniedError
from onestop.documents.models import DocumentKind
from onestop.documents.services import document_store
from onestop.notifications.services import notify
from onestop.supervision import selectors
from onestop.supervision.models import (
    EVIDENCE_FILES_MAX,
    ActionDocument,
    ActionStatus,
    CorrectiveAction,
)
from onestop.supervision.services.common import (
    audit,
    check_move,
    clean_text,
    lock,
    record,
    tell_target,
)

# Issuing lives in services.issuing; ActionInput and corrective_action_issue
# are also importable from here (the package, onestop.supervision.services,
# is the usual door).
from onestop.supervision.services.issuing import (
    ActionInput,
    corrective_action_issue,
    due_date_from,
)

__all__ = [
    "ActionInput",
    "NotTheTarget",
    "corrective_action_cancel",
    "corrective_action_issue",
    "corrective_action_reject_evidence",
    "corrective_action_submit_evidence",
    "corrective_action_verify",
]


class NotTheTarget(PermissionDeniedError):
    code = "not_the_target"
    default_message = _("Only the party this corrective action is addressed to can do this.")


# --- the target's evidence --------------------------------------------------------------


@transaction.atomic
def corrective_action_submit_evidence(
    *,
    actor: User,
    action: CorrectiveAction,
    evidence: str,
    uploads: Sequence[UploadedFile[bytes]] = (),
) -> CorrectiveAction:
    """The target states what was corrected, with files (checked and kept
    privately); the issuer is told. Also the resubmission after a rejection."""
    action = lock(action)
    if not selectors.is_target(actor, action):
        raise NotTheTarget()
    check_move(action, "submit")
    text = clean_text(evidence, field="evidence", label=str(_("evidence of correction")))
    if len(uploads) > EVIDENCE_FILES_MAX:
        raise InvalidInput(_("At most %(n)s files at a time."), field="files", n=EVIDENCE_FILES_MAX)
    before = action.status
    action.status = ActionStatus.EVIDENCE_SUBMITTED
    action.evidence = text
    action.evidence_submitted_at = timezone.now()
    action.save(update_fields=["status", "evidence", "evidence_submitted_at", "updated_at"])
    event = record(action, actor=actor, from_status=before, note=text)
    for upload in uploads:
        document = document_store(
            owner=actor, kind=DocumentKind.OTHER, upload=upload, region=action.region, actor=actor
        )
        ActionDocument.objects.create(
            action=action, event=event, document=document, uploaded_by=actor
        )
    audit(actor, "action_evidence", action, files=len(uploads))
    notify(
        recipients=[action.issued_by],
        kind="supervision.evidence_submitted",
        title=str(
            _("Evidence submitted for corrective action %(number)s") % {"number": action.number}
        ),
        body=text[:200],
        url=action.staff_url,
    )
    return action


# --- the supervisor's decisions ---------------------------------------------------------


def _supervisor_lock(actor: User, action: CorrectiveAction) -> CorrectiveAction:
    action = lock(action)
    authz.require(actor, Perm.SUPERVISE, action.region)
    return action


@transaction.atomic
def corrective_action_verify(
    *, actor: User, action: CorrectiveAction, note: str = ""
) -> CorrectiveAction:
    """The supervisor accepts the evidence: the action is closed."""
    action = _supervisor_lock(actor, action)
    check_move(action, "verify")
    note = clean_text(note, field="note", label=str(_("note")), required=False)
    before = action.status
    action.status = ActionStatus.VERIFIED
    action.closed_at = timezone.now()
    action.closed_by = actor
    action.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    record(action, actor=actor, from_status=before, note=note)
    audit(actor, "action_verify", action)
    tell_target(
        action,
        kind="supervision.action_verified",
        title=str(
            _("Corrective action %(number)s is verified and closed") % {"number": action.number}
        ),
    )
    return action


@transaction.atomic
def corrective_action_reject_evidence(
    *,
    actor: User,
    action: CorrectiveAction,
    reason: str,
    due_on: dt.date | None = None,
) -> CorrectiveAction:
    """The supervisor sends the evidence back with the reason (the target
    resubmits), optionally with a new due date."""
    action = _supervisor_lock(actor, action)
    check_move(action, "reject")
    reason = clean_text(reason, field="reason", label=str(_("reason")))
    fields = ["status", "updated_at"]
    if due_on is not None:
        action.due_on = due_date_from(due_on=due_on, due_working_days=None)
        fields.append("due_on")
    before = action.status
    action.status = ActionStatus.REJECTED_EVIDENCE
    action.save(update_fields=fields)
    record(action, actor=actor, from_status=before, note=reason)
    audit(actor, "action_reject", action, reason=reason, due_on=action.due_on.isoformat())
    tell_target(
        action,
        kind="supervision.evidence_rejected",
        title=str(
            _("Evidence for corrective action %(number)s was not accepted; correct by %(date)s")
            % {"number": action.number, "date": action.due_on.isoformat()}
        ),
        body=reason[:200],
    )
    return action


@transaction.atomic
def corrective_action_cancel(
    *, actor: User, action: CorrectiveAction, reason: str
) -> CorrectiveAction:
    """The supervisor withdraws an open action (issued by mistake, the
    finding overturned), with the reason the target reads."""
    action = _supervisor_lock(actor, action)
    check_move(action, "cancel")
    reason = clean_text(reason, field="reason", label=str(_("reason")))
    before = action.status
    action.status = ActionStatus.CANCELLED
    action.closed_at = timezone.now()
    action.closed_by = actor
    action.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    record(action, actor=actor, from_status=before, note=reason)
    audit(actor, "action_cancel", action, reason=reason)
    tell_target(
        action,
        kind="supervision.action_cancelled",
        title=str(_("Corrective action %(number)s was cancelled") % {"number": action.number}),
        body=reason[:200],
    )
    return action

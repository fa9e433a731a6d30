"""Reads of verification applications: the applicant's own, and the review queue."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.core import crypto
from onestop.core.errors import NotFound
from onestop.core.models import SlaClock
from onestop.verification.models import (
    Application,
    ApplicationEvent,
    ApplicationRevision,
    ApplicationStatus,
)
from onestop.verification.services import SLA_KIND

FIELD_LABELS: dict[str, str | Promise] = {
    "real_name": _("Real name"),
    "id_number": _("ID number"),
    "name": _("Enterprise name"),
    "uscc": _("Unified social credit code"),
    "legal_representative": _("Legal representative"),
    "address": _("Address"),
    "region": _("Region code"),
    "industry": _("Industry"),
    "old_name": _("Current name"),
    "new_name": _("New name"),
    "changed_on": _("Date of the change"),
}
_MASKS = {"id_number": crypto.mask_id_number, "real_name": crypto.mask_name}


def _with_clock(applications: QuerySet[Application]) -> QuerySet[Application]:
    clocks = SlaClock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application),
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
        kind=SLA_KIND,
        stopped_at__isnull=True,
    )
    return applications.annotate(
        due_at=Subquery(clocks.values("due_at")[:1]),
        at_risk_at=Subquery(clocks.values("at_risk_at")[:1]),
    )


def review_queue(*, user: User) -> QuerySet[Application]:
    """Applications under review in the reviewer's regions, soonest deadline first."""
    scope = authz.region_scope(user, authz.Perm.VERIFICATION_REVIEW)
    applications = scope.filter(
        Application.objects.filter(status=ApplicationStatus.SUBMITTED).select_related(
            "applicant", "enterprise", "region"
        ),
        "region",
    )
    # due_at is the annotation added by _with_clock (the plugin cannot see it).
    return _with_clock(applications).order_by("due_at", "submitted_at")  # type: ignore[misc]


def application_for_reviewer(*, user: User, application_id: int) -> Application:
    scope = authz.region_scope(user, authz.Perm.VERIFICATION_REVIEW)
    application = (
        scope.filter(_with_clock(_detailed(Application.objects.all())), "region")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


def applications_of(*, user: User) -> QuerySet[Application]:
    return _detailed(Application.objects.filter(applicant=user)).order_by("-submitted_at")


def application_for_applicant(*, user: User, application_id: int) -> Application:
    application = applications_of(user=user).filter(pk=application_id).first()
    if application is None:
        raise NotFound()
    return application


def _detailed(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("applicant", "enterprise", "region").prefetch_related(
        Prefetch(
            "revisions",
            queryset=ApplicationRevision.objects.prefetch_related("documents").order_by("number"),
        ),
        Prefetch(
            "events", queryset=ApplicationEvent.objects.select_related("actor").order_by("id")
        ),
    )


@dataclass(frozen=True)
class FieldRow:
    key: str
    label: str | Promise
    value: str
    previous: str | None  # the value in the revision before, when it changed

    @property
    def changed(self) -> bool:
        return self.previous is not None


def _payload(revision: ApplicationRevision | None) -> dict[str, Any]:
    return json.loads(revision.payload) if revision is not None else {}


def submitted_fields(application: Application, *, unmasked: bool) -> list[FieldRow]:
    """The latest submission, field by field, with what changed since the one before.

    Personal data is masked unless the reader may see it (Perm.PERSONAL_DATA_VIEW).
    """
    revisions = list(application.revisions.all())
    current = _payload(revisions[-1] if revisions else None)
    before = _payload(revisions[-2] if len(revisions) > 1 else None)

    def shown(key: str, value: Any) -> str:
        text = "" if value is None else str(value)
        return text if unmasked or key not in _MASKS else _MASKS[key](text)

    rows = []
    ordered = [key for key in FIELD_LABELS if key in current]
    ordered += [key for key in current if key not in FIELD_LABELS]
    for key in ordered:
        value = current[key]
        changed = len(revisions) > 1 and before.get(key) != value
        rows.append(
            FieldRow(
                key=key,
                label=FIELD_LABELS.get(key, key),
                value=shown(key, value),
                previous=shown(key, before.get(key)) if changed else None,
            )
        )
    return rows


def changed_documents(application: Application) -> set[int]:
    """Ids of documents in the latest revision that were not in the one before."""
    revisions = list(application.revisions.all())
    if len(revisions) < 2:
        return set()
    before = {doc.pk for doc in revisions[-2].documents.all()}
    return {doc.pk for doc in revisions[-1].documents.all()} - before

"""Qualification certificates: the rules for one, adding and renewing after
onboarding, and the daily expiry warning (WX 7.1.2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidTransition, NotFound
from onestop.documents.errors import UploadRejected
from onestop.documents.models import DocumentKind
from onestop.documents.services import document_store
from onestop.institutions import selectors
from onestop.institutions.models import (
    Institution,
    Offering,
    Qualification,
    QualificationKind,
)
from onestop.institutions.services.rules import (
    EXPIRED_REINDEX_DAYS,
    EXPIRY_WARNING_DAYS,
    QUALIFICATION_STATUSES,
    FieldError,
    QualificationError,
    QualificationInput,
    clean_text,
    local_today,
    lock,
    member_of,
    people_of,
)
from onestop.notifications.services import notify
from onestop.search.index import refresh_later
from onestop.search.models import DocKind

# --- qualifications: shared rules ---------------------------------------------------


def clean_qualification(
    data: QualificationInput, *, today: dt.date, index: int = 0
) -> QualificationInput:
    def fail(field: str, message: str | Promise, **params: Any) -> QualificationError:
        return QualificationError(index, field, message, **params)

    if data.kind not in QualificationKind.values:
        raise fail("kind", _("Choose the kind of certificate."))
    values: dict[str, Any] = {}
    for field, label, high in (
        ("number", _("certificate number"), 60),
        ("scope", _("scope"), 5000),
        ("issuer", _("issuing authority"), 100),
    ):
        try:
            values[field] = clean_text(getattr(data, field), field=field, label=label, high=high)
        except FieldError as exc:
            raise fail(field, exc.message) from None
    values["number"] = re.sub(r"\s+", "", values["number"]).upper()
    if data.valid_from is None:
        raise fail("valid_from", _("Enter the date the certificate is valid from."))
    if data.valid_to is None:
        raise fail("valid_to", _("Enter the date the certificate is valid to."))
    if data.valid_to < data.valid_from:
        raise fail("valid_to", _("The certificate cannot end before it starts."))
    if data.valid_to < today:
        raise fail(
            "valid_to",
            _("This certificate expired on %(date)s; submit a valid one."),
            date=data.valid_to.isoformat(),
        )
    return dataclasses.replace(data, **values)


def check_unique(items: Sequence[QualificationInput], *, institution: Institution | None) -> None:
    """A certificate (kind and number) is registered once on the whole platform."""
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        key = (item.kind, item.number)
        if key in seen:
            raise QualificationError(
                index, "number", _("This certificate is listed twice in the application.")
            )
        seen.add(key)
    taken = Qualification.objects.none()
    for kind, number in seen:
        taken |= Qualification.objects.filter(kind=kind, number=number)
    if institution is not None:
        taken = taken.exclude(institution=institution)
    clash = set(taken.values_list("kind", "number"))
    for index, item in enumerate(items):
        if (item.kind, item.number) in clash:
            raise QualificationError(
                index, "number", _("This certificate is already registered on the platform.")
            )


def store_scan(
    *, actor: User, institution: Institution, upload: UploadedFile[bytes] | None, index: int
) -> Any:
    if upload is None:
        return None
    try:
        return document_store(
            owner=actor,
            kind=DocumentKind.QUALIFICATION_CERTIFICATE,
            upload=upload,
            region=institution.region,
        )
    except UploadRejected as exc:
        raise QualificationError(index, "scan", exc.message) from None


# --- qualifications after onboarding -------------------------------------------------


def require_onboarded(institution: Institution) -> None:
    """Certificates are added while the institution is on the platform
    (active, or suspended and putting things right)."""
    if institution.status not in QUALIFICATION_STATUSES:
        raise InvalidTransition(_("Certificates can be added once the institution is onboarded."))


@transaction.atomic
def qualification_add(
    *,
    actor: User,
    institution: Institution,
    data: QualificationInput,
    replaces: Qualification | None = None,
) -> Qualification:
    """Add a certificate, or renew one (``replaces``): the offerings the old
    certificate covered move to the new one."""
    institution = lock(institution)
    member_of(actor, institution)
    require_onboarded(institution)
    if replaces is not None and replaces.institution_id != institution.pk:
        raise NotFound()
    item = clean_qualification(data, today=local_today())
    try:
        check_unique([item], institution=None)
    except QualificationError as exc:
        raise FieldError(exc.field or "number", exc.message) from None
    try:
        scan = store_scan(actor=actor, institution=institution, upload=item.scan, index=0)
    except QualificationError as exc:
        raise FieldError("scan", exc.message) from None
    qualification = Qualification.objects.create(
        institution=institution,
        kind=item.kind,
        number=item.number,
        scope=item.scope,
        issuer=item.issuer,
        valid_from=item.valid_from,
        valid_to=item.valid_to,
        scan=scan,
    )
    moved: list[int] = []
    if replaces is not None:
        moved = list(replaces.offerings.values_list("pk", flat=True))
        Offering.objects.filter(pk__in=moved).update(
            qualification=qualification, updated_at=timezone.now()
        )
    audit_record(
        actor=actor,
        action="institutions.qualification_add",
        obj=qualification,
        region=institution.region,
        changes={
            "kind": item.kind,
            "number": item.number,
            "valid_to": item.valid_to.isoformat(),
            "replaces": replaces.pk if replaces is not None else None,
            "offerings_moved": moved,
        },
    )
    refresh_later(DocKind.INSTITUTION, [institution.pk])
    if moved:
        refresh_later(DocKind.OFFERING, moved)
    return qualification


def qualifications_warn_expiring(today: dt.date | None = None) -> int:
    """Warn once per certificate that ends within 30 days: the institution's
    people and the service center of its region are told (WX 7.1.2).
    Offerings whose certificate has just expired are re-indexed so search
    stops matching them. Returns the number of certificates warned about.
    Safe to run repeatedly (daily: ``onestop qualifications_check``)."""
    today = today or local_today()
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    due = list(
        Qualification.objects.filter(
            expiry_warned_at__isnull=True,
            valid_to__gte=today,
            valid_to__lte=horizon,
            institution__status__in=QUALIFICATION_STATUSES,
        )
        .select_related("institution__region", "institution__applied_by")
        .order_by("valid_to", "pk")
    )
    warned = 0
    for qualification in due:
        with transaction.atomic():
            claimed = Qualification.objects.filter(
                pk=qualification.pk, expiry_warned_at__isnull=True
            ).update(expiry_warned_at=timezone.now())
            if not claimed:  # another run got there first
                continue
            _warn_expiring(qualification, today=today)
            warned += 1
    expired = list(
        Offering.objects.filter(
            qualification__valid_to__lt=today,
            qualification__valid_to__gte=today - dt.timedelta(days=EXPIRED_REINDEX_DAYS),
        ).values_list("pk", flat=True)
    )
    if expired:
        refresh_later(DocKind.OFFERING, expired)
    return warned


def _warn_expiring(qualification: Qualification, *, today: dt.date) -> None:
    institution = qualification.institution
    days = (qualification.valid_to - today).days
    title = str(
        _("Qualification %(number)s expires on %(date)s")
        % {"number": qualification.number, "date": qualification.valid_to.isoformat()}
    )
    body = str(
        _(
            "%(institution)s: the %(kind)s certificate %(number)s ends in %(days)s days. "
            "Offerings it covers stop accepting orders when it expires; add the renewed "
            "certificate before then."
        )
        % {
            "institution": institution.name,
            "kind": qualification.get_kind_display(),
            "number": qualification.number,
            "days": days,
        }
    )
    notify(
        recipients=people_of(institution),
        kind="institutions.qualification_expiring",
        title=title,
        body=body,
        url="/institutions/mine/",
        channels_=["sms"],
    )
    notify(
        recipients=selectors.center_staff_over(institution.region),
        kind="institutions.qualification_expiring",
        title=title,
        body=body,
        url=f"/institutions/review/{institution.pk}/",
    )
    audit_record(
        action="institutions.qualification_warn",
        obj=qualification,
        region=institution.region,
        actor_label="system",
        changes={"valid_to": qualification.valid_to.isoformat(), "days_left": days},
    )

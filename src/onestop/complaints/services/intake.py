"""Complaints filed online by a logged-in user (WX 7.4.2 "网络")."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.complaints import selectors
from onestop.complaints.models import (
    Channel,
    Complaint,
)
from onestop.complaints.rules import NAME_MAX
from onestop.complaints.services.receipt import (
    ComplaintRefused,
    Texts,
    audit_refusal,
    check_uploads,
    clean_texts,
    create,
    region_of,
    subject_of,
)
from onestop.core.errors import NotFound
from onestop.enterprises.models import Enterprise
from onestop.orders.models import Order

# --- online (WX 7.4.2 "网络") ----------------------------------------------------------------


def complaint_file(
    *,
    user: User,
    target: str,
    complaint_type: str,
    content: str,
    request: str,
    institution_id: int | None = None,
    station_id: int | None = None,
    order: Order | None = None,
    enterprise: Enterprise | None = None,
    anonymous_to_institution: bool = False,
    attachments: Sequence[UploadedFile[bytes]] = (),
) -> Complaint:
    """A logged-in user complains about one of their orders (the institution
    comes from the order), an institution or station by its number, or the
    platform (WX 7.4.2). Never anonymous to the center: the account's name
    and phone go with it; ``anonymous_to_institution`` hides them from the
    institution only. Naming an institution that is not onboarded, or a
    station that is not open, is refused with nothing stored and the attempt
    audited (complaints.refused)."""
    texts = clean_texts(
        complaint_type=complaint_type, content=content, request=request, request_required=True
    )
    check_uploads(attachments)
    try:
        return _file(
            user=user,
            target=target,
            texts=texts,
            institution_id=institution_id,
            station_id=station_id,
            order=order,
            enterprise=enterprise,
            anonymous=anonymous_to_institution,
            attachments=attachments,
        )
    except ComplaintRefused as error:
        audit_refusal(
            actor=user,
            error=error,
            channel=Channel.ONLINE,
            target=target,
            institution=institution_id,
            station=station_id,
        )
        raise


@transaction.atomic
def _file(
    *,
    user: User,
    target: str,
    texts: Texts,
    institution_id: int | None,
    station_id: int | None,
    order: Order | None,
    enterprise: Enterprise | None,
    anonymous: bool,
    attachments: Sequence[UploadedFile[bytes]],
) -> Complaint:
    if not user.is_active:
        raise authz.NotAllowed()
    if order is not None:
        # The page resolved it among the user's orders; check again here. A
        # complaint about an order is made for whom the order was placed.
        order = selectors.my_order(user=user, number=order.number)
        enterprise = order.enterprise
    elif enterprise is not None and enterprise.pk not in {
        e.pk for e in selectors.my_enterprises(user=user)
    }:
        raise NotFound()
    subject = subject_of(
        target=target, institution_id=institution_id, station_id=station_id, order=order
    )
    return create(
        actor=user,
        channel=Channel.ONLINE,
        subject=subject,
        texts=texts,
        region=region_of(subject, enterprise=enterprise, complainant=user),
        complainant=user,
        name=(user.display_name or user.get_username())[:NAME_MAX],
        phone=user.mobile or "",
        anonymous=anonymous,
        attachments=attachments,
        order=order,
        enterprise=enterprise,
    )

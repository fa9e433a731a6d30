"""Messages and attachments on an order (HM 4.3.4.1: explain and coordinate
during the service; reports and quotes travel with the order)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.documents.models import DocumentKind
from onestop.documents.services import document_store
from onestop.orders import rules
from onestop.orders.models import AttachmentKind, Order, OrderAttachment, OrderMessage, Party
from onestop.orders.services.common import NotOnThisOrder, audit, lock, parties, tell_sides

# Who may add which kind of attachment: reports and quotes come from the
# institution; anyone acting on the order may add other papers.
ATTACHERS: dict[str, frozenset[str]] = {
    AttachmentKind.REPORT: frozenset({Party.INSTITUTION}),
    AttachmentKind.QUOTE: frozenset({Party.INSTITUTION}),
    AttachmentKind.OTHER: frozenset({Party.USER, Party.INSTITUTION, Party.PROXY, Party.CENTER}),
}
_SIDE_ORDER = (Party.USER, Party.INSTITUTION, Party.PROXY, Party.CENTER, Party.STAFF)


def _side(held: frozenset[str], allowed: Iterable[str] = _SIDE_ORDER) -> str:
    wanted = set(allowed)
    for party in _SIDE_ORDER:
        if party in held and party in wanted:
            return party
    raise NotOnThisOrder()


@transaction.atomic
def order_message_post(
    *, actor: User, order: Order, body: str, acting_as: Iterable[str] | None = None
) -> OrderMessage:
    """A message from the user, the institution's people or staff of the
    order's region (at most 2000 characters); the other sides are told."""
    order = lock(order)
    party = _side(parties(actor, order, acting_as))
    text = (body or "").strip()
    if not text:
        raise InvalidInput(_("Write a message."), field="body")
    if len(text) > rules.MESSAGE_MAX:
        raise InvalidInput(
            _("A message may be at most %(n)s characters."), field="body", n=rules.MESSAGE_MAX
        )
    message = OrderMessage.objects.create(order=order, author=actor, body=text)
    # The trail keeps that a message was written, not what it says.
    audit(actor, "orders.message", order, message=message.pk, length=len(text), **{"as": party})
    tell_sides(
        order=order,
        actor=actor,
        party=party,
        kind="orders.message",
        title=str(_("New message on order %(number)s") % {"number": order.number}),
        body=text[:200],
    )
    return message


@transaction.atomic
def order_attach(
    *,
    actor: User,
    order: Order,
    kind: str,
    upload: UploadedFile[bytes],
    acting_as: Iterable[str] | None = None,
) -> OrderAttachment:
    """Attach a report, a quote or another paper to an open order. The file is
    checked and kept privately (documents.document_store); the order's user,
    the institution's people and overseeing staff may download it."""
    if kind not in AttachmentKind.values:
        raise InvalidInput(_("Choose what the file is."), field="kind")
    order = lock(order)
    held = parties(actor, order, acting_as)
    party = _side(held, ATTACHERS[kind])
    if rules.is_closed(order.status):
        raise InvalidTransition(_("Files can no longer be added to a closed order."))
    document = document_store(
        owner=actor, kind=DocumentKind.OTHER, upload=upload, region=order.region, actor=actor
    )
    attachment = OrderAttachment.objects.create(
        order=order, document=document, kind=kind, uploaded_by=actor
    )
    audit(
        actor,
        "orders.attach",
        order,
        kind=kind,
        document=str(document.public_id),
        **{"as": party},
    )
    tell_sides(
        order=order,
        actor=actor,
        party=party,
        kind="orders.attached",
        title=str(
            _("%(kind)s added to order %(number)s")
            % {"kind": AttachmentKind(kind).label, "number": order.number}
        ),
    )
    return attachment

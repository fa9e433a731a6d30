"""Invitations (WX 7.3, HM 5.2): one per completed order or consultation,
in the user's inbox and as a signed link that works without login for 30
days, once. Forged links are refused (400), expired or used ones (410), and
every refusal is audited."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import DomainError, InvalidInput, InvalidTransition
from onestop.demands.models import Demand, DemandStatus
from onestop.evaluations.models import INVITATION_DAYS, Invitation
from onestop.evaluations.services.forms import form_for_consultation, form_for_order
from onestop.notifications.services import notify
from onestop.orders.models import Order, OrderStatus

SALT = "onestop.evaluations.invitation"
MAX_AGE = dt.timedelta(days=INVITATION_DAYS)


class LinkGone(DomainError):
    code = "link_gone"
    status = 410
    default_message = _("This evaluation link has expired or has already been used.")


class LinkInvalid(InvalidInput):
    code = "link_invalid"
    default_message = _("This evaluation link is not valid.")


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    return reverse("evaluations:invite", kwargs={"token": invitation_token(invitation)})


def _send(invitation: Invitation, *, user: User, title: str) -> None:
    notify(
        recipients=[user],
        kind="evaluations.invite",
        title=title,
        body=str(
            _("The link works for %(days)s days, once, without logging in.")
            % {"days": INVITATION_DAYS}
        ),
        url=invitation_url(invitation),
    )


@transaction.atomic
def evaluation_invite(*, order: Order) -> Invitation:
    """System step when an order completes: one invitation per order, the
    link in the user's inbox. Calling it again returns the same invitation."""
    if order.status != OrderStatus.COMPLETED:
        raise InvalidTransition(_("Only a completed order can be evaluated."))
    existing = Invitation.objects.filter(order=order).first()
    if existing is not None:
        return existing
    form = form_for_order(order.region)
    invitation = Invitation.objects.create(
        order=order, form=form, expires_at=timezone.now() + MAX_AGE
    )
    _send(
        invitation,
        user=order.user,
        title=str(_("Please evaluate the service of order %(number)s") % {"number": order.number}),
    )
    audit_record(
        action="evaluations.invite",
        obj=order,
        region=order.region,
        changes={"invitation": invitation.pk, "form": str(form)},
        actor_label="system",
    )
    return invitation


@transaction.atomic
def consultation_invite(*, demand: Demand) -> Invitation | None:
    """System step when the service center closes a demand it answered
    without an order (a consultation): the user evaluates the center.
    Demands of people without an account (registered by staff) get none."""
    if demand.status != DemandStatus.CLOSED:
        raise InvalidTransition(_("Only a closed consultation can be evaluated."))
    requester = demand.requester
    if requester is None:
        return None
    existing = Invitation.objects.filter(demand=demand).first()
    if existing is not None:
        return existing
    form, parts = form_for_consultation(demand.region)
    invitation = Invitation.objects.create(
        demand=demand, form=form, parts=parts, expires_at=timezone.now() + MAX_AGE
    )
    _send(
        invitation,
        user=requester,
        title=str(
            _("Please evaluate the service center's answer to %(number)s")
            % {"number": demand.number}
        ),
    )
    audit_record(
        action="evaluations.invite",
        obj=demand,
        region=demand.region,
        changes={"invitation": invitation.pk, "form": str(form), "consultation": True},
        actor_label="system",
    )
    return invitation


def refused(token: str, error: DomainError) -> None:
    """Audit a refused link (in its own transaction: nothing else is stored)."""
    with transaction.atomic():
        audit_record(
            action="evaluations.link_refused",
            changes={"reason": error.code, "token": token[:16]},
            actor_label="anonymous",
        )


def resolve(token: str) -> Invitation:
    try:
        pk = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkGone(_("This evaluation link has expired.")) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid() from exc
    invitation = (
        Invitation.objects.select_related(
            "form", "order__offering", "order__institution", "order__region", "demand__region"
        )
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise LinkInvalid()
    if invitation.used_at is not None:
        raise LinkGone(_("This service has already been evaluated; the link can be used once."))
    if invitation.expires_at <= timezone.now():
        raise LinkGone(_("This evaluation link has expired."))
    return invitation


def invitation_open(*, token: str) -> Invitation:
    """The invitation behind a link; forged (400), expired or used (410) are
    refused and the attempt audited."""
    try:
        return resolve(token)
    except DomainError as error:
        refused(token, error)
        raise

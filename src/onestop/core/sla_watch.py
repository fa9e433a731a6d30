"""Warns people when a working-day clock is at risk or breached, once each.

Each module that starts clocks registers, per clock kind, who is responsible
for the clock's subject (``register_responsible``, from its AppConfig.ready).
``sla_clocks_check`` runs every few minutes (Celery beat in production, the
in-process scheduler in the embedded profile): for each running clock past
its at-risk time, and again past its due time, it notifies the responsible
people and the service-center staff over the clock's region (their
supervisors), naming the clock that fired. A conditional UPDATE marks the
clock first, so two checks running at once never send twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.core.models import SlaClock
from onestop.core.sla_kinds import sla_kind_label

Resolver = Callable[[Any], Iterable[User]]
_RESPONSIBLE: dict[str, Resolver] = {}


def register_responsible(kind: str, resolver: Resolver) -> None:
    """``resolver(subject)`` → the users who must act on a clock of ``kind``."""
    _RESPONSIBLE[kind] = resolver


@dataclasses.dataclass(frozen=True)
class CheckResult:
    at_risk: int
    breached: int


def _recipients(clock: SlaClock) -> tuple[list[User], list[User]]:
    """(the people responsible for the subject, their supervisors): the
    service-center staff over the clock's region who are not already in the first."""
    responsible: dict[int, User] = {}
    resolver = _RESPONSIBLE.get(clock.kind)
    subject = clock.subject
    if resolver is not None and subject is not None:
        responsible.update({user.pk: user for user in resolver(subject)})
    supervisors: dict[int, User] = {}
    if clock.region is not None:
        for user in authz.holders_over(Role.CENTER_STAFF, clock.region):
            if user.pk not in responsible:
                supervisors[user.pk] = user
    return list(responsible.values()), list(supervisors.values())


def _notify(clock: SlaClock, *, breached: bool) -> None:
    from onestop.notifications.services import notify

    label = sla_kind_label(clock.kind)
    subject = clock.subject
    what = str(subject) if subject is not None else f"#{clock.subject_id}"
    due = timezone.localtime(clock.due_at).strftime("%Y-%m-%d %H:%M")
    if breached:
        title = _("Overdue: %(clock)s — %(what)s") % {"clock": label, "what": what}
        body = _("The deadline was %(due)s.") % {"due": due}
    else:
        title = _("At risk: %(clock)s — %(what)s") % {"clock": label, "what": what}
        body = _("Half of the time is used; the deadline is %(due)s.") % {"due": due}
    staff_url = str(getattr(subject, "staff_url", "") or "/workbench/sla/")
    # The responsible may act on another page than staff (an institution's
    # people on their side of an order).
    own_url = str(getattr(subject, "responsible_url", "") or staff_url)
    responsible, supervisors = _recipients(clock)
    for recipients, url in ((responsible, own_url), (supervisors, staff_url)):
        if recipients:
            notify(
                recipients=recipients,
                kind="sla.breached" if breached else "sla.at_risk",
                title=str(title),
                body=str(body),
                url=url,
                channels_=["sms"] if breached else [],
            )


def sla_clocks_check(*, now: dt.datetime | None = None) -> CheckResult:
    """Send the at-risk and breach notices that are due; returns how many."""
    now = now or timezone.now()
    running = SlaClock.objects.filter(stopped_at__isnull=True, paused_at__isnull=True)
    sent = {"at_risk": 0, "breached": 0}
    checks: list[tuple[str, dict[str, Any], bool]] = [
        ("breach_notified_at", {"due_at__lte": now}, True),
        ("at_risk_notified_at", {"at_risk_at__lte": now, "due_at__gt": now}, False),
    ]
    for marker, condition, breached in checks:
        due = running.filter(**{f"{marker}__isnull": True}, **condition).order_by("due_at")
        for clock in due.select_related("region", "subject_type")[:500]:
            with transaction.atomic():
                claimed = SlaClock.objects.filter(
                    pk=clock.pk, **{f"{marker}__isnull": True}
                ).update(**{marker: now})
                if claimed:
                    if breached:
                        # A breach also covers the at-risk notice.
                        SlaClock.objects.filter(
                            pk=clock.pk, at_risk_notified_at__isnull=True
                        ).update(at_risk_notified_at=now)
                    _notify(clock, breached=breached)
                    sent["breached" if breached else "at_risk"] += 1
    return CheckResult(at_risk=sent["at_risk"], breached=sent["breached"])

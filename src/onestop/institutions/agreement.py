"""The onboarding agreement an institution accepts when it applies (WX 7.1.2).

The text is versioned: an application stores the version it accepted
(``Institution.agreement_version``), so changing a clause means a new
version here, never an edit of an accepted one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Agreement:
    version: str
    title: str | Promise
    clauses: tuple[str | Promise, ...]


CURRENT = Agreement(
    version="2026.1",
    title=_("Service institution onboarding agreement"),
    clauses=(
        _(
            "The institution guarantees that the information and qualification certificates "
            "it submits are true, complete and valid, and updates them on the platform as soon "
            "as they change."
        ),
        _(
            "The institution offers services only within the scope of its valid qualifications, "
            "and stops accepting a service when the qualification covering it expires."
        ),
        _(
            "The prices, turnaround times and service places the institution publishes on the "
            "platform are commitments to the users who order them."
        ),
        _(
            "The institution accepts the supervision of the service center and the market "
            "regulation authority, the evaluations of users and the handling of complaints "
            "forwarded to it."
        ),
        _(
            "The institution keeps the information users give it confidential and uses it only "
            "for the service requested."
        ),
        _(
            "The service center may suspend an institution that breaks this agreement or the "
            "law, and may remove it from the platform; suspensions, reinstatements and exits are "
            "announced on the institution's public page."
        ),
    ),
)

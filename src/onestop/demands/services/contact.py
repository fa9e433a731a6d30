"""Showing a demand's contact number in full, on purpose and on the record.

Pages show the number masked (SPEC §5: personal data masked on screen); the
people who must call the requester (the staff handling the demand, the
institution it was docked with: WX 7.2.2.2.2) ask for the full number with
one click, and each time is an audit row saying who saw whose number.
"""

from __future__ import annotations

from django.db import transaction

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.demands.models import Demand


@transaction.atomic
def contact_reveal(*, actor: User, demand: Demand, as_side: str) -> str:
    """The full contact number, audited (``as_side``: "staff" or "institution").
    The caller has checked that the actor may see this demand."""
    audit_record(
        actor=actor,
        action="demands.contact_revealed",
        obj=demand,
        region=demand.region,
        changes={"number": demand.number, "as": as_side},
    )
    return demand.contact_phone

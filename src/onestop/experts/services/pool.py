"""Writes to the expert pool (HM 4.1.2.1, LZ 6.2.3): add, update, set the
availability of and remove an expert. Every write checks
Perm.EXPERT_MANAGE over the expert's region, leaves an audit row with the
contacts masked and refreshes the expert's search document after commit."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceCategory
from onestop.core.crypto import mask_mobile
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.experts.models import Availability, Expert
from onestop.regions.models import Region
from onestop.search import index
from onestop.search.models import DocKind

# A mainland mobile number, or a landline with its area code (0772-2812345,
# 0510 86812345, 09022257813), optionally with an extension (-8012).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?$")
NAME_MIN, NAME_MAX = 2, 50
REASON_MAX = 500


@dataclasses.dataclass(frozen=True)
class ExpertDetails:
    """What staff record about an expert (availability has its own service)."""

    name: str
    title: str
    organisation: str
    categories: Sequence[ServiceCategory]
    specialties: str
    qualifications: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def normalise_phone(value: str) -> str:
    """The phone as stored: spaces dropped; raises InvalidInput if it is no phone."""
    compact = re.sub(r"\s+", "", value or "")
    if not compact:
        return ""
    if _MOBILE.match(compact) or _LANDLINE.match(compact):
        return compact
    raise InvalidInput(
        _(
            "Enter an 11-digit mobile number or a landline with its area code, "
            "such as 0772-2812345."
        ),
        field="contact_phone",
    )


def _email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise InvalidInput(_("Enter a valid e-mail address."), field="contact_email") from exc
    return value


def _cleaned(details: ExpertDetails) -> ExpertDetails:
    """Trimmed details, or the first rule they break as InvalidInput."""
    name = " ".join((details.name or "").split())
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise InvalidInput(
            _("A name has %(min)s to %(max)s characters."), min=NAME_MIN, max=NAME_MAX, field="name"
        )
    title = (details.title or "").strip()
    if not title:
        raise InvalidInput(_("Enter the expert's professional title."), field="title")
    if len(title) > 60:
        raise InvalidInput(_("A professional title has at most 60 characters."), field="title")
    organisation = (details.organisation or "").strip()
    if not organisation:
        raise InvalidInput(_("Enter the organisation the expert works for."), field="organisation")
    if len(organisation) > 200:
        raise InvalidInput(
            _("An organisation name has at most 200 characters."), field="organisation"
        )
    categories = list(dict.fromkeys(details.categories))
    if not categories:
        raise InvalidInput(_("Choose at least one field of expertise."), field="categories")
    specialties = (details.specialties or "").strip()
    if not specialties:
        raise InvalidInput(_("Describe what the expert specialises in."), field="specialties")
    if len(specialties) > 300:
        raise InvalidInput(_("Specialties have at most 300 characters."), field="specialties")
    return ExpertDetails(
        name=name,
        title=title,
        organisation=organisation,
        categories=categories,
        specialties=specialties,
        qualifications=(details.qualifications or "").strip(),
        contact_phone=normalise_phone(details.contact_phone),
        contact_email=_email(details.contact_email),
    )


def _check_unique(*, details: ExpertDetails, region: Region, exclude: int | None = None) -> None:
    clash = Expert.objects.filter(
        active=True, region=region, name=details.name, organisation=details.organisation
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise InvalidInput(
            _("This person of this organisation is already in the pool for this region."),
            field="name",
        )


def _mask_email(email: str) -> str:
    if "@" not in email:
        return "*" * len(email)
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def _snapshot(expert: Expert) -> dict[str, Any]:
    """The audited state; contacts masked, so the trail holds no personal data in clear."""
    return {
        "name": expert.name,
        "title": expert.title,
        "organisation": expert.organisation,
        "region": expert.region.code,
        "categories": sorted(c.code for c in expert.categories.all()),
        "specialties": expert.specialties,
        "qualifications": expert.qualifications,
        "availability": expert.availability,
        "contact_phone": mask_mobile(expert.contact_phone) if expert.contact_phone else "",
        "contact_email": _mask_email(expert.contact_email) if expert.contact_email else "",
    }


def require_manager(actor: User, region: Region) -> None:
    """The service center keeps the pool and its sessions: Perm.EXPERT_MANAGE
    over the region, or refused."""
    authz.require(actor, authz.Perm.EXPERT_MANAGE, region)


def _locked(expert: Expert) -> Expert:
    locked = (
        Expert.objects.select_for_update(no_key=True).select_related("region").get(pk=expert.pk)
    )
    if not locked.active:
        raise InvalidTransition(_("This expert has been removed from the pool."))
    return locked


@transaction.atomic
def expert_create(
    *,
    actor: User,
    region: Region,
    details: ExpertDetails,
    availability: str = Availability.AVAILABLE,
) -> Expert:
    """Add a professional to the service center's expert pool (HM 4.1.2.1)."""
    require_manager(actor, region)
    if availability not in Availability.values:
        raise InvalidInput(_("Choose the expert's availability."), field="availability")
    details = _cleaned(details)
    _check_unique(details=details, region=region)
    expert = Expert.objects.create(
        name=details.name,
        title=details.title,
        organisation=details.organisation,
        region=region,
        specialties=details.specialties,
        qualifications=details.qualifications,
        availability=availability,
        contact_phone=details.contact_phone,
        contact_email=details.contact_email,
    )
    expert.categories.set(details.categories)
    audit_record(actor=actor, action="experts.create", obj=expert, changes=_snapshot(expert))
    index.refresh_later(DocKind.EXPERT, [expert.pk])
    return expert


@transaction.atomic
def expert_update(
    *, actor: User, expert: Expert, details: ExpertDetails, region: Region | None = None
) -> Expert:
    """Change what the pool records about an expert; moving the expert to
    another region needs the permission over both regions."""
    require_manager(actor, expert.region)
    locked = _locked(expert)
    target = region or locked.region
    if target.pk != locked.region_id:
        require_manager(actor, target)
    details = _cleaned(details)
    _check_unique(details=details, region=target, exclude=locked.pk)
    before = _snapshot(locked)
    locked.name = details.name
    locked.title = details.title
    locked.organisation = details.organisation
    locked.region = target
    locked.specialties = details.specialties
    locked.qualifications = details.qualifications
    locked.contact_phone = details.contact_phone
    locked.contact_email = details.contact_email
    locked.save()
    locked.categories.set(details.categories)
    after = _snapshot(locked)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_record(actor=actor, action="experts.update", obj=locked, changes=changed)
    index.refresh_later(DocKind.EXPERT, [locked.pk])
    return locked


@transaction.atomic
def expert_set_availability(*, actor: User, expert: Expert, availability: str) -> Expert:
    """Mark an expert available, of limited availability or not available."""
    require_manager(actor, expert.region)
    if availability not in Availability.values:
        raise InvalidInput(_("Choose the expert's availability."), field="availability")
    locked = _locked(expert)
    before = locked.availability
    if before == availability:
        return locked
    locked.availability = availability
    locked.save(update_fields=["availability", "updated_at"])
    audit_record(
        actor=actor,
        action="experts.set_availability",
        obj=locked,
        changes={"availability": [before, availability]},
    )
    index.refresh_later(DocKind.EXPERT, [locked.pk])
    return locked


@transaction.atomic
def expert_remove(*, actor: User, expert: Expert, reason: str) -> Expert:
    """Take an expert out of the pool, with the reason. The row is kept (and
    hidden from the public) so that past consultations keep their expert."""
    require_manager(actor, expert.region)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("Give the reason for removing the expert."), field="reason")
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("The reason has at most %(max)s characters."), max=REASON_MAX, field="reason"
        )
    locked = _locked(expert)
    locked.active = False
    locked.removed_at = timezone.now()
    locked.removal_reason = reason
    locked.save(update_fields=["active", "removed_at", "removal_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="experts.remove",
        obj=locked,
        changes={"active": [True, False], "reason": reason},
    )
    index.refresh_later(DocKind.EXPERT, [locked.pk])
    return locked

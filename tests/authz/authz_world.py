"""The authorisation matrix's world: one object of each kind, in Liuzhou,
belonging to a victim (the enterprise "柳州受害精密机械有限公司", its owner and
member, and the testing institution that serves it), plus one user per role.

Objects are created directly (no services) so that the world is small and
fast to build; each is in the state its pages expect to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from authz_world_oversight import build_oversight
from authz_world_parties import LIUZHOU, VICTIM_MOBILE, build_parties
from authz_world_records import build_records
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from onestop.evaluations.services import evaluations_load_forms
from onestop.evaluations.services.links import invitation_token
from onestop.regions.models import Region
from onestop.summaries import rules as summary_rules

# What the tests import from here (VICTIM_MOBILE is the parties').
__all__ = ["ROLES", "VICTIM_MOBILE", "World", "build"]

# The thirteen roles of the matrix, in the order the test walks them.
ROLES = (
    "visitor",
    "individual",
    "enterprise_owner",
    "enterprise_member",
    "other_enterprise",
    "institution_staff",
    "other_institution",
    "expert",
    "station_staff",
    "station_staff_elsewhere",
    "center_staff",
    "authority",
    "sysadmin",
)


@dataclass
class World:
    users: dict[str, Any]
    ids: dict[str, str]
    # Per URL namespace, values that differ from ``ids`` (a number is an order
    # number under orders:, a complaint number under complaints:, ...).
    by_namespace: dict[str, dict[str, str]] = field(default_factory=dict)


def build(regions: dict[str, Region], make_user: Any) -> World:
    """The world, built in three parts (people and places, the victim's
    records, what follows the service) at one moment, in the order the
    objects were always created."""
    now = timezone.now()
    today = timezone.localdate()
    evaluations_load_forms()
    parties = build_parties(regions, make_user, now)
    records = build_records(regions, parties, now, today)
    later = build_oversight(regions, make_user, parties, records, now, today)

    users = {
        "visitor": AnonymousUser(),
        "individual": parties.individual,
        "enterprise_owner": parties.owner,
        "enterprise_member": parties.member,
        "other_enterprise": parties.other_owner,
        "institution_staff": parties.lab_owner,
        "other_institution": parties.other_lab_owner,
        "expert": parties.expert_user,
        "station_staff": parties.station_staff,
        "station_staff_elsewhere": parties.elsewhere,
        "center_staff": parties.center,
        "authority": parties.authority,
        "sysadmin": parties.sysadmin,
    }
    ids = {
        "notification_id": str(later.notification.pk),
        "code": parties.category.code,
        "item_id": str(parties.item.pk),
        "public_id": str(later.document.public_id),
        "invitation_id": str(parties.invitation.pk),
        "membership_id": str(parties.membership.pk),
        "application_id": str(later.application.pk),
        "station_id": str(parties.station.pk),
        "institution_id": str(parties.institution.pk),
        "offering_id": str(parties.offering.pk),
        "expert_id": str(later.expert.pk),
        "session_id": str(later.session.pk),
        "group_id": str(later.synonyms.pk),
        "kind": "institution",
        "job_id": str(later.job.pk),
        "visit_id": str(records.visit.pk),
        "recommendation_id": str(records.recommendation.pk),
        "slot_id": str(records.slot.pk),
        "appointment_id": str(records.appointment.pk),
        "sample_id": str(records.sample.pk),
        "task_id": str(records.task.pk),
        "follow_up_id": str(records.follow_up.pk),
        "token": invitation_token(later.survey_invitation),
        "enterprise_id": str(parties.victim_enterprise.pk),
        "evaluation_id": str(later.evaluation.pk),
        "snapshot_id": str(later.snapshot.pk),
        "year": "2026",
        "day": "2026-11-18",
        "number": records.demand.number,
        "action": "cancel",
        "move": "verify",
        "pk": "0",
    }
    by_namespace = {
        "orders": {"number": records.order.number, "action": "cancel"},
        "complaints": {"number": records.complaint.number, "action": "withdraw"},
        "complaints:manage_act": {"number": records.complaint.number, "action": "acknowledge"},
        "demands": {"number": records.demand.number},
        "evaluations": {"pk": str(later.appeal.pk)},
        "evaluations:institution_appeal": {"pk": str(later.evaluation.pk)},
        "evaluations:case": {"pk": str(later.case.pk)},
        "supervision": {"pk": str(later.action.pk)},
        "supervision:my_action": {"pk": str(later.action.pk)},
        "supervision:review": {"pk": str(later.review.pk)},
        "supervision:item_unmark": {"pk": str(later.important.pk)},
        "reporting": {"pk": str(later.snapshot.pk)},
        "summaries": {"pk": str(later.summary.pk), "code": LIUZHOU, "kind": "pdf"},
        "summaries:item": {"pk": str(later.improvement.pk)},
        "summaries:item_remove": {"pk": str(later.improvement.pk)},
        "summaries:item_move": {
            "pk": str(later.improvement.pk),
            "action": summary_rules.ACTIONS[0],
        },
        "api:regions": {"code": LIUZHOU},
        "api:summaries": {"code": LIUZHOU},
        "api:orders": {"number": records.order.number, "action": "cancel"},
        "api:open311": {"number": records.order.number},
        "api:complaints": {"number": records.complaint.number},
        "api:demands": {"number": records.demand.number},
    }
    return World(users=users, ids=ids, by_namespace=by_namespace)

"""Prepare the load-test world in the database and write it as JSON.

Run with the production settings after `onestop prepare` (migrations, static
files, demo data): ``python bench/load/fixtures.py OUT.json --users 60``.
Creates real-name-verified individual users with ready logged-in sessions
(the load generator sends their cookies instead of logging in through the
form, which the login rate limit would refuse), gives the people of the
ordered institutions a mobile number so that their "new order" SMS goes out
through the SMS relay, and opens evaluation invitations (completed orders)
for the evaluating users. Not a test: the runner (run.py) calls it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

PASSWORD = "Load-test-2026!"  # noqa: S105 - throwaway accounts in a throwaway database


def light_world(*, owners: int = 12) -> None:
    """What the load needs when the full demo is not loaded (the CI version,
    where the demo's two minutes do not fit): regions, the catalog, the
    evaluation forms, the demo institutions with their offerings, an owner
    for the first few, and the search index."""
    from django.db import transaction

    from onestop.accounts.models import Role, User
    from onestop.accounts.services import role_grant
    from onestop.catalog.services import catalog_load_bundled
    from onestop.enterprises.models import MemberRole, Membership
    from onestop.evaluations.services import evaluations_load_forms
    from onestop.institutions.demo import institutions_demo_load
    from onestop.institutions.models import Institution
    from onestop.regions.services import regions_load_bundled
    from onestop.search import index

    with transaction.atomic():
        regions_load_bundled()
        catalog_load_bundled()
        evaluations_load_forms()
        institutions_demo_load(actor=None)
        for number, institution in enumerate(
            Institution.objects.filter(status="active", offerings__isnull=False)
            .distinct()
            .select_related("enterprise")
            .order_by("pk")[:owners]
        ):
            if Membership.objects.filter(enterprise=institution.enterprise).exists():
                continue
            owner = User.objects.create_user(
                username=f"loadlab{number}",
                password=PASSWORD,
                display_name=f"{institution.name} 负责人",
                kind="enterprise",
            )
            role_grant(actor=None, user=owner, role=Role.ENTERPRISE, region=institution.region)
            Membership.objects.create(
                enterprise=institution.enterprise, user=owner, role=MemberRole.OWNER
            )
    index.rebuild()


def build(*, users: int, invitations: int) -> dict[str, object]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import transaction
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from onestop.accounts.models import Role, User
    from onestop.accounts.services import role_grant
    from onestop.catalog.models import ServiceCategory
    from onestop.core.crypto import blind_index
    from onestop.evaluations.models import Invitation
    from onestop.evaluations.services.forms import form_for_order
    from onestop.evaluations.services.links import invitation_token
    from onestop.institutions.models import Institution, Offering
    from onestop.institutions.selectors import institution_people
    from onestop.orders.models import Order, OrderStatus
    from onestop.regions.models import Region
    from onestop.verification.models import Identity

    session_store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = "onestop.accounts.backends.UsernameOrMobileBackend"
    region = Region.objects.get(code="450202")
    now = timezone.now()

    with transaction.atomic():
        # Offerings whose institution has people to tell (SMS) and is active.
        offerings: list[Offering] = []
        phone = 0
        for institution in Institution.objects.filter(status="active").order_by("pk"):
            people = list(institution_people(institution))
            if not people:
                continue
            for person in people:
                phone += 1
                person.mobile = f"1390771{phone:04d}"
                person.mobile_index = blind_index(person.mobile, purpose="mobile")
                person.save(update_fields=["mobile", "mobile_index"])
            offerings += list(
                Offering.objects.filter(institution=institution, status="published").order_by("pk")
            )
        if not offerings:
            raise SystemExit("no active offering of an institution with people: load the demo")

        accounts = []
        for number in range(users):
            username = f"load{number:04d}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    password=PASSWORD,
                    display_name=f"压测用户{number:04d}",
                )
                role_grant(actor=None, user=user, role=Role.INDIVIDUAL, region=region)
                id_number = f"45020219900101{number:04d}"
                Identity.objects.create(
                    user=user,
                    real_name=f"压测{number:04d}",
                    id_number=id_number,
                    id_index=blind_index(id_number, purpose="id_number"),
                    verified_at=now,
                )
            session = session_store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = backend
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            accounts.append({"username": username, "session": session.session_key})

        form = form_for_order(region)
        tokens = []
        evaluator = User.objects.get(username="load0000")
        # Round the institutions: consecutive evaluations of one institution
        # race in the search index refresh (see the issue 7 load notes).
        by_institution: dict[int, list[Offering]] = {}
        for offering in offerings:
            by_institution.setdefault(offering.institution_id, []).append(offering)
        rounds = [group[0] for group in by_institution.values()]
        for number in range(invitations):
            offering = rounds[number % len(rounds)]
            order = Order.objects.create(
                number=f"DL{now:%y%m%d%H%M}{number:05d}",
                user=evaluator,
                offering=offering,
                institution=offering.institution,
                region=region,
                status=OrderStatus.COMPLETED,
                description="压测：已完成的校准订单",
                contact_name="压测联系人",
                completed_at=now,
            )
            invitation = Invitation.objects.create(
                order=order, form=form, expires_at=now + timedelta(days=7)
            )
            tokens.append(invitation_token(invitation))

    categories = list(
        ServiceCategory.objects.filter(children__isnull=True)
        .order_by("pk")
        .values_list("code", flat=True)[:20]
    )
    return {
        "accounts": accounts,
        "offerings": [o.pk for o in offerings],
        "institutions": sorted({o.institution_id for o in offerings}),
        "categories": categories,
        "region_code": region.code,
        "invitations": tokens,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--invitations", type=int, default=300)
    parser.add_argument(
        "--light", action="store_true", help="without the demo: load only what the load needs"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.config.settings.production")
    import django

    django.setup()
    from onestop.accounts.models import User

    if args.light and not User.objects.filter(username="admin").exists():
        light_world()
    world = build(users=args.users, invitations=args.invitations)
    args.out.write_text(json.dumps(world, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""No user sees another's documents or personal data (HM 6.3, WX 4.1.2d).

Every URL pattern of the accounts, verification, enterprise, document and
quality-archive modules, and every accounts API operation, is requested (GET and an empty
POST) by each kind of outsider, with the victim's own object ids filled into
the URL. No response may contain the victim's mobile number, ID number or
real name, and none of the victim's records may change.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from onestop.core import crypto
from onestop.documents.models import Document
from onestop.enterprises.models import Enterprise, Invitation, MemberRole, Membership
from onestop.enterprises.services import member_invite
from onestop.verification import services as verification
from onestop.verification.models import Application, ApplicationStatus
from onestop.verification.tests.conftest import VALID_ID, VALID_USCC, png

VICTIM_MOBILE = "13800138001"
VICTIM_NAME = "赵明远"
SECRETS = (VICTIM_MOBILE, VALID_ID, VICTIM_NAME, VALID_ID.lower())
MODULES = ("accounts", "verification", "enterprises", "documents", "archive")


def _patterns():
    """(namespace, route template) for every URL of the modules under test."""
    found = []

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace in MODULES:
                found.append((namespace, route))

    walk(get_resolver().url_patterns, "/", None)
    return found


def _fill(route: str, ids: dict[str, str]) -> str:
    return re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: ids[m.group(1)], route.replace("^", "").replace("$", "")
    )


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def victim(make_user, regions):
    """An individual with a verification under review and an enterprise owner with staff."""
    person = make_user(
        "individual",
        "450202",
        kind="individual",
        mobile=VICTIM_MOBILE,
        mobile_index=crypto.blind_index(VICTIM_MOBILE, purpose="mobile"),
    )
    application = verification.application_submit_individual(
        user=person, real_name=VICTIM_NAME, id_number=VALID_ID, id_card=png()
    )
    owner = make_user("enterprise", "450205", kind="enterprise")
    enterprise = Enterprise.objects.create(
        name="受害示范有限公司",
        uscc=VALID_USCC,
        legal_representative="王某",
        address="柳州市示范路9号",
        region=regions["450205"],
        industry="制造业",
    )
    membership = Membership.objects.create(enterprise=enterprise, user=owner, role=MemberRole.OWNER)
    invitation = member_invite(actor=owner, enterprise=enterprise, mobile=VICTIM_MOBILE)
    return {
        "application": application,
        "document": Document.objects.get(owner=person),
        "membership": membership,
        "invitation": invitation,
    }


def _state():
    return (
        list(Application.objects.values_list("pk", "status")),
        list(Membership.objects.values_list("pk", "role", "removed_at")),
        list(Invitation.objects.values_list("pk", "accepted_at")),
        list(Document.objects.values_list("pk", "deleted_at")),
    )


OUTSIDERS = [
    ("anonymous", None, None),
    ("other individual", "individual", "450202"),
    ("other enterprise", "enterprise", "450205"),
    ("station staff, same district", "station_staff", "450202"),
    ("authority, same city", "authority", "450200"),
    ("reviewer of another city", "center_staff", "320200"),
]


@pytest.mark.clause("HM 6.3")
@pytest.mark.clause("WX 4.1.2d")
@pytest.mark.parametrize(("who", "role", "region"), OUTSIDERS, ids=[o[0] for o in OUTSIDERS])
def test_outsiders_see_no_personal_data_and_change_nothing(
    client, victim, make_user, otp_login, who, role, region
):
    outsider = None
    if role is not None:
        outsider = make_user(
            role, region, kind="staff" if role.endswith(("staff", "authority")) else role
        )
    ids = {
        "application_id": str(victim["application"].pk),
        "public_id": str(victim["document"].public_id),
        "membership_id": str(victim["membership"].pk),
        "invitation_id": str(victim["invitation"].pk),
        "enterprise_id": str(victim["membership"].enterprise_id),
    }
    before = _state()
    urls = [_fill(route, ids) for _namespace, route in _patterns()]
    urls += ["/api/v1/accounts/me", "/api/v1/verification/applications"]
    urls += ["/api/v1/verification/individual", "/api/v1/verification/enterprise"]
    assert len(urls) >= 20, urls  # the walk found the modules' pages

    for url in urls:
        for method in (client.get, client.post):
            # Again before every request: one of the URLs is the logout.
            if outsider is not None:
                otp_login(outsider)
            response = method(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", errors="replace")
            leaked = [secret for secret in SECRETS if secret in text]
            assert not leaked, f"{who}: {method.__name__.upper()} {url} leaked {leaked}"
            assert response.status_code < 500, f"{who}: {url} gave {response.status_code}"

    assert _state() == before
    assert victim["application"].status == ApplicationStatus.SUBMITTED

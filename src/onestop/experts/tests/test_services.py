import pytest
from django.db import connection

from onestop.accounts.models import Role
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError
from onestop.experts.models import Availability, Expert
from onestop.experts.services import (
    expert_create,
    expert_remove,
    expert_set_availability,
    expert_update,
)
from onestop.experts.tests.conftest import SECRET_EMAIL, SECRET_PHONE, details
from onestop.search.models import DocKind, SearchDocument


@pytest.mark.clause("HM 4.1.2.1")
@pytest.mark.clause("LZ 6.2.3")
def test_center_staff_add_an_expert_to_the_pool(lz_staff, fields, regions):
    expert = expert_create(
        actor=lz_staff,
        region=regions["450205"],
        details=details(
            [fields["metrology-verification"], fields["ip-patent"]],
            name="  覃 振华 ",
            contact_phone="139 0772 9481",
            contact_email=SECRET_EMAIL,
        ),
        availability=Availability.LIMITED,
    )

    expert.refresh_from_db()
    assert expert.name == "覃 振华"
    assert expert.region == regions["450205"]
    assert expert.availability == Availability.LIMITED
    assert expert.active
    assert expert.contact_phone == SECRET_PHONE
    assert {c.code for c in expert.categories.all()} == {"metrology-verification", "ip-patent"}
    event = AuditEvent.objects.get(action="experts.create")
    assert event.object_id == str(expert.pk)
    assert event.region == regions["450205"]
    assert event.changes["contact_phone"] == "139****9481"
    assert event.changes["contact_email"] == "q***@example.cn"


def test_contacts_are_encrypted_at_rest(secret_expert):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_phone, contact_email FROM experts_expert WHERE id = %s",
            [secret_expert.pk],
        )
        phone, email = cursor.fetchone()

    assert SECRET_PHONE not in phone
    assert "example.cn" not in email


def test_every_write_refreshes_the_search_document_after_commit(
    lz_staff, fields, regions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        expert = expert_create(
            actor=lz_staff,
            region=regions["450200"],
            details=details([fields["metrology-verification"]], contact_phone=SECRET_PHONE),
        )
    document = SearchDocument.objects.get(kind=DocKind.EXPERT, object_id=expert.pk)
    assert document.title == "覃振华"
    assert SECRET_PHONE not in document.body + document.tokens

    with django_capture_on_commit_callbacks(execute=True):
        expert_update(
            actor=lz_staff,
            expert=expert,
            details=details([fields["ip-patent"]], name="覃振东"),
        )
    assert SearchDocument.objects.get(kind=DocKind.EXPERT, object_id=expert.pk).title == "覃振东"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        expert_set_availability(
            actor=lz_staff, expert=expert, availability=Availability.UNAVAILABLE
        )
    assert len(callbacks) == 1
    assert not SearchDocument.objects.get(kind=DocKind.EXPERT, object_id=expert.pk).active

    with django_capture_on_commit_callbacks(execute=True):
        expert_remove(actor=lz_staff, expert=expert, reason="调离本市")
    assert not SearchDocument.objects.filter(kind=DocKind.EXPERT, object_id=expert.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "覃"}, "name"),
        ({"name": "覃" * 51}, "name"),
        ({"title": " "}, "title"),
        ({"organisation": ""}, "organisation"),
        ({"specialties": ""}, "specialties"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"contact_phone": "12812345678"}, "contact_phone"),  # no mobile starts 12
        ({"contact_phone": "2812345"}, "contact_phone"),  # landline without area code
        ({"contact_phone": "138123456789"}, "contact_phone"),
        ({"contact_email": "qin@"}, "contact_email"),
    ],
)
def test_invalid_details_are_refused_with_their_field(lz_staff, fields, regions, overrides, field):
    with pytest.raises(InvalidInput) as refused:
        expert_create(
            actor=lz_staff,
            region=regions["450200"],
            details=details([fields["metrology"]], **overrides),
        )

    assert refused.value.field == field
    assert not Expert.objects.exists()
    assert not AuditEvent.objects.filter(action="experts.create").exists()


def test_at_least_one_field_of_expertise(lz_staff, regions):
    with pytest.raises(InvalidInput) as refused:
        expert_create(actor=lz_staff, region=regions["450200"], details=details([]))
    assert refused.value.field == "categories"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("13877212345", "13877212345"),
        ("0772-2812345", "0772-2812345"),
        ("0510 86812345", "051086812345"),
        ("09022257813", "09022257813"),
        ("0772-2812345-801", "0772-2812345-801"),
        ("", ""),
    ],
)
def test_phone_formats(lz_staff, fields, regions, given, stored):
    expert = expert_create(
        actor=lz_staff,
        region=regions["450200"],
        details=details([fields["metrology"]], contact_phone=given),
    )
    expert.refresh_from_db()
    assert expert.contact_phone == stored


def test_availability_must_be_a_known_value(lz_staff, fields, regions):
    with pytest.raises(InvalidInput):
        expert_create(
            actor=lz_staff,
            region=regions["450200"],
            details=details([fields["metrology"]]),
            availability="sometimes",
        )


def test_the_same_person_is_not_added_twice_in_a_region(lz_staff, fields, regions, make_expert):
    make_expert(region_code="450200", name="覃振华")

    with pytest.raises(InvalidInput) as refused:
        expert_create(
            actor=lz_staff, region=regions["450200"], details=details([fields["metrology"]])
        )
    assert refused.value.field == "name"
    # a namesake elsewhere is someone else
    expert_create(actor=lz_staff, region=regions["450205"], details=details([fields["ip"]]))


@pytest.mark.clause("HM 4.1.2.1")
@pytest.mark.parametrize("who", ["other_city", "station_staff", "enterprise", "nobody"])
def test_only_the_center_of_the_region_keeps_its_pool(
    who, make_user, hm_staff, station_worker, make_expert, fields, regions
):
    expert = make_expert(region_code="450205")
    actor = {
        "other_city": lambda: hm_staff,
        "station_staff": lambda: station_worker,
        "enterprise": lambda: make_user(Role.ENTERPRISE, "450200", kind="enterprise"),
        "nobody": lambda: make_user(),
    }[who]()

    with pytest.raises(PermissionDeniedError):
        expert_create(actor=actor, region=regions["450205"], details=details([fields["metrology"]]))
    with pytest.raises(PermissionDeniedError):
        expert_update(actor=actor, expert=expert, details=details([fields["ip"]]))
    with pytest.raises(PermissionDeniedError):
        expert_set_availability(actor=actor, expert=expert, availability=Availability.LIMITED)
    with pytest.raises(PermissionDeniedError):
        expert_remove(actor=actor, expert=expert, reason="测试")

    expert.refresh_from_db()
    assert expert.active
    assert expert.availability == Availability.AVAILABLE
    assert AuditEvent.objects.filter(action__startswith="experts.").count() == 1  # the create


def test_update_audits_only_what_changed(lz_staff, make_expert, fields):
    expert = make_expert(categories=("metrology-verification",), contact_phone="13877212345")

    expert_update(
        actor=lz_staff,
        expert=expert,
        details=details(
            [fields["metrology-verification"], fields["metrology-consulting"]],
            name=expert.name,
            title="教授级高级工程师",
            contact_phone="13877219999",
        ),
    )

    event = AuditEvent.objects.get(action="experts.update")
    assert set(event.changes) == {"title", "categories", "contact_phone"}
    assert event.changes["contact_phone"] == ["138****2345", "138****9999"]
    expert.refresh_from_db()
    assert expert.title == "教授级高级工程师"


def test_moving_an_expert_needs_the_permission_over_the_new_region(
    lz_staff, make_expert, fields, regions
):
    expert = make_expert(region_code="450205")

    with pytest.raises(PermissionDeniedError):
        expert_update(
            actor=lz_staff,
            expert=expert,
            details=details([fields["metrology"]], name=expert.name),
            region=regions["650502"],
        )
    moved = expert_update(
        actor=lz_staff,
        expert=expert,
        details=details([fields["metrology"]], name=expert.name),
        region=regions["450206"],
    )
    assert moved.region == regions["450206"]


def test_setting_the_same_availability_writes_nothing(lz_staff, make_expert):
    expert = make_expert()

    expert_set_availability(actor=lz_staff, expert=expert, availability=Availability.AVAILABLE)
    assert not AuditEvent.objects.filter(action="experts.set_availability").exists()

    expert_set_availability(actor=lz_staff, expert=expert, availability=Availability.LIMITED)
    event = AuditEvent.objects.get(action="experts.set_availability")
    assert event.changes == {"availability": ["available", "limited"]}
    with pytest.raises(InvalidInput):
        expert_set_availability(actor=lz_staff, expert=expert, availability="later")


@pytest.mark.clause("HM 4.1.2.1")
def test_removal_needs_a_reason_and_keeps_the_record(lz_staff, make_expert, fields):
    expert = make_expert()

    with pytest.raises(InvalidInput) as refused:
        expert_remove(actor=lz_staff, expert=expert, reason="  ")
    assert refused.value.field == "reason"

    expert_remove(actor=lz_staff, expert=expert, reason="本人申请退出专家库")

    expert.refresh_from_db()
    assert not expert.active
    assert expert.removed_at is not None
    assert expert.removal_reason == "本人申请退出专家库"
    event = AuditEvent.objects.get(action="experts.remove")
    assert event.changes == {"active": [True, False], "reason": "本人申请退出专家库"}
    with pytest.raises(InvalidTransition):
        expert_remove(actor=lz_staff, expert=expert, reason="再次移出")
    with pytest.raises(InvalidTransition):
        expert_update(
            actor=lz_staff, expert=expert, details=details([fields["ip"]], name=expert.name)
        )
    with pytest.raises(InvalidTransition):
        expert_set_availability(actor=lz_staff, expert=expert, availability=Availability.LIMITED)

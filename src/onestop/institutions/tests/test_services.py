import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from onestop.audit.models import AuditEvent
from onestop.catalog.models import ItemStatus, ServiceItem
from onestop.core.errors import InvalidTransition, NotFound, PermissionDeniedError
from onestop.core.models import SlaClock, SlaOutcome
from onestop.documents.models import DocumentKind
from onestop.enterprises.models import EnterpriseStatus
from onestop.institutions import agreement, selectors, services, tasks
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    OfferingStatus,
    Qualification,
    QualificationKind,
    StatusChange,
)
from onestop.institutions.services import (
    FieldError,
    NotEnterpriseOwner,
    NotInstitutionMember,
    QualificationError,
)
from onestop.institutions.tests.conftest import (
    apply,
    details,
    offering_input,
    png,
    qualification,
    today,
)
from onestop.notifications.models import Notification
from onestop.search.models import DocKind, SearchDocument
from onestop.stations.models import StationStatus

S = InstitutionStatus


def _clock(institution, **filters):
    return SlaClock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Institution),
        subject_id=str(institution.pk),
        kind="institution_review",
        **filters,
    )


# --- applying (WX 7.1.2) ------------------------------------------------------------------


@pytest.mark.clause("WX 7.1.2")
def test_owner_of_a_verified_enterprise_applies_and_the_review_clock_starts(owner, enterprise):
    institution = apply(owner, quals=[qualification(scan=png())])

    assert institution.status == S.PENDING
    assert institution.name == enterprise.name  # the default public name
    assert institution.region == enterprise.region
    assert institution.agreement_version == agreement.CURRENT.version
    assert institution.agreement_accepted_at is not None
    assert institution.applied_by == owner
    change = institution.status_changes.get()
    assert (change.from_status, change.to_status) == ("", S.PENDING)
    clock = _clock(institution).get()
    assert clock.working_days == 3
    assert clock.stopped_at is None
    assert clock.region == enterprise.region
    certificate = institution.qualifications.get()
    assert certificate.number == "241012340567"
    assert certificate.scan.kind == DocumentKind.QUALIFICATION_CERTIFICATE
    assert certificate.scan.region == enterprise.region
    assert AuditEvent.objects.filter(action="institutions.apply", object_id=str(institution.pk))
    assert owner.notifications.filter(kind="institutions.applied").exists()


def test_a_public_name_given_replaces_the_enterprise_name(owner):
    institution = apply(owner, name="  江阴计量校准中心 ")
    assert institution.name == "江阴计量校准中心"


@pytest.mark.clause("WX 7.1.2")
def test_an_unverified_enterprise_cannot_apply(owner, enterprise):
    enterprise.status = EnterpriseStatus.PENDING
    enterprise.save()

    with pytest.raises(InvalidTransition):
        apply(owner)
    assert not Institution.objects.exists()


@pytest.mark.clause("WX 7.1.2")
def test_a_member_who_is_not_the_owner_cannot_apply(member):
    with pytest.raises(NotEnterpriseOwner):
        apply(member)
    assert not Institution.objects.exists()


def test_someone_acting_for_no_enterprise_cannot_apply(individual):
    with pytest.raises(PermissionDeniedError):
        apply(individual)


@pytest.mark.clause("WX 7.1.2")
@pytest.mark.parametrize("status", [S.PENDING, S.ACTIVE, S.SUSPENDED])
def test_an_enterprise_with_an_institution_cannot_apply_again(owner, pending, status):
    Institution.objects.filter(pk=pending.pk).update(status=status)

    with pytest.raises(InvalidTransition):
        apply(owner, quals=[qualification(number="999")])
    assert Institution.objects.count() == 1
    assert _clock(pending).count() == 1


@pytest.mark.clause("WX 7.1.2")
def test_the_agreement_must_be_accepted_in_its_current_version(owner):
    arguments = {
        "actor": owner,
        "details": details(),
        "qualifications": [qualification()],
    }
    with pytest.raises(FieldError) as refused:
        services.institution_apply(
            **arguments, agreement_version=agreement.CURRENT.version, agreement_accepted=False
        )
    assert refused.value.field == "agreement"
    with pytest.raises(FieldError) as outdated:
        services.institution_apply(**arguments, agreement_version="2020.1", agreement_accepted=True)
    assert outdated.value.field == "agreement"
    assert not Institution.objects.exists()


@pytest.mark.clause("WX 7.1.2")
def test_at_least_one_qualification_is_needed(owner):
    with pytest.raises(FieldError) as error:
        apply(owner, quals=[])
    assert error.value.field == "qualifications"


@pytest.mark.clause("WX 7.1.2")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"valid_from": dt.date(2026, 6, 1), "valid_to": dt.date(2026, 5, 31)}, "valid_to"),
        ({"valid_to": dt.date(2020, 1, 1), "valid_from": dt.date(2017, 1, 1)}, "valid_to"),
        ({"number": "  "}, "number"),
        ({"scope": ""}, "scope"),
        ({"issuer": ""}, "issuer"),
        ({"kind": "ISO"}, "kind"),
    ],
)
def test_a_bad_certificate_is_refused_at_its_field(owner, overrides, field):
    good = qualification(number="A-1")
    with pytest.raises(QualificationError) as error:
        apply(owner, quals=[good, qualification(**{"number": "B-2", **overrides})])
    assert (error.value.index, error.value.field) == (1, field)
    assert not Institution.objects.exists()


@pytest.mark.clause("WX 7.1.2")
def test_a_certificate_already_on_the_platform_is_refused(owner, other_active):
    taken = other_active.qualifications.get()

    with pytest.raises(QualificationError) as error:
        apply(owner, quals=[qualification(kind=taken.kind, number=taken.number.lower())])
    assert error.value.field == "number"
    # the same number under another kind of certificate is another certificate
    institution = apply(
        owner, quals=[qualification(kind=QualificationKind.CNAS, number=taken.number)]
    )
    assert institution.qualifications.get().kind == QualificationKind.CNAS


def test_a_certificate_listed_twice_is_refused(owner):
    with pytest.raises(QualificationError) as error:
        apply(owner, quals=[qualification(number="X 1"), qualification(number="x1")])
    assert (error.value.index, error.value.field) == (1, "number")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_phone": "call us"}, "service_phone"),
        ({"address": " "}, "address"),
        ({"kind": "bank"}, "kind"),
    ],
)
def test_bad_institution_details_are_refused_at_their_field(owner, overrides, field):
    with pytest.raises(FieldError) as error:
        apply(owner, **overrides)
    assert error.value.field == field


@pytest.mark.clause("WX 7.1.2")
def test_a_rejected_institution_applies_again_on_the_same_row(owner, pending, wx_staff):
    services.institution_reject(
        reviewer=wx_staff, institution=pending, reason="CMA 证书扫描件不清晰"
    )

    again = apply(
        owner,
        quals=[qualification(), qualification(number="CNAS L1234", kind=QualificationKind.CNAS)],
    )

    assert again.pk == pending.pk
    assert again.status == S.PENDING
    assert again.decided_at is None
    assert [c.to_status for c in again.status_changes.order_by("id")] == [
        S.PENDING,
        S.REJECTED,
        S.PENDING,
    ]
    assert again.qualifications.count() == 2
    assert _clock(again).count() == 2
    assert _clock(again, stopped_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="institutions.reapply").exists()


def test_certificates_left_out_of_a_new_application_are_dropped(owner, pending, wx_staff):
    services.institution_reject(reviewer=wx_staff, institution=pending, reason="证书编号有误")

    apply(owner, quals=[qualification(number="241012340568")])

    assert list(pending.qualifications.values_list("number", flat=True)) == ["241012340568"]


def test_an_exited_institution_applies_again_and_keeps_certificates_in_use(
    owner, offering, active, wx_staff
):
    services.institution_exit(actor=wx_staff, institution=active, reason="主动申请退出")

    again = apply(owner, quals=[qualification(number="NEW-1")])

    assert again.status == S.PENDING
    numbers = set(again.qualifications.values_list("number", flat=True))
    assert numbers == {"NEW-1", "241012340567"}  # the old one still covers an offering


# --- the service center's review (WX 7.1.2) ------------------------------------------------


@pytest.mark.clause("WX 7.1.2")
def test_approval_onboards_stops_the_clock_and_tells_the_applicant(
    owner, member, pending, wx_staff
):
    institution = services.institution_approve(reviewer=wx_staff, institution=pending)

    assert institution.status == S.ACTIVE
    assert institution.decided_at is not None
    change = institution.status_changes.first()
    assert (change.from_status, change.to_status) == (S.PENDING, S.ACTIVE)
    assert change.reason
    assert change.actor == wx_staff
    clock = _clock(institution).get()
    assert clock.stopped_at is not None
    assert clock.outcome == SlaOutcome.MET
    assert owner.notifications.filter(kind="institutions.approved").exists()
    assert member.notifications.filter(kind="institutions.approved").exists()
    assert AuditEvent.objects.filter(action="institutions.approve").exists()


@pytest.mark.clause("WX 7.1.2")
def test_a_rejection_needs_a_reason_which_the_applicant_receives(owner, pending, wx_staff):
    with pytest.raises(FieldError) as error:
        services.institution_reject(reviewer=wx_staff, institution=pending, reason="  ")
    assert error.value.field == "reason"
    pending.refresh_from_db()
    assert pending.status == S.PENDING

    services.institution_reject(reviewer=wx_staff, institution=pending, reason="缺少 CMA 证书附表")

    pending.refresh_from_db()
    assert pending.status == S.REJECTED
    assert pending.status_changes.first().reason == "缺少 CMA 证书附表"
    note = owner.notifications.get(kind="institutions.rejected")
    assert "缺少 CMA 证书附表" in note.body
    assert _clock(pending).get().stopped_at is not None


@pytest.mark.clause("WX 7.1.2")
def test_staff_of_another_region_cannot_decide(pending, lz_staff, individual):
    for outsider in (lz_staff, individual):
        with pytest.raises(PermissionDeniedError):
            services.institution_approve(reviewer=outsider, institution=pending)
        with pytest.raises(PermissionDeniedError):
            services.institution_reject(reviewer=outsider, institution=pending, reason="x")
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    assert _clock(pending).get().stopped_at is None


@pytest.mark.clause("WX 7.1.2")
def test_suspension_reinstatement_and_exit_are_recorded_with_reasons(owner, active, wx_staff):
    with pytest.raises(FieldError):
        services.institution_suspend(actor=wx_staff, institution=active, reason="")
    services.institution_suspend(actor=wx_staff, institution=active, reason="检测报告抽查不合格")
    active.refresh_from_db()
    assert active.status == S.SUSPENDED
    services.institution_reinstate(actor=wx_staff, institution=active)
    active.refresh_from_db()
    assert active.status == S.ACTIVE
    with pytest.raises(FieldError):
        services.institution_exit(actor=wx_staff, institution=active, reason=" ")
    services.institution_exit(actor=wx_staff, institution=active, reason="机构注销")
    active.refresh_from_db()
    assert active.status == S.EXITED

    changes = list(active.status_changes.order_by("id").values_list("to_status", "reason"))
    assert [to for to, _reason in changes] == [S.PENDING, S.ACTIVE, S.SUSPENDED, S.ACTIVE, S.EXITED]
    assert changes[2][1] == "检测报告抽查不合格"
    assert changes[3][1]  # a default reason for the reinstatement
    assert changes[4][1] == "机构注销"
    kinds = set(owner.notifications.values_list("kind", flat=True))
    assert {"institutions.suspended", "institutions.reinstated", "institutions.exited"} <= kinds
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"institutions.suspend", "institutions.reinstate", "institutions.exit"} <= actions


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (S.ACTIVE, lambda staff, i: services.institution_approve(reviewer=staff, institution=i)),
        (
            S.REJECTED,
            lambda staff, i: services.institution_reject(reviewer=staff, institution=i, reason="x"),
        ),
        (S.ACTIVE, lambda staff, i: services.institution_reinstate(actor=staff, institution=i)),
        (
            S.SUSPENDED,
            lambda staff, i: services.institution_suspend(actor=staff, institution=i, reason="x"),
        ),
        (
            S.PENDING,
            lambda staff, i: services.institution_suspend(actor=staff, institution=i, reason="x"),
        ),
        (
            S.PENDING,
            lambda staff, i: services.institution_exit(actor=staff, institution=i, reason="x"),
        ),
        (
            S.EXITED,
            lambda staff, i: services.institution_exit(actor=staff, institution=i, reason="x"),
        ),
        (S.REJECTED, lambda staff, i: services.institution_reinstate(actor=staff, institution=i)),
    ],
)
def test_invalid_transitions_are_refused(pending, wx_staff, status, call):
    Institution.objects.filter(pk=pending.pk).update(status=status)
    before = StatusChange.objects.count()

    with pytest.raises(InvalidTransition):
        call(wx_staff, pending)
    assert StatusChange.objects.count() == before
    pending.refresh_from_db()
    assert pending.status == status


def test_the_transition_table_allows_only_the_documented_moves():
    assert services.TRANSITIONS[S.PENDING] == {S.ACTIVE, S.REJECTED}
    assert services.TRANSITIONS[S.ACTIVE] == {S.SUSPENDED, S.EXITED}
    assert services.TRANSITIONS[S.SUSPENDED] == {S.ACTIVE, S.EXITED}
    assert services.TRANSITIONS[S.REJECTED] == {S.PENDING}
    assert services.TRANSITIONS[S.EXITED] == {S.PENDING}


def test_status_changes_refresh_the_search_index(
    active, offering, wx_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.institution_suspend(actor=wx_staff, institution=active, reason="整改")
    assert not SearchDocument.objects.filter(kind=DocKind.OFFERING, object_id=offering.pk)
    assert not SearchDocument.objects.filter(kind=DocKind.INSTITUTION, object_id=active.pk)

    with django_capture_on_commit_callbacks(execute=True):
        services.institution_reinstate(actor=wx_staff, institution=active)
    assert SearchDocument.objects.filter(kind=DocKind.OFFERING, object_id=offering.pk).exists()
    assert SearchDocument.objects.filter(kind=DocKind.INSTITUTION, object_id=active.pk).exists()


# --- qualifications after onboarding ------------------------------------------------------


def test_a_member_adds_a_certificate_after_onboarding(member, active):
    added = services.qualification_add(
        actor=member,
        institution=active,
        data=qualification(kind=QualificationKind.CNAS, number="CNAS L5678", scan=png()),
    )

    assert added.institution == active
    assert added.scan.owner == member
    assert AuditEvent.objects.filter(action="institutions.qualification_add").exists()


def test_someone_else_cannot_add_a_certificate(other_owner, active, wx_staff):
    for outsider in (other_owner, wx_staff):
        with pytest.raises(NotInstitutionMember):
            services.qualification_add(
                actor=outsider, institution=active, data=qualification(number="Z-9")
            )
    assert active.qualifications.count() == 1


def test_certificates_are_added_only_once_onboarded(owner, pending):
    with pytest.raises(InvalidTransition):
        services.qualification_add(
            actor=owner, institution=pending, data=qualification(number="Z-9")
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"number": "241012340567"}, "number"),  # already registered
        ({"valid_to": dt.date(2021, 1, 1), "valid_from": dt.date(2018, 1, 1)}, "valid_to"),
        ({"valid_from": dt.date(2030, 1, 2), "valid_to": dt.date(2030, 1, 1)}, "valid_to"),
    ],
)
def test_a_bad_added_certificate_is_refused_at_its_field(owner, active, overrides, field):
    with pytest.raises(FieldError) as error:
        services.qualification_add(actor=owner, institution=active, data=qualification(**overrides))
    assert error.value.field == field
    assert active.qualifications.count() == 1


def test_a_renewal_moves_the_offerings_to_the_new_certificate(owner, active, offering, cma):
    renewed = services.qualification_add(
        actor=owner,
        institution=active,
        data=qualification(number="251012340567", valid_to=today() + dt.timedelta(days=6 * 365)),
        replaces=cma,
    )

    offering.refresh_from_db()
    assert offering.qualification == renewed


def test_a_renewal_cannot_replace_another_institutions_certificate(owner, active, other_active):
    with pytest.raises(NotFound):
        services.qualification_add(
            actor=owner,
            institution=active,
            data=qualification(number="Z-9"),
            replaces=other_active.qualifications.get(),
        )
    assert not Qualification.objects.filter(number="Z-9").exists()


# --- expiry warnings (WX 7.1.2, SPEC §3.3) --------------------------------------------------


def _expire_in(certificate, days, *, on):
    Qualification.objects.filter(pk=certificate.pk).update(valid_to=on + dt.timedelta(days=days))


@pytest.mark.clause("WX 7.1.2")
def test_a_certificate_ending_within_30_days_warns_once(
    owner, member, active, cma, wx_staff, lz_staff
):
    day = today()
    _expire_in(cma, 20, on=day)
    far = services.qualification_add(
        actor=owner, institution=active, data=qualification(number="FAR-1")
    )
    _expire_in(far, 31, on=day)

    assert services.qualifications_warn_expiring(today=day) == 1
    assert services.qualifications_warn_expiring(today=day) == 0

    cma.refresh_from_db()
    far.refresh_from_db()
    assert cma.expiry_warned_at is not None
    assert far.expiry_warned_at is None
    warned = Notification.objects.filter(kind="institutions.qualification_expiring")
    assert set(warned.values_list("recipient", flat=True)) == {owner.pk, member.pk, wx_staff.pk}
    assert cma.number in warned.first().title
    assert AuditEvent.objects.filter(action="institutions.qualification_warn").count() == 1


def test_the_daily_check_follows_the_clock(owner, active, cma):
    _expire_in(cma, 45, on=today())
    assert services.qualifications_warn_expiring() == 0

    with time_machine.travel(timezone.now() + dt.timedelta(days=16)):
        assert services.qualifications_warn_expiring() == 1


def test_suspended_institutions_are_warned_but_exited_ones_are_not(active, cma, wx_staff):
    _expire_in(cma, 10, on=today())
    services.institution_exit(actor=wx_staff, institution=active, reason="退出")

    assert services.qualifications_warn_expiring(today=today()) == 0


def test_the_check_reindexes_offerings_whose_certificate_expired(
    offering, cma, django_capture_on_commit_callbacks
):
    yesterday = today() - dt.timedelta(days=1)
    Qualification.objects.filter(pk=cma.pk).update(
        valid_from=yesterday - dt.timedelta(days=300), valid_to=yesterday
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.qualifications_warn_expiring(today=today())

    document = SearchDocument.objects.get(kind=DocKind.OFFERING, object_id=offering.pk)
    assert document.valid_until == yesterday
    assert offering not in selectors.active_offerings()


def test_the_command_and_the_task_run_the_check(active, cma, capsys):
    _expire_in(cma, 5, on=today())

    call_command("qualifications_check")
    assert "1" in capsys.readouterr().out
    assert tasks.qualifications_check.delay().get() == 0  # already warned


# --- offerings (SPEC §3.3) -------------------------------------------------------------------


def test_an_active_institution_publishes_an_offering(owner, active, subcategory, cma, station):
    item = ServiceItem.objects.create(
        category=subcategory,
        name="压力表检定",
        summary="s",
        conditions="c",
        fees="f",
        channel="offline",
        handled_by="h",
        status=ItemStatus.PUBLISHED,
    )

    offering = services.offering_create(
        actor=owner,
        institution=active,
        data=offering_input(
            subcategory, qualification=cma, service_item=item, stations=[station], online=True
        ),
    )

    assert offering.status == OfferingStatus.PUBLISHED
    assert list(offering.stations.all()) == [station]
    assert offering.service_item == item
    assert AuditEvent.objects.filter(action="institutions.offering_create").exists()
    assert offering in selectors.active_offerings()


def test_the_covering_certificate_must_be_our_own(owner, active, other_active, subcategory):
    theirs = other_active.qualifications.get()
    with pytest.raises(FieldError) as error:
        services.offering_create(
            actor=owner, institution=active, data=offering_input(subcategory, qualification=theirs)
        )
    assert error.value.field == "qualification"


def test_an_expired_covering_certificate_is_refused(owner, active, subcategory, cma):
    Qualification.objects.filter(pk=cma.pk).update(
        valid_from=dt.date(2020, 1, 1), valid_to=today() - dt.timedelta(days=1)
    )
    cma.refresh_from_db()

    with pytest.raises(FieldError) as error:
        services.offering_create(
            actor=owner, institution=active, data=offering_input(subcategory, qualification=cma)
        )
    assert error.value.field == "qualification"
    assert "expired" in str(error.value.message) or "过期" in str(error.value.message)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"price_min": Decimal("200"), "price_max": Decimal("100")}, "price_max"),
        ({"price_min": Decimal("-1")}, "price_min"),
        ({"price_min": None, "price_max": None, "price_note": ""}, "price_min"),
        ({"turnaround_working_days": 0}, "turnaround_working_days"),
        ({"turnaround_working_days": 366}, "turnaround_working_days"),
        ({"name": " "}, "name"),
        ({"scope": ""}, "scope"),
        ({"online": False, "at_lab": False, "stations": []}, "online"),
    ],
)
def test_bad_offerings_are_refused_at_their_field(owner, active, subcategory, overrides, field):
    with pytest.raises(FieldError) as error:
        services.offering_create(
            actor=owner, institution=active, data=offering_input(subcategory, **overrides)
        )
    assert error.value.field == field
    assert not active.offerings.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"price_min": None, "price_max": None, "price_note": "按样品数量另行报价"},
        {"price_min": Decimal("0"), "price_max": None},
        {"turnaround_working_days": 1},
        {"turnaround_working_days": 365},
        {"online": True, "at_lab": False},
    ],
)
def test_boundary_offerings_are_accepted(owner, active, subcategory, overrides):
    services.offering_create(
        actor=owner, institution=active, data=offering_input(subcategory, **overrides)
    )
    assert active.offerings.count() == 1


def test_a_closed_station_cannot_be_chosen(owner, active, subcategory, station):
    station.status = StationStatus.CLOSED
    station.save()
    with pytest.raises(FieldError) as error:
        services.offering_create(
            actor=owner, institution=active, data=offering_input(subcategory, stations=[station])
        )
    assert error.value.field == "stations"


def test_the_catalog_service_must_be_published_and_of_the_category(
    owner, active, subcategory, categories
):
    draft = ServiceItem.objects.create(
        category=subcategory,
        name="草稿",
        summary="s",
        conditions="c",
        fees="f",
        channel="online",
        handled_by="h",
        status=ItemStatus.DRAFT,
    )
    elsewhere = ServiceItem.objects.create(
        category=categories["metrology"],
        name="计量",
        summary="s",
        conditions="c",
        fees="f",
        channel="online",
        handled_by="h",
        status=ItemStatus.PUBLISHED,
    )
    for item in (draft, elsewhere):
        with pytest.raises(FieldError) as error:
            services.offering_create(
                actor=owner, institution=active, data=offering_input(subcategory, service_item=item)
            )
        assert error.value.field == "service_item"


def test_another_institution_cannot_edit_or_withdraw_our_offering(
    other_owner, other_active, offering, subcategory
):
    with pytest.raises(NotInstitutionMember):
        services.offering_update(
            actor=other_owner, offering=offering, data=offering_input(subcategory, name="篡改")
        )
    with pytest.raises(NotInstitutionMember):
        services.offering_withdraw(actor=other_owner, offering=offering)
    offering.refresh_from_db()
    assert offering.name == "压力表校准"
    assert offering.status == OfferingStatus.PUBLISHED


@pytest.mark.parametrize("status", [S.SUSPENDED, S.EXITED])
def test_a_suspended_or_exited_institution_cannot_change_offerings(
    owner, active, offering, subcategory, wx_staff, status
):
    if status == S.SUSPENDED:
        services.institution_suspend(actor=wx_staff, institution=active, reason="整改")
    else:
        services.institution_exit(actor=wx_staff, institution=active, reason="退出")

    with pytest.raises(InvalidTransition):
        services.offering_create(actor=owner, institution=active, data=offering_input(subcategory))
    with pytest.raises(InvalidTransition):
        services.offering_update(
            actor=owner, offering=offering, data=offering_input(subcategory, name="新名称")
        )
    offering.refresh_from_db()
    assert offering.name == "压力表校准"
    assert offering not in selectors.active_offerings()


def test_an_offering_is_withdrawn_and_published_again(owner, offering):
    services.offering_withdraw(actor=owner, offering=offering)
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.WITHDRAWN
    assert offering not in selectors.active_offerings()
    with pytest.raises(InvalidTransition):
        services.offering_withdraw(actor=owner, offering=offering)

    services.offering_publish(actor=owner, offering=offering)
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.PUBLISHED


def test_an_edit_reaches_the_search_index(
    owner, offering, subcategory, cma, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.offering_update(
            actor=owner,
            offering=offering,
            data=offering_input(subcategory, qualification=cma, name="精密压力表校准"),
        )
    document = SearchDocument.objects.get(kind=DocKind.OFFERING, object_id=offering.pk)
    assert document.title == "精密压力表校准"
    assert document.valid_until == cma.valid_to


# --- selectors other modules use -----------------------------------------------------------


def test_institution_for_user_is_the_institution_of_ones_enterprise(
    owner, member, other_owner, individual, active
):
    assert selectors.institution_for_user(owner) == active
    assert selectors.institution_for_user(member) == active
    assert selectors.institution_for_user(other_owner) is None
    assert selectors.institution_for_user(individual) is None
    member.memberships.update(removed_at=timezone.now())
    assert selectors.institution_for_user(member) is None


def test_center_staff_over_a_region_are_those_of_its_city_and_above(
    wx_staff, lz_staff, make_user, regions
):
    district = make_user("center_staff", "320281", kind="staff")
    found = set(selectors.center_staff_over(regions["320281"]))
    assert found == {wx_staff, district}
    assert set(selectors.center_staff_over(regions["320200"])) == {wx_staff}

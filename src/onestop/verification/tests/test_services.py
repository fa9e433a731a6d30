import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError
from onestop.core.models import SlaClock, SlaOutcome
from onestop.core.selectors import sla_clocks_breached
from onestop.core.workdays import TZ
from onestop.documents.models import Document
from onestop.enterprises.models import Enterprise, EnterpriseStatus, NameChange
from onestop.verification import services
from onestop.verification.models import Application, ApplicationStatus, Identity, RejectReason
from onestop.verification.selectors import changed_documents, submitted_fields
from onestop.verification.tests.conftest import OTHER_USCC, VALID_ID, VALID_USCC, png


def _details(regions, **overrides):
    fields = {
        "name": "江阴示范精密机械有限公司",
        "uscc": VALID_USCC,
        "legal_representative": "周磊",
        "address": "江阴市澄江街道示范路1号",
        "region": regions["320281"],
        "industry": "通用设备制造业",
        **overrides,
    }
    return services.EnterpriseDetails(**fields)


def _submit_enterprise(user, regions, **overrides):
    return services.application_submit_enterprise(
        user=user,
        details=_details(regions, **overrides),
        licence=png(),
        qualification=png(),
        pledge=png(),
    )


@pytest.mark.clause("WX 7.1.1.3")
def test_individual_submits_name_id_and_scan(individual):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    assert application.status == ApplicationStatus.SUBMITTED
    revision = application.revisions.get()
    assert [d.kind for d in revision.documents.all()] == ["id_card"]
    assert AuditEvent.objects.filter(action="verification.submit").exists()
    assert application.events.get().to_status == ApplicationStatus.SUBMITTED


@pytest.mark.clause("WX 7.1.1.2")
@pytest.mark.parametrize("bad", ["110105194912310021", "12345", "11010519491231002<"])
def test_a_wrong_check_digit_is_refused_and_nothing_is_stored(individual, bad):
    with pytest.raises(InvalidInput):
        services.application_submit_individual(
            user=individual, real_name="赵明", id_number=bad, id_card=png()
        )

    assert not Application.objects.exists()
    assert not Document.objects.exists()


def test_names_with_markup_are_refused(individual):
    with pytest.raises(InvalidInput):
        services.application_submit_individual(
            user=individual, real_name="<script>x</script>", id_number=VALID_ID, id_card=png()
        )


@pytest.mark.clause("HM 6.3")
def test_the_id_number_is_encrypted_at_rest(individual):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT payload FROM verification_applicationrevision WHERE application_id = %s",
            [application.pk],
        )
        raw = cursor.fetchone()[0]
    assert VALID_ID not in raw
    assert "赵明" not in raw


@pytest.mark.clause("WX 7.1.1.5")
def test_review_is_due_at_the_end_of_the_third_working_day_and_breaches_after(individual, reviewer):
    # Submitted the day before the 2026 National Day holiday (1–7 Oct);
    # Oct 8, 9 and the adjusted Saturday Oct 10 are the three working days.
    with time_machine.travel(dt.datetime(2026, 9, 30, 10, tzinfo=TZ), tick=False):
        application = services.application_submit_individual(
            user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
        )
    clock = SlaClock.objects.get(kind=services.SLA_KIND)

    assert clock.due_at == dt.datetime(2026, 10, 11, 0, 0, tzinfo=TZ)
    assert not sla_clocks_breached(
        user=reviewer, now=dt.datetime(2026, 10, 10, 23, 59, tzinfo=TZ)
    ).exists()
    assert list(
        sla_clocks_breached(user=reviewer, now=dt.datetime(2026, 10, 11, 0, 1, tzinfo=TZ))
    ) == [clock]
    assert clock.subject == application


@pytest.mark.clause("WX 7.1.1.5")
def test_reject_with_reasons_then_resubmit_shows_what_changed(individual, reviewer):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    services.application_reject(
        reviewer=reviewer,
        application=application,
        reasons=[RejectReason.SCAN_UNREADABLE],
        note="背面缺失",
    )
    resubmitted = services.application_submit_individual(
        user=individual, real_name="赵明明", id_number=VALID_ID, id_card=None
    )

    assert resubmitted.pk == application.pk
    assert resubmitted.status == ApplicationStatus.SUBMITTED
    rows = {row.key: row for row in submitted_fields(resubmitted, unmasked=True)}
    assert rows["real_name"].changed
    assert rows["real_name"].previous == "赵明"
    assert not rows["id_number"].changed
    assert changed_documents(resubmitted) == set()  # the scan was kept, not replaced
    assert [e.to_status for e in resubmitted.events.all()] == ["submitted", "rejected", "submitted"]
    assert SlaClock.objects.filter(kind=services.SLA_KIND).count() == 2
    assert SlaClock.objects.filter(outcome=SlaOutcome.MET).count() == 1


def test_reject_needs_a_known_reason_and_a_note_for_other(individual, reviewer):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    for reasons, note in [([], ""), (["nonsense"], ""), ([RejectReason.OTHER], "")]:
        with pytest.raises(InvalidInput):
            services.application_reject(
                reviewer=reviewer, application=application, reasons=reasons, note=note
            )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_approval_keeps_the_identity_in_the_back_office(individual, reviewer):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    services.application_approve(reviewer=reviewer, application=application)

    identity = Identity.objects.get(user=individual)
    assert identity.id_number == VALID_ID
    assert individual.display_name != "赵明"
    with pytest.raises(InvalidTransition):
        services.application_approve(reviewer=reviewer, application=application)
    with pytest.raises(services.AlreadyVerified):
        services.application_submit_individual(
            user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
        )


def test_masked_fields_for_readers_without_personal_data_rights(individual):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    rows = {row.key: row.value for row in submitted_fields(application, unmasked=False)}

    assert rows == {"real_name": "赵*", "id_number": "1101**********002X"}


def test_a_reviewer_of_another_region_cannot_decide(individual, reviewer_wx):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    with pytest.raises(PermissionDeniedError):
        services.application_approve(reviewer=reviewer_wx, application=application)


def test_a_second_submission_while_under_review_is_refused(individual):
    services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    with pytest.raises(services.AlreadyUnderReview):
        services.application_submit_individual(
            user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
        )


@pytest.mark.clause("WX 7.1.1.4")
def test_enterprise_submits_licence_qualification_and_pledge(enterprise_user, regions):
    application = _submit_enterprise(enterprise_user, regions)

    enterprise = Enterprise.objects.get()
    assert enterprise.status == EnterpriseStatus.PENDING
    assert enterprise.memberships.get().user == enterprise_user
    kinds = sorted(d.kind for d in application.revisions.get().documents.all())
    assert kinds == ["business_licence", "integrity_pledge", "qualification_certificate"]


@pytest.mark.clause("WX 7.1.1.4")
def test_enterprise_uscc_check_and_uniqueness(enterprise_user, make_user, regions):
    with pytest.raises(InvalidInput):
        _submit_enterprise(enterprise_user, regions, uscc="91320281MA1X2Y3W4A")
    assert not Enterprise.objects.exists()
    _submit_enterprise(enterprise_user, regions)
    other = make_user("enterprise", "320281", kind="enterprise")

    with pytest.raises(InvalidInput):
        _submit_enterprise(other, regions)
    second = _submit_enterprise(other, regions, uscc=OTHER_USCC)
    assert second.enterprise.uscc == OTHER_USCC


def _verified_enterprise(user, regions):
    reviewer = _wx_reviewer()
    application = _submit_enterprise(user, regions)
    services.application_approve(reviewer=reviewer, application=application)
    return Enterprise.objects.get(pk=application.enterprise_id), reviewer


def _wx_reviewer():
    from onestop.accounts.models import Role, User
    from onestop.accounts.services import role_grant
    from onestop.regions.models import Region

    user = User.objects.create_user(username="wx-reviewer", password="x")
    role_grant(
        actor=None, user=user, role=Role.CENTER_STAFF, region=Region.objects.get(code="320200")
    )
    return user


@pytest.mark.clause("WX 7.1.1.6")
@pytest.mark.parametrize(("days_ago", "late"), [(20, False), (40, True)])
def test_name_change_within_a_month_or_flagged_late(enterprise_user, regions, days_ago, late):
    enterprise, reviewer = _verified_enterprise(enterprise_user, regions)
    changed_on = timezone.localdate() - dt.timedelta(days=days_ago)

    application = services.application_submit_name_change(
        user=enterprise_user,
        enterprise=enterprise,
        new_name="江阴新名精密机械有限公司",
        changed_on=changed_on,
        licence=png(),
    )
    services.application_approve(reviewer=reviewer, application=application)

    enterprise.refresh_from_db()
    assert enterprise.name == "江阴新名精密机械有限公司"
    history = NameChange.objects.get()
    assert (history.old_name, history.late) == ("江阴示范精密机械有限公司", late)
    assert application.late_report is late


def test_name_change_refuses_future_dates_members_and_unverified(
    enterprise_user, make_user, regions
):
    from onestop.enterprises.models import MemberRole, Membership

    application = _submit_enterprise(enterprise_user, regions)
    enterprise = application.enterprise
    with pytest.raises(InvalidInput):  # not verified yet
        services.application_submit_name_change(
            user=enterprise_user,
            enterprise=enterprise,
            new_name="新名公司",
            changed_on=timezone.localdate(),
            licence=png(),
        )
    services.application_approve(reviewer=_wx_reviewer(), application=application)
    member = make_user("enterprise", "320281", kind="enterprise")
    Membership.objects.create(enterprise=enterprise, user=member, role=MemberRole.MEMBER)

    with pytest.raises(PermissionDeniedError):
        services.application_submit_name_change(
            user=member,
            enterprise=enterprise,
            new_name="新名公司",
            changed_on=timezone.localdate(),
            licence=png(),
        )
    with pytest.raises(InvalidInput):
        services.application_submit_name_change(
            user=enterprise_user,
            enterprise=enterprise,
            new_name="新名公司",
            changed_on=timezone.localdate() + dt.timedelta(days=1),
            licence=png(),
        )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 31), dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), dt.date(2028, 2, 29)),
        (dt.date(2026, 12, 15), dt.date(2027, 1, 15)),
        (dt.date(2026, 3, 31), dt.date(2026, 4, 30)),
    ],
)
def test_one_month_later(day, expected):
    assert services.add_one_month(day) == expected


def test_fields_are_shown_in_a_fixed_reading_order(individual):
    application = services.application_submit_individual(
        user=individual, real_name="赵明", id_number=VALID_ID, id_card=png()
    )

    keys = [row.key for row in submitted_fields(application, unmasked=True)]

    assert keys == ["real_name", "id_number"]

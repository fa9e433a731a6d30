"""Receiving complaints: online, registered by staff, from a follow-up (WX 7.4.2)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onestop.accounts.authz import NotAllowed
from onestop.audit.models import AuditEvent
from onestop.complaints import selectors, services
from onestop.complaints.models import (
    INVESTIGATION_CLOCK,
    Channel,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintStatus,
    Target,
)
from onestop.complaints.sms import complaint_sms_deliver
from onestop.complaints.tests.conftest import CUSTOMER_MOBILE, png, sh
from onestop.core.errors import InvalidInput, InvalidTransition, NotFound
from onestop.core.models import SlaClock
from onestop.core.sequences import next_value
from onestop.documents.errors import UploadRejected
from onestop.documents.models import Document
from onestop.institutions.models import InstitutionStatus
from onestop.notifications.models import Notification
from onestop.notifications.sms import MemorySmsGateway


@pytest.mark.clause("WX 7.4.2", "WX 7.4.3")
def test_a_user_files_a_complaint_numbered_and_on_a_7_working_day_clock(
    file, customer, institution, wx_center
):
    # When the customer complains about the Jiangyin institution
    complaint = file()

    # Then it is numbered TS-<year>-<6 digits>, received, in the institution's region
    assert complaint.number == "TS-2026-000001"
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.channel == Channel.ONLINE
    assert complaint.complainant == customer
    assert complaint.complainant_name == customer.display_name
    assert complaint.region == institution.region
    # and the investigation clock runs: 7 working days from Wednesday 18
    # November 2026 ends at 24:00 of Friday 27 November.
    clock = selectors.running_clock(complaint)
    assert clock.kind == INVESTIGATION_CLOCK
    assert clock.due_at == sh(2026, 11, 28, 0, 0)
    # and the first event, the audit row and the center's notice exist.
    assert [e.to_status for e in complaint.events.all()] == [ComplaintStatus.RECEIVED]
    assert AuditEvent.objects.filter(action="complaints.receive", object_id=complaint.pk).exists()
    assert Notification.objects.filter(recipient=wx_center, url=complaint.staff_url).exists()


def test_numbers_follow_the_year_sequence(file):
    # Given the sequence of 2026 already at 122
    for _ in range(122):
        next_value("complaint:2026")
    # When two more complaints are filed
    first, second = file(), file()
    # Then they continue it
    assert (first.number, second.number) == ("TS-2026-000123", "TS-2026-000124")


def test_the_year_of_the_number_is_the_year_in_china(file, time_machine):
    # 31 December 2025, 16:30 UTC is already 1 January 2026 in Shanghai.
    time_machine.move_to(sh(2026, 1, 1, 0, 30), tick=False)
    next_value("complaint:2025")
    assert file().number == "TS-2026-000001"


@pytest.mark.clause("WX 7.4.2")
def test_a_complaint_about_an_order_names_the_orders_institution(file, order, institution):
    complaint = file(target=Target.PLATFORM, institution_id=None, order=order)
    assert complaint.target == Target.INSTITUTION
    assert complaint.institution == institution
    assert complaint.order == order


def test_someone_elses_order_is_not_found(file, place, stranger, order):
    with pytest.raises(NotFound):
        file(user=stranger, order=order)
    assert Complaint.objects.count() == 0


@pytest.mark.clause("WX 7.4.2")
@pytest.mark.parametrize("status", [None, InstitutionStatus.PENDING, InstitutionStatus.REJECTED])
def test_a_complaint_about_an_institution_not_onboarded_is_refused_and_audited(
    file, institution, customer, status
):
    # Given an institution id that does not exist, or one never onboarded
    institution_id = institution.pk + 1000
    if status is not None:
        institution.status = status
        institution.save(update_fields=["status"])
        institution_id = institution.pk

    # When the customer complains about it
    with pytest.raises(services.ComplaintRefused) as refused:
        file(institution_id=institution_id)

    # Then a clear error on the institution field, nothing stored, the attempt audited
    assert refused.value.field == "institution"
    assert refused.value.status == 400
    assert Complaint.objects.count() == 0
    assert SlaClock.objects.count() == 0
    attempt = AuditEvent.objects.get(action="complaints.refused")
    assert attempt.actor_id == customer.pk
    assert attempt.changes["institution"] == institution_id


def test_a_closed_or_unknown_station_is_refused(file, station):
    station.status = "closed"
    station.save(update_fields=["status"])
    with pytest.raises(services.ComplaintRefused):
        file(target=Target.STATION, institution_id=None, station_id=station.pk)
    assert Complaint.objects.count() == 0


@pytest.mark.clause("WX 7.4.2")
def test_3_mb_of_content_is_refused_before_any_database_write(file, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(InvalidInput) as refused:
        file(content="投" * (3 * 1024 * 1024))
    assert refused.value.field == "content"


@pytest.mark.parametrize(
    ("field", "value"), [("content", "x" * 5001), ("request", "x" * 2001), ("content", "  ")]
)
def test_content_and_request_have_limits(file, field, value):
    with pytest.raises(InvalidInput) as refused:
        file(**{field: value})
    assert refused.value.field == field
    assert Complaint.objects.count() == 0


def test_a_complaint_about_the_platform_is_handled_in_the_complainants_region(file, customer):
    complaint = file(target=Target.PLATFORM, institution_id=None)
    assert complaint.target == Target.PLATFORM
    assert complaint.institution is None
    assert complaint.region.code == "320281"


def test_attachments_are_kept_privately_for_the_complainant(file, customer):
    complaint = file(attachments=[png("receipt.png"), png("photo.png")])
    files = list(ComplaintAttachment.objects.filter(complaint=complaint))
    assert len(files) == 2
    assert {a.document.owner_id for a in files} == {customer.pk}
    assert {a.document.region_id for a in files} == {complaint.region_id}


def test_a_file_that_is_not_pdf_jpeg_or_png_stores_no_complaint(file):
    script = SimpleUploadedFile("x.png", b"#!/bin/sh\necho hi\n", content_type="image/png")
    with pytest.raises(UploadRejected) as refused:
        file(attachments=[script])
    assert refused.value.field == "attachments"
    assert Complaint.objects.count() == 0
    assert Document.objects.count() == 0


def test_at_most_five_files(file):
    with pytest.raises(InvalidInput):
        file(attachments=[png(f"{i}.png") for i in range(6)])


# --- registered by staff -------------------------------------------------------------------


@pytest.mark.clause("WX 7.4.2")
def test_station_staff_register_a_complaint_for_a_registered_user_found_by_mobile(
    jy_station_staff, station, with_mobile, institution
):
    complaint = services.complaint_register(
        actor=jy_station_staff,
        channel=Channel.STATION,
        received_at_station=station,
        complainant=with_mobile,
        target=Target.INSTITUTION,
        institution_id=institution.pk,
        complaint_type="fees",
        content="检定收费与公示价格不一致。",
        request="退还多收费用。",
    )
    assert complaint.registered_by == jy_station_staff
    assert complaint.received_at_station == station
    assert complaint.complainant == with_mobile
    assert complaint.complainant_phone == CUSTOMER_MOBILE
    # The complainant is told the number in their inbox.
    assert Notification.objects.filter(recipient=with_mobile, title__contains=complaint.number)
    assert AuditEvent.objects.filter(action="complaints.register").count() == 1


@pytest.mark.clause("WX 7.4.2")
def test_a_phone_complaint_of_someone_without_an_account_texts_them_the_number(
    wx_center, institution, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.complaint_register(
            actor=wx_center,
            channel=Channel.PHONE,
            complainant_name="顾先生",
            complainant_phone="139 0000 0051",
            target=Target.INSTITUTION,
            institution_id=institution.pk,
            complaint_type="attitude",
            content="窗口人员态度生硬。",
            request="改进服务态度。",
        )
    assert complaint.complainant is None
    assert [(s.mobile, complaint.number in s.text) for s in MemorySmsGateway.outbox] == [
        ("13900000051", True)
    ]
    # Sent once: the event is marked, and a second run of the task sends nothing.
    event = ComplaintEvent.objects.get(complaint=complaint)
    assert event.sms_sent_at is not None
    assert complaint_sms_deliver(event_id=event.pk) is False
    assert len(MemorySmsGateway.outbox) == 1


def test_without_an_account_the_phone_is_required(wx_center, institution):
    with pytest.raises(InvalidInput) as refused:
        services.complaint_register(
            actor=wx_center,
            channel=Channel.LETTER,
            complainant_name="张女士",
            target=Target.INSTITUTION,
            institution_id=institution.pk,
            complaint_type="other",
            content="内容",
            request="诉求",
        )
    assert refused.value.field == "complainant_phone"


def test_station_staff_register_only_at_their_own_station(
    scoped_station_staff, station, other_station, institution
):
    values = {
        "actor": scoped_station_staff,
        "channel": Channel.STATION,
        "complainant_name": "顾先生",
        "complainant_phone": "13900000051",
        "target": Target.INSTITUTION,
        "institution_id": institution.pk,
        "complaint_type": "other",
        "content": "内容",
        "request": "诉求",
    }
    # At another station: refused.
    with pytest.raises(NotAllowed):
        services.complaint_register(received_at_station=other_station, **values)
    # A phone complaint without naming their station: refused too (their
    # grant covers one station, not the region).
    with pytest.raises(NotAllowed):
        services.complaint_register(**{**values, "channel": Channel.PHONE})
    # At their own station: registered.
    complaint = services.complaint_register(received_at_station=station, **values)
    assert complaint.received_at_station == station
    assert Complaint.objects.count() == 1


def test_staff_of_another_region_register_no_phone_complaint_there(lz_center, institution):
    with pytest.raises(NotAllowed):
        services.complaint_register(
            actor=lz_center,
            channel=Channel.PHONE,
            complainant_name="顾先生",
            complainant_phone="13900000051",
            target=Target.INSTITUTION,
            institution_id=institution.pk,
            complaint_type="other",
            content="内容",
            request="诉求",
        )


def test_a_refused_registration_is_audited(wx_center, institution):
    with pytest.raises(services.ComplaintRefused):
        services.complaint_register(
            actor=wx_center,
            channel=Channel.PHONE,
            complainant_name="顾先生",
            complainant_phone="13900000051",
            target=Target.INSTITUTION,
            institution_id=institution.pk + 99,
            complaint_type="other",
            content="内容",
            request="诉求",
        )
    assert AuditEvent.objects.get(action="complaints.refused").changes["channel"] == "phone"


def test_users_cannot_register_complaints_for_others(customer, institution):
    with pytest.raises(NotAllowed):
        services.complaint_register(
            actor=customer,
            channel=Channel.PHONE,
            complainant_name="顾先生",
            complainant_phone="13900000051",
            target=Target.PLATFORM,
            complaint_type="other",
            content="内容",
            request="诉求",
        )


# --- from a follow-up --------------------------------------------------------------------


def _follow_up(order, actor, issues_action="complaint"):
    from onestop.fieldwork.services.follow_ups import follow_up_record, follow_up_schedule

    follow_up = follow_up_schedule(order=order)
    return follow_up_record(
        actor=actor,
        follow_up=follow_up,
        method="phone",
        content="电话回访赵先生。",
        outcome="希望机构说明延误原因。",
        issues_found="证书延误 5 个工作日，机构未主动告知。",
        issues_action=issues_action,
    )


@pytest.mark.clause("WX 7.4.2")
def test_a_follow_up_passed_on_as_a_complaint_becomes_one_once(order, wx_center, customer):
    follow_up = _follow_up(order, wx_center)
    complaint = services.complaint_from_follow_up(actor=wx_center, follow_up=follow_up)
    assert complaint.follow_up == follow_up
    assert complaint.complainant == customer
    assert complaint.order == order
    assert complaint.institution == order.institution
    assert complaint.channel == Channel.PHONE
    assert complaint.content == follow_up.issues_found
    assert complaint.request == follow_up.outcome
    assert complaint.registered_by == wx_center
    # Again: the same complaint.
    assert services.complaint_from_follow_up(actor=wx_center, follow_up=follow_up) == complaint
    assert Complaint.objects.count() == 1


def test_a_follow_up_without_complaint_issues_is_not_one(order, wx_center):
    follow_up = _follow_up(order, wx_center, issues_action="")
    with pytest.raises(InvalidTransition):
        services.complaint_from_follow_up(actor=wx_center, follow_up=follow_up)


# --- lists for the archive and statistics --------------------------------------------------


def test_complaints_of_a_user_and_of_an_enterprise(
    file, customer, buyer, buyer_enterprise, django_assert_num_queries
):
    mine = file()
    theirs = file(user=buyer, enterprise=buyer_enterprise)
    with django_assert_num_queries(1):
        assert [c.institution.name for c in selectors.complaints_of_user(customer)] == [
            mine.institution.name
        ]
    with django_assert_num_queries(1):
        assert list(selectors.complaints_of_enterprise(buyer_enterprise)) == [theirs]


def test_an_enterprise_the_user_does_not_belong_to_is_not_found(file, buyer_enterprise):
    with pytest.raises(NotFound):
        file(enterprise=buyer_enterprise)

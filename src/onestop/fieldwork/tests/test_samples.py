"""Samples through a station (WX 5.2 a 1, HM 4.2.4.3): received, sent,
confirmed or rejected, reported on, handed out against a pick-up code; one
chain of custody."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.accounts.authz import NotAllowed
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.documents.models import Document
from onestop.fieldwork import rules, selectors, services
from onestop.fieldwork.models import Sample, SampleEvent, SampleStatus
from onestop.fieldwork.tests.conftest import last_code, make_order, png
from onestop.notifications.models import Delivery, Notification
from onestop.orders.models import OrderStatus

pytestmark = [pytest.mark.clause("WX 5.2a"), pytest.mark.clause("HM 4.2.4.3")]


def receive(world, **fields) -> Sample:
    values = {
        "actor": world.staff,
        "station": world.station,
        "order": world.order,
        "description": "一般压力表",
        "quantity": "5 只",
        "condition": "外观完好，铅封完整",
    }
    values.update(fields)
    return services.sample_receive(**values)


def sent(world) -> Sample:
    sample = receive(world)
    return services.sample_send(
        actor=world.staff, sample=sample, carrier="顺丰速运", tracking_number="SF1234567890"
    )


def at_institution(world) -> Sample:
    return services.sample_confirm_receipt(actor=world.inst_person, sample=sent(world))


def report_ready(world) -> Sample:
    return services.sample_report_upload(
        actor=world.inst_person, sample=at_institution(world), report=png("report.png")
    )


def statuses(sample: Sample) -> list[str]:
    return list(sample.events.order_by("at", "id").values_list("to_status", flat=True))


def test_receiving_numbers_the_sample_and_tells_the_user(world):
    sample = receive(world, photo=png())

    assert sample.number == "YP2026111800001"
    assert receive(world).number == "YP2026111800002"
    assert sample.status == SampleStatus.AT_STATION
    assert isinstance(sample.photo, Document)
    assert statuses(sample) == [SampleStatus.AT_STATION]
    assert sample.events.get().actor == world.staff
    note = Notification.objects.filter(recipient=world.user, kind="fieldwork.sample_received")
    assert note.count() == 2
    assert AuditEvent.objects.filter(action="fieldwork.sample_receive").count() == 2
    assert [s.number for s in selectors.samples_of_order(world.order)] == [
        "YP2026111800001",
        "YP2026111800002",
    ]


def test_the_whole_chain_of_custody_is_one_ordered_list(world):
    sample = report_ready(world)
    services.sample_hand_out(actor=world.staff, sample=sample, code=last_code(world.user))

    events = list(SampleEvent.objects.filter(sample=sample).order_by("at", "id"))
    assert [e.to_status for e in events] == [
        SampleStatus.AT_STATION,
        SampleStatus.IN_TRANSIT,
        SampleStatus.AT_INSTITUTION,
        SampleStatus.REPORT_READY,
        SampleStatus.HANDED_OUT,
    ]
    assert [e.from_status for e in events[1:]] == [e.to_status for e in events[:-1]]
    assert [e.actor for e in events] == [
        world.staff,
        world.staff,
        world.inst_person,
        world.inst_person,
        world.staff,
    ]
    assert "SF1234567890" in events[1].note


def test_sending_tells_the_user_and_the_institution(world):
    sample = sent(world)

    assert sample.status == SampleStatus.IN_TRANSIT
    assert (sample.carrier, sample.tracking_number) == ("顺丰速运", "SF1234567890")
    assert Notification.objects.filter(recipient=world.user, kind="fieldwork.sample_sent").exists()
    to_lab = Notification.objects.get(recipient=world.inst_person, kind="fieldwork.sample_sent")
    assert to_lab.url == f"/fieldwork/institution/samples/{sample.pk}/"


def test_sending_needs_carrier_and_tracking_number_and_happens_once(world):
    sample = receive(world)
    with pytest.raises(InvalidInput) as caught:
        services.sample_send(actor=world.staff, sample=sample, carrier="顺丰", tracking_number=" ")
    assert caught.value.field == "tracking_number"
    services.sample_send(actor=world.staff, sample=sample, carrier="顺丰", tracking_number="SF1")
    with pytest.raises(InvalidTransition):
        services.sample_send(
            actor=world.staff, sample=sample, carrier="顺丰", tracking_number="SF2"
        )
    assert statuses(sample) == [SampleStatus.AT_STATION, SampleStatus.IN_TRANSIT]


def test_only_staff_of_the_station_handle_its_samples(world):
    with pytest.raises(NotAllowed):
        receive(world, actor=world.staff2)
    with pytest.raises(NotAllowed):
        receive(world, actor=world.hm_center)
    sample = receive(world, actor=world.wx_center)  # the city's center covers the station
    with pytest.raises(NotAllowed):
        services.sample_send(actor=world.staff2, sample=sample, carrier="顺丰", tracking_number="1")
    assert Sample.objects.count() == 1


def test_an_order_elsewhere_only_when_the_station_handles_it_for_the_user(world, regions):
    far = make_order(world.user, world.offering, region=regions["450202"])
    with pytest.raises(NotAllowed):
        receive(world, order=far)
    far.proxy_station = world.station
    far.save()

    assert receive(world, order=far).order == far


@pytest.mark.parametrize("status", [OrderStatus.COMPLETED, OrderStatus.CANCELLED])
def test_no_samples_for_finished_orders(world, status):
    world.order.status = status
    world.order.save()
    with pytest.raises(InvalidTransition):
        receive(world)
    assert not Sample.objects.exists()


def test_missing_description_quantity_or_condition(world):
    for field in ("description", "quantity", "condition"):
        with pytest.raises(InvalidInput) as caught:
            receive(world, **{field: " "})
        assert caught.value.field == field
    assert not Sample.objects.exists()


def test_a_bad_photo_is_refused_on_its_field_and_nothing_is_kept(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.png", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/png")
    with pytest.raises(InvalidInput) as caught:
        receive(world, photo=bad)
    assert caught.value.field == "photo"
    assert not Sample.objects.exists()


def test_receipt_is_confirmed_once_by_the_institution_only(world):
    sample = sent(world)
    with pytest.raises(NotAllowed):
        services.sample_confirm_receipt(actor=world.other_inst_person, sample=sample)
    with pytest.raises(NotAllowed):
        services.sample_confirm_receipt(actor=world.staff, sample=sample)

    services.sample_confirm_receipt(actor=world.inst_person, sample=sample, note="已收到")
    with pytest.raises(InvalidTransition):
        services.sample_confirm_receipt(actor=world.inst_person, sample=sample)

    assert statuses(sample) == [
        SampleStatus.AT_STATION,
        SampleStatus.IN_TRANSIT,
        SampleStatus.AT_INSTITUTION,
    ]


def test_the_institution_rejects_with_a_reason(world):
    sample = sent(world)
    with pytest.raises(InvalidInput):
        services.sample_reject(actor=world.inst_person, sample=sample, reason="")
    services.sample_reject(actor=world.inst_person, sample=sample, reason="样品数量不足")

    sample.refresh_from_db()
    assert sample.status == SampleStatus.REJECTED
    assert sample.events.last().note == "样品数量不足"
    assert Notification.objects.filter(recipient=world.staff, kind="fieldwork.sample_rejected")
    assert Notification.objects.filter(recipient=world.user, kind="fieldwork.sample_rejected")
    with pytest.raises(InvalidTransition):
        services.sample_report_upload(actor=world.inst_person, sample=sample, report=png())


def test_a_report_cannot_come_before_the_sample_arrives(world):
    sample = sent(world)
    with pytest.raises(InvalidTransition):
        services.sample_report_upload(actor=world.inst_person, sample=sample, report=png())
    assert not Document.objects.exists()


def test_the_report_sends_a_six_digit_code_by_sms_and_keeps_only_a_hash(world):
    sample = report_ready(world)
    code = last_code(world.user)

    assert sample.status == SampleStatus.REPORT_READY
    assert len(code) == 6
    assert code.isdigit()
    assert sample.pickup_code_hash
    assert code not in sample.pickup_code_hash
    note = Notification.objects.get(recipient=world.user, kind="fieldwork.report_ready")
    assert Delivery.objects.filter(notification=note, channel="sms").exists()
    assert Notification.objects.filter(recipient=world.staff, kind="fieldwork.report_ready")
    # the code is in no audit row
    for event in AuditEvent.objects.all():
        assert code not in str(event.changes)


def test_hand_out_with_the_right_code_once(world):
    sample = report_ready(world)
    code = last_code(world.user)

    services.sample_hand_out(actor=world.staff, sample=sample, code=f" {code[:3]} {code[3:]} ")

    sample.refresh_from_db()
    assert sample.status == SampleStatus.HANDED_OUT
    assert sample.pickup_code_hash == ""
    with pytest.raises(InvalidTransition):
        services.sample_hand_out(actor=world.staff, sample=sample, code=code)
    assert sample.events.filter(to_status=SampleStatus.HANDED_OUT).count() == 1


def test_five_wrong_codes_lock_the_hand_out_for_fifteen_minutes(world, time_machine):
    sample = report_ready(world)
    code = last_code(world.user)
    wrong = "000000" if code != "000000" else "111111"

    for left in (4, 3, 2, 1):
        with pytest.raises(rules.WrongPickupCode) as caught:
            services.sample_hand_out(actor=world.staff, sample=sample, code=wrong)
        assert caught.value.params["left"] == left
    with pytest.raises(rules.PickupLocked):
        services.sample_hand_out(actor=world.staff, sample=sample, code=wrong)
    # locked: even the right code waits
    with pytest.raises(rules.PickupLocked) as caught:
        services.sample_hand_out(actor=world.staff, sample=sample, code=code)
    assert caught.value.status == 429
    sample.refresh_from_db()
    assert sample.status == SampleStatus.REPORT_READY
    assert sample.pickup_locked_until is not None
    assert AuditEvent.objects.filter(action="fieldwork.sample_pickup_failed").count() == 5

    time_machine.shift(dt.timedelta(minutes=16))
    services.sample_hand_out(actor=world.staff, sample=sample, code=code)
    sample.refresh_from_db()
    assert sample.status == SampleStatus.HANDED_OUT


def test_only_staff_of_the_station_hand_out(world):
    sample = report_ready(world)
    with pytest.raises(NotAllowed):
        services.sample_hand_out(actor=world.staff2, sample=sample, code=last_code(world.user))
    sample.refresh_from_db()
    assert sample.pickup_failures == 0


def test_a_new_code_replaces_the_old_one_but_not_the_wrong_tries(world):
    sample = report_ready(world)
    old = last_code(world.user)
    wrong = "000000" if old != "000000" else "111111"
    with pytest.raises(rules.WrongPickupCode):
        services.sample_hand_out(actor=world.staff, sample=sample, code=wrong)
    with pytest.raises(NotAllowed):
        services.sample_pickup_code_resend(user=world.other_user, sample=sample)

    services.sample_pickup_code_resend(user=world.user, sample=sample)
    new = last_code(world.user)

    sample.refresh_from_db()
    assert sample.pickup_failures == 1
    if new != old:
        with pytest.raises(rules.WrongPickupCode):
            services.sample_hand_out(actor=world.staff, sample=sample, code=old)
    services.sample_hand_out(actor=world.staff, sample=sample, code=new)


@pytest.mark.clause("HM 6.1")
def test_the_report_is_readable_by_the_enterprise_once_handed_out(world, make_user):
    from onestop.enterprises.models import Enterprise, EnterpriseStatus, Membership

    enterprise = Enterprise.objects.create(
        name="柳州某机械有限公司",
        uscc="91450202MA0000001X",  # not validated here; unique in this test
        legal_representative="刘强",
        address="柳州市某路2号",
        region=world.order.region,
        industry="机械制造",
        status=EnterpriseStatus.VERIFIED,
    )
    world.order.enterprise = enterprise
    world.order.save(update_fields=["enterprise"])
    colleague, stranger = make_user("enterprise", "450202"), make_user("enterprise", "450202")
    Membership.objects.create(enterprise=enterprise, user=colleague, role="member")
    sample = report_ready(world)
    report = sample.report

    assert not selectors.sample_document_readable(colleague, report)  # not handed out yet
    services.sample_hand_out(actor=world.staff, sample=sample, code=last_code(world.user))
    assert selectors.sample_document_readable(colleague, report)
    assert not selectors.sample_document_readable(stranger, report)

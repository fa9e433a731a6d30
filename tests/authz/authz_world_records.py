"""The victim's records in the matrix world (see authz_world): its demand
with a recommendation and a station's visit, a submitted and a completed
order, a complaint, two slots (one booked), a sample, a proxy task and a
follow-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from authz_world_parties import DISTRICT, VICTIM_MOBILE, Parties

from onestop.complaints.models import Complaint
from onestop.demands.models import Demand, Recommendation, Visit
from onestop.fieldwork.models import Appointment, FollowUp, ProxyTask, Sample, Slot
from onestop.orders.models import Order, OrderStatus
from onestop.regions.models import Region


@dataclass
class Records:
    """What later objects and the URLs' ids refer to."""

    demand: Demand
    recommendation: Recommendation
    visit: Visit
    order: Order
    done_order: Order
    complaint: Complaint
    slot: Slot
    appointment: Appointment
    sample: Sample
    task: ProxyTask
    follow_up: FollowUp


def build_records(
    regions: dict[str, Region], parties: Parties, now: dt.datetime, today: dt.date
) -> Records:
    district = regions[DISTRICT]
    victim_enterprise = parties.victim_enterprise
    owner = parties.owner
    institution = parties.institution
    category = parties.category
    offering = parties.offering
    station = parties.station
    station_staff = parties.station_staff
    center = parties.center

    # The victim's records.
    demand = Demand.objects.create(
        number="XQ2026111800001",
        requester=owner,
        enterprise=victim_enterprise,
        contact_name="周主任",
        # The number given for this demand, shown to those who handle it.
        contact_phone="13800138074",
        contact_method="phone",
        category=category,
        title="压力表校准需求",
        description="十只压力表需要校准",
        region=district,
        source="online",
        station=station,
    )
    recommendation = Recommendation.objects.create(
        demand=demand,
        offering=offering,
        institution=institution,
        recommended_by=center,
        recommended_at=now,
    )
    visit = Visit.objects.create(
        station=station,
        enterprise=victim_enterprise,
        visited_on=today,
        needs_found="需要校准",
        recorded_by=station_staff,
    )
    order = Order.objects.create(
        number="DD2026111800001",
        user=owner,
        enterprise=victim_enterprise,
        offering=offering,
        institution=institution,
        region=district,
        status=OrderStatus.SUBMITTED,
        description="校准压力表 10 只",
        contact_name="周主任",
    )
    done_order = Order.objects.create(
        number="DD2026111800002",
        user=owner,
        enterprise=victim_enterprise,
        offering=offering,
        institution=institution,
        region=district,
        status=OrderStatus.COMPLETED,
        description="校准压力表 5 只",
        contact_name="周主任",
        completed_at=now,
    )
    complaint = Complaint.objects.create(
        number="TS2026111800001",
        channel="online",
        complainant=owner,
        enterprise=victim_enterprise,
        complainant_name="周主任",
        complainant_phone=VICTIM_MOBILE,
        target="institution",
        institution=institution,
        order=done_order,
        region=district,
        type="quality",
        content="报告出错",
        request="重新出具",
        received_at=now,
    )
    slot = Slot.objects.create(
        station=station,
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=3, hours=1),
        purpose="visit",
        created_by=station_staff,
    )
    booked = Slot.objects.create(
        station=station,
        starts_at=now + dt.timedelta(days=4),
        ends_at=now + dt.timedelta(days=4, hours=1),
        purpose="visit",
        created_by=station_staff,
    )
    appointment = Appointment.objects.create(slot=booked, user=owner)
    sample = Sample.objects.create(
        order=order,
        station=station,
        number="YP2026111800001",
        description="压力表",
        quantity="10 只",
        condition="完好",
    )
    task = ProxyTask.objects.create(
        order=order,
        station=station,
        title="代办送检",
        due_at=now + dt.timedelta(days=2),
        created_by=station_staff,
    )
    follow_up = FollowUp.objects.create(
        order=done_order, region=district, station=station, due_on=today
    )
    return Records(
        demand=demand,
        recommendation=recommendation,
        visit=visit,
        order=order,
        done_order=done_order,
        complaint=complaint,
        slot=slot,
        appointment=appointment,
        sample=sample,
        task=task,
        follow_up=follow_up,
    )

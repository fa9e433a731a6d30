"""onestop gen-data (onestop.datagen): the generated data is consistent with
the models and the state machines, and the generator refuses to run twice or
in production."""

from __future__ import annotations

import io
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from onestop.audit import chain
from onestop.complaints import rules as complaint_rules
from onestop.complaints.models import Complaint, ComplaintEvent
from onestop.core.models import SlaClock
from onestop.datagen.run import AlreadyGenerated, RefusedInProduction, gen_data
from onestop.demands import rules as demand_rules
from onestop.demands.models import Demand, DemandEvent
from onestop.evaluations.models import Evaluation, RectificationCase
from onestop.evaluations.surveys import FIVE_LEVEL_CODE, HM_CODE
from onestop.institutions.models import Institution, InstitutionStatus
from onestop.orders import rules as order_rules
from onestop.orders.models import Order, OrderEvent, OrderStatus


def generate(**options: object) -> str:
    out = io.StringIO()
    gen_data(scale="xs", out=out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def replay_orders() -> Counter[str]:
    """Every order's events, in order, walk the state machine to its status."""
    events = defaultdict(list)
    for order_id, source, target in OrderEvent.objects.order_by("at", "id").values_list(
        "order_id", "from_status", "to_status"
    ):
        events[order_id].append((source, target))
    statuses: Counter[str] = Counter()
    for order in Order.objects.only("id", "status"):
        steps = events[order.id]
        assert steps[0] == ("", OrderStatus.SUBMITTED)
        current = OrderStatus.SUBMITTED
        for source, target in steps[1:]:
            assert source == current
            assert target in order_rules.TRANSITIONS[source], (order.id, source, target)
            current = target
        assert current == order.status
        statuses[order.status] += 1
    return statuses


def check_orders_and_numbers() -> None:
    statuses = replay_orders()
    assert sum(statuses.values()) == 300
    assert {OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.SUBMITTED} <= set(statuses)
    # One acceptance clock per order, stopped unless the order still awaits acceptance.
    clocks = SlaClock.objects.filter(kind="order_acceptance")
    assert clocks.count() == 300
    assert clocks.filter(stopped_at__isnull=True).count() == statuses[OrderStatus.SUBMITTED]
    for model in (Order, Demand, Complaint):
        numbers = list(model.objects.values_list("number", flat=True))
        assert len(numbers) == len(set(numbers)) > 0
    checked, broken = chain.verify()
    assert broken is None
    assert checked >= Order.objects.count() + Evaluation.objects.count()


def check_demands_and_complaints() -> None:
    for demand in Demand.objects.prefetch_related("events"):
        events = sorted(demand.events.all(), key=lambda e: (e.at, e.id))
        assert events[0].kind == "publish"
        current = events[0].to_status
        for event in events[1:]:
            assert current in demand_rules.TRANSITIONS[event.kind]
            assert event.from_status == current
            current = event.to_status
        assert current == demand.status
    assert DemandEvent.objects.values("demand").distinct().count() == 40
    assert len(set(Demand.objects.values_list("status", flat=True))) >= 4
    for complaint in Complaint.objects.prefetch_related("events"):
        current = ""
        for event in sorted(complaint.events.all(), key=lambda e: (e.at, e.id)):
            assert event.from_status == current
            assert current == "" or event.to_status in complaint_rules.TRANSITIONS[current]
            current = event.to_status
        assert current == complaint.status
    assert ComplaintEvent.objects.exists()


def check_evaluations() -> None:
    evaluations = Evaluation.objects.select_related("form", "region", "order")
    assert evaluations.count() > 0
    for evaluation in evaluations:
        hm = evaluation.region.effective_profile() == "HM"
        assert evaluation.form.code == (HM_CODE if hm else FIVE_LEVEL_CODE)
        assert evaluation.order.status == OrderStatus.COMPLETED
        assert evaluation.institution_id == evaluation.order.institution_id
    bad = set(Evaluation.objects.filter(bad=True).values_list("id", flat=True))
    assert set(RectificationCase.objects.values_list("evaluation_id", flat=True)) == bad


def check_pages(client: Client) -> None:
    order = Order.objects.select_related("user").order_by("-created_at").first()
    institution = Institution.objects.filter(status=InstitutionStatus.ACTIVE).first()
    assert order is not None
    assert institution is not None
    client.force_login(order.user)
    mine = client.get(reverse("orders:mine"))
    detail = client.get(order.get_absolute_url())
    public = client.get(reverse("institutions:detail", args=[institution.pk]))
    assert mine.status_code == 200
    assert order.number in mine.content.decode()
    assert detail.status_code == 200
    assert public.status_code == 200
    assert institution.name in public.content.decode()


def check_second_run_refused_unless_forced() -> None:
    orders = Order.objects.count()
    with pytest.raises(AlreadyGenerated):
        generate()
    with pytest.raises(CommandError):
        call_command("gen_data", "--scale", "xs", stderr=io.StringIO(), stdout=io.StringIO())
    assert Order.objects.count() == orders

    generate(force=True, seed=7)

    assert Order.objects.count() == 2 * orders
    assert chain.verify()[1] is None
    assert len(set(Order.objects.values_list("number", flat=True))) == 2 * orders


@pytest.mark.django_db
def test_xs_data_is_consistent_and_a_second_run_needs_force(client):
    # Given / when: a tiny data set (one generation serves every check: it is the slow part)
    log = generate()

    # Then: a progress line per phase; every timeline replays its state
    # machine; numbers are unique; the audit chain verifies; the forms follow
    # the region's profile; a generated user's and institution's pages open
    assert "orders" in log
    assert "audit chain" in log
    check_orders_and_numbers()
    check_demands_and_complaints()
    check_evaluations()
    check_pages(client)
    # And (sharing the slow generation): a second run is refused unless forced.
    check_second_run_refused_unless_forced()


@pytest.mark.django_db
def test_the_production_profile_is_refused_unless_told():
    with override_settings(ONESTOP_PROFILE="production"), pytest.raises(RefusedInProduction):
        generate()
    assert not Order.objects.exists()


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_xs_on_postgresql_through_copy():
    assert connection.vendor == "postgresql"

    generate()

    check_orders_and_numbers()
    check_demands_and_complaints()
    check_evaluations()
    # The database's own id counters moved past the generated ids.
    order = Order.objects.order_by("-id").first()
    assert order is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('orders_order', 'id')")
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value FROM {sequence}")
        assert cursor.fetchone()[0] >= order.id


@pytest.mark.django_db
def test_the_benchmark_floor_is_not_served_without_its_variable(client):
    # The floor view (bench/serve.py) is mounted only with ONESTOP_BENCH_FLOOR=1.
    from onestop.datagen import floor

    assert floor.urlpatterns == []
    assert client.get("/bench/floor/").status_code == 404

"""Reconcile a load run with the database (issue 7 items 3 and 4).

Run inside Django (the runner calls it through `onestop shell`) with the run's
directory as argument; prints one JSON line:

* responses: how many, by status; 5xx must be 0 (a 503 during a database
  outage is counted apart as ``outage_503``, and is the only 5xx allowed while
  the database is down);
* submissions: every 2xx submission is in the database exactly once, every
  refused one (4xx/5xx) is absent; one whose answer never came (status 0,
  connection cut), or that got the outage's 503 (the connection may have
  been lost after the commit), is in the database at most once;
* whole records: every order and demand found has its first event (the
  state machine's record) — nothing half-written;
* notifications: no delivery left pending; every SMS delivery marked sent
  reached the relay exactly once (one delivered message per delivery key),
  and the relay delivered nothing that the database does not count as sent.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

MARKER = re.compile(r"LOAD-[0-9a-f]{32}")


def _markers(texts: list[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for text in texts:
        found.update(MARKER.findall(text or ""))
    return found


def reconcile(base: Path) -> dict[str, Any]:
    from django.db.models import Count

    from onestop.demands.models import Demand
    from onestop.evaluations.models import Evaluation
    from onestop.notifications.models import Delivery, DeliveryStatus
    from onestop.orders.models import Order

    rows = [json.loads(line) for line in (base / "results.jsonl").read_text().splitlines() if line]
    faults = (
        json.loads((base / "faults.json").read_text()) if (base / "faults.json").exists() else []
    )
    outages = [
        (f["down_at"], f["up_at"] + 15) for f in faults if f["fault"] == "postgres restarted"
    ]

    def during_outage(t: float) -> bool:
        return any(start <= t <= end for start, end in outages)

    responses = [r for r in rows if r["kind"] == "response"]
    statuses = Counter(r["status"] for r in responses)
    server_errors = [r for r in responses if r["status"] >= 500]
    outage_503 = [r for r in server_errors if r["status"] == 503 and during_outage(r["t"])]
    unexpected_5xx = [r for r in server_errors if r not in outage_503]

    in_db = {
        "order": _markers(
            list(
                Order.objects.filter(description__contains="LOAD-").values_list(
                    "description", flat=True
                )
            )
        ),
        "demand": _markers(
            list(
                Demand.objects.filter(description__contains="LOAD-").values_list(
                    "description", flat=True
                )
            )
        ),
        "evaluation": _markers(
            list(
                Evaluation.objects.filter(comment__contains="LOAD-").values_list(
                    "comment", flat=True
                )
            )
        ),
    }
    submissions = [r for r in rows if r["kind"] == "submission"]
    accepted = Counter()
    refused = Counter()
    unanswered = Counter()
    unknown_503: Counter[str] = Counter()
    stored_despite_503 = 0
    missing: list[dict[str, Any]] = []
    duplicated: list[dict[str, Any]] = []
    stored_but_refused: list[dict[str, Any]] = []
    sent_markers = set()
    for row in submissions:
        what, marker, status = row["what"], row["marker"], row["status"]
        sent_markers.add(marker)
        count = in_db[what][marker]
        if 200 <= status < 300:
            accepted[what] += 1
            if count == 0:
                missing.append(row)
            elif count > 1:
                duplicated.append(row)
        elif status == 0:
            unanswered[what] += 1
            if count > 1:
                duplicated.append(row)
        elif status == 503 and during_outage(row["t"]):
            # The connection was lost during the request: it may have been
            # after the commit (the answer being prepared), so the outcome is
            # unknown to the client, as the 503 says; never stored twice.
            unknown_503[what] += 1
            stored_despite_503 += bool(count)
            if count > 1:
                duplicated.append(row)
        else:
            refused[what] += 1
            if count:
                stored_but_refused.append(row)
    strangers = [m for found in in_db.values() for m in found if m not in sent_markers]

    half_orders = list(
        Order.objects.filter(description__contains="LOAD-")
        .annotate(n=Count("events"))
        .filter(n=0)
        .values_list("number", flat=True)
    )
    half_demands = list(
        Demand.objects.filter(description__contains="LOAD-")
        .annotate(n=Count("events"))
        .filter(n=0)
        .values_list("number", flat=True)
    )

    deliveries = Counter(Delivery.objects.values_list("status", flat=True))
    relay = json.loads((base / "relay.json").read_text())
    sms_sent = {
        f"delivery-{pk}"
        for pk in Delivery.objects.filter(channel="sms", status=DeliveryStatus.SENT).values_list(
            "pk", flat=True
        )
    }
    # Notification deliveries carry their key; SMS codes and complaint
    # receipts are sent directly (no delivery row) and are counted apart.
    delivered = {key for key in relay["delivered"] if key.startswith("delivery-")}
    other_sms = len(relay["delivered"]) - len(delivered)
    repeats = {key: n for key, n in relay["posts"].items() if n > 1}
    return {
        "responses": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "unexpected_5xx": len(unexpected_5xx),
        "unexpected_5xx_sample": unexpected_5xx[:5],
        "outage_503": len(outage_503),
        "accepted": dict(accepted),
        "refused": dict(refused),
        "unanswered": dict(unanswered),
        "outage_503_submissions": dict(unknown_503),
        "stored_despite_503": stored_despite_503,
        "missing": missing[:20],
        "duplicated": duplicated[:20],
        "stored_but_refused": stored_but_refused[:20],
        "stored_unknown": strangers[:20],
        "half_written": half_orders[:20] + half_demands[:20],
        "deliveries": dict(deliveries),
        "sms_sent": len(sms_sent),
        "sms_delivered": len(delivered),
        "sms_sent_not_delivered": sorted(sms_sent - delivered)[:20],
        "sms_delivered_not_sent": sorted(delivered - sms_sent)[:20],
        "sms_repeated_posts": repeats,
        "sms_other": other_sms,
        "faults": faults,
    }


if __name__ == "__main__":
    print(json.dumps(reconcile(Path(sys.argv[1])), ensure_ascii=False, default=str))

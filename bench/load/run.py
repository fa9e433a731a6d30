"""Load test with faults (issue 7 items 3 and 4): the long version.

    .venv/bin/python bench/load/run.py                 # 200 users, 5 minutes
    .venv/bin/python bench/load/run.py --users 20 --duration 30 --faults

Starts a throwaway PostgreSQL cluster, gunicorn with the production settings,
a Celery worker on Redis (REDIS_URL, default db 10) and an SMS relay, all on
127.0.0.1; prepares the demo data and the load users; runs locust headless
(80 % browse and search, 15 % publish demands or orders, 5 % evaluate); with
--faults restarts PostgreSQL at a third of the run and kills the Celery pool
process that is sending an SMS at two thirds. Then reconciles (reconcile.py)
and prints the figures; exits 1 if any check fails. Not a test: the short CI
version is tests/load/test_load_and_faults.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Settings, run


def problems(result: dict) -> list[str]:
    found = []
    for name in (
        "missing",
        "duplicated",
        "stored_but_refused",
        "stored_unknown",
        "half_written",
        "sms_sent_not_delivered",
        "sms_delivered_not_sent",
    ):
        if result[name]:
            found.append(f"{name}: {result[name][:3]}")
    if result["unexpected_5xx"]:
        found.append(f"{result['unexpected_5xx']} responses with status 5xx outside the outage")
    if result["deliveries"].get("pending"):
        found.append(f"{result['deliveries']['pending']} deliveries still pending")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", type=int, default=300, help="seconds of load")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument(
        "--faults", action="store_true", help="restart PostgreSQL and kill a worker mid-task"
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/10")
    )
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--light", action="store_true", help="without the full demo data")
    parser.add_argument("--invitations", type=int, default=300)
    parser.add_argument("--sms-delay", type=float, default=0.3, help="seconds the relay takes")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    args = parser.parse_args()
    settings = Settings(
        users=args.users,
        spawn_rate=args.spawn_rate,
        duration=args.duration,
        web_workers=args.web_workers,
        redis_url=args.redis_url,
        pg_restart_at=args.duration / 3 if args.faults else None,
        kill_worker_at=args.duration * 2 / 3 if args.faults else None,
        keep=args.keep,
        light=args.light,
        invitations=args.invitations,
        sms_delay=args.sms_delay,
        celery_concurrency=args.celery_concurrency,
        drain_timeout=600,
    )
    outcome = run(settings, args.workdir)
    result = outcome.reconciliation
    print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print("timings (s):", {k: round(v, 1) for k, v in outcome.timings.items()})
    print("run directory:", outcome.workdir)
    found = problems(result)
    for line in found:
        print("FAIL:", line)
    print("load test:", "FAILED" if found else "passed")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()

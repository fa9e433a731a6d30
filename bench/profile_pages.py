"""Where a page's time goes: cProfile over N requests of each bench/serve.py endpoint.

Runs in-process with Django's test client against the database and settings a
``bench/serve.py`` run left (same environment: pass the same --db/--scale),
after one warm-up request, and prints the top functions by cumulative and by
own time. Not a test: a tool for finding what to make faster.

  .venv/bin/python bench/profile_pages.py --db postgresql --scale m [--only search] [-n 50]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _serve_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_serve", HERE / "serve.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--scale", choices=["xs", "s", "m", "l"], default="m")
    parser.add_argument("--only", help="profile only the endpoints whose name contains this")
    parser.add_argument("-n", type=int, default=30, help="requests per endpoint")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cache", action="store_true", help="leave the page cache on")
    parser.add_argument("--no-profile", action="store_true", help="only time the requests")
    args = parser.parse_args()
    serve = _serve_module()
    import os

    os.environ.update(serve.environment(args))
    if not args.cache:
        os.environ["ONESTOP_PAGE_CACHE_SECONDS"] = "0"
    sys.path.insert(0, str(serve.ROOT / "src"))
    world = serve.prepare()

    from django.conf import settings
    from django.test import Client

    for target in world["targets"]:
        if args.only and args.only not in target["name"]:
            continue
        client = Client(HTTP_X_REAL_IP="10.9.8.7")
        if target.get("cookie"):
            client.cookies[settings.SESSION_COOKIE_NAME] = target["cookie"]

        def hit(i: int, target=target, client=client) -> int:  # type: ignore[no-untyped-def]
            path = target["paths"][i % len(target["paths"])]
            if "post" in target:
                body = dict(target["post"], description=f"剖析下单 {time.time()} {i}")
                return client.post(path, body, content_type="application/json").status_code
            return client.get(path).status_code

        hit(0)
        if args.no_profile:
            times = []
            for i in range(args.n):
                started = time.perf_counter()
                hit(i)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            print(
                f"{target['name']:<20} p50 {times[len(times) // 2]:6.1f} ms"
                f"  p95 {times[int(len(times) * 0.95) - 1]:6.1f} ms  max {times[-1]:6.1f} ms"
            )
            continue
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        statuses = [hit(i) for i in range(args.n)]
        profile.disable()
        per = (time.perf_counter() - started) / args.n * 1000
        print(
            f"\n=== {target['name']}: {per:.1f} ms per request (profiled), statuses {set(statuses)}"
        )
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
            text = out.getvalue()
            print(text[text.find("   ncalls") :])


if __name__ == "__main__":
    main()

"""Simulated users of the platform (issue 7 item 3), for locust.

Mix by weight: 80 % browse and search (home, search with Chinese queries, an
institution page, an offering page, the user's order list), 15 % publish a
demand or place an order through the API, 5 % evaluate a completed order
through its invitation link. Every submission carries a unique marker in its
text and is written, with the status it got, to the JSONL file named by
LOAD_RESULTS, so that the runner can reconcile it with the database
afterwards. Every response status is counted there too (for "0 responses
with status 5xx"). The world (sessions, offerings, invitations) comes from
the JSON file named by LOAD_FIXTURES (fixtures.py).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
import uuid
from typing import Any

from locust import HttpUser, between, events, task

WORLD: dict[str, Any] = json.loads(open(os.environ["LOAD_FIXTURES"], encoding="utf-8").read())  # noqa: SIM115
RESULTS = open(os.environ["LOAD_RESULTS"], "a", encoding="utf-8")  # noqa: SIM115
_lock = threading.Lock()
_accounts = itertools.cycle(WORLD["accounts"])
_tokens = iter(WORLD["invitations"])
CSRF = "loadtestcsrftokenloadtestcsrftok"  # 32 characters: Django's unmasked form
QUERIES = ["计量", "校准", "检测", "认证", "标准", "压力表", "质量", "检验", "柳州", "无锡"]


def record(**row: Any) -> None:
    row["t"] = time.time()
    with _lock:
        RESULTS.write(json.dumps(row, ensure_ascii=False) + "\n")
        RESULTS.flush()


@events.request.add_listener
def _every_response(
    request_type: str,
    name: str,
    response: Any = None,
    exception: Any = None,
    **_: Any,
) -> None:
    status = getattr(response, "status_code", 0) or 0
    record(kind="response", method=request_type, name=name, status=status, error=bool(exception))


class Person(HttpUser):
    """A logged-in individual (real-name verified) using the site."""

    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        account = next(_accounts)
        self.client.cookies.set("sessionid", account["session"])
        self.client.cookies.set("csrftoken", CSRF)
        self.json_headers = {"X-CSRFToken": CSRF, "Content-Type": "application/json"}

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code < 500:
                response.success()

    # 80 %: browse and search
    @task(20)
    def home(self) -> None:
        self._get("/", "home")

    @task(25)
    def search(self) -> None:
        self._get(f"/search/?q={random.choice(QUERIES)}", "search")

    @task(15)
    def institution(self) -> None:
        self._get(f"/institutions/{random.choice(WORLD['institutions'])}/", "institution")

    @task(15)
    def offering(self) -> None:
        self._get(f"/institutions/offerings/{random.choice(WORLD['offerings'])}/", "offering")

    @task(5)
    def my_orders(self) -> None:
        self._get("/orders/mine/", "my orders")

    # 15 %: publish a demand or place an order
    @task(8)
    def place_order(self) -> None:
        marker = f"LOAD-{uuid.uuid4().hex}"
        body = {
            "offering_id": random.choice(WORLD["offerings"]),
            "description": f"压力表校准 5 只，请尽快安排。{marker}",
            "contact_name": "压测联系人",
        }
        self._submit("order", marker, "/api/v1/orders/", json.dumps(body, ensure_ascii=False))

    @task(7)
    def publish_demand(self) -> None:
        marker = f"LOAD-{uuid.uuid4().hex}"
        if not WORLD["categories"]:
            return
        form = {
            "category": random.choice(WORLD["categories"]),
            "title": "需要压力表检定服务",
            "description": f"我公司有一批压力表需要检定，请推荐机构。{marker}",
            "region_code": WORLD["region_code"],
            "contact_name": "压测联系人",
            "contact_method": "inbox",
        }
        self._submit("demand", marker, "/api/v1/demands/mine", form=form)

    # 5 %: evaluate a completed order through its link
    @task(5)
    def evaluate(self) -> None:
        token = next(_tokens, None)
        if token is None:
            return
        path = f"/api/v1/evaluations/invitations/{token}"
        with self.client.get(path, name="questionnaire", catch_response=True) as response:
            if response.status_code != 200:
                if response.status_code < 500:
                    response.success()
                return
            questionnaire = response.json()
            response.success()
        best = questionnaire["scale"][0]["value"]
        yes = questionnaire["yes_no"][0]["value"] if questionnaire["yes_no"] else ""
        answers = {
            q["key"]: (best if q["type"] == "scale" else yes) for q in questionnaire["questions"]
        }
        marker = f"LOAD-{uuid.uuid4().hex}"
        body = {"answers": answers, "comment": f"服务很好，出报告很快。{marker}"}
        self._submit("evaluation", marker, path, json.dumps(body, ensure_ascii=False))

    def _submit(
        self, kind: str, marker: str, path: str, data: str | None = None, form: Any = None
    ) -> None:
        headers = dict(self.json_headers)
        if form is not None:
            headers.pop("Content-Type")
            kwargs: dict[str, Any] = {"data": form}
        else:
            kwargs = {"data": data}
        status = 0
        try:
            with self.client.post(
                path, headers=headers, name=kind, catch_response=True, **kwargs
            ) as response:
                status = response.status_code or 0
                if status < 500:
                    response.success()
        finally:
            record(kind="submission", what=kind, marker=marker, status=status)

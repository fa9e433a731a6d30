"""Two refreshes of the same object at once (PostgreSQL pass): both succeed,
one document remains (the unique constraint is not a failed request)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from onestop.search import index
from onestop.search.models import SearchDocument

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]


def test_refreshes_of_the_same_institution_at_once_leave_one_document(world):
    institution = world.lab
    SearchDocument.objects.filter(kind="institution").delete()
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            index.refresh("institution", [institution.pk])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SearchDocument.objects.filter(kind="institution", object_id=institution.pk).count() == 1

"""The supervision demo on top of the platform demo (onestop.core.demo)."""

from __future__ import annotations

import pytest

from onestop.core.demo import demo_load
from onestop.institutions.models import Institution, InstitutionStatus
from onestop.supervision import demo, selectors
from onestop.supervision.models import (
    ActionStatus,
    CorrectiveAction,
    CreditGrade,
    ImportantItem,
    ItemReview,
)

pytestmark = [pytest.mark.django_db, pytest.mark.clause("HM 5.4")]


def test_the_demo_loads_actions_reviews_and_grades_once():
    demo_load()

    graded = demo.load()

    assert sorted(CorrectiveAction.objects.values_list("status", flat=True)) == [
        ActionStatus.EVIDENCE_SUBMITTED,
        ActionStatus.ISSUED,
    ]
    assert ImportantItem.objects.count() == 2
    review = ItemReview.objects.get()
    assert review.corrective_actions.count() == 1
    onboarded = Institution.objects.filter(
        status__in=(InstitutionStatus.ACTIVE, InstitutionStatus.SUSPENDED)
    ).count()
    assert graded == onboarded == CreditGrade.objects.count()
    assert graded > 0
    center = CorrectiveAction.objects.first().issued_by
    assert len(selectors.important_items_unreviewed(user=center)) == 1

    demo.load()

    assert CorrectiveAction.objects.count() == 2
    assert ItemReview.objects.count() == 1

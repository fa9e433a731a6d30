"""Over-long evaluation fields (issue 7 item 7): the rater's comment behind
an invitation link is refused one character over its limit, and nothing is
stored."""

from __future__ import annotations

import pytest

from onestop.evaluations import services
from onestop.evaluations.models import COMMENT_MAX, Evaluation
from onestop.evaluations.tests.conftest import HM_GOOD, world  # noqa: F401 (fixture)

BASE = "/api/v1/evaluations"


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize(
    ("field", "length"),
    [("comment", COMMENT_MAX + 1), ("enterprise_name", 101), ("signer", 51)],
)
def test_over_long_evaluation_fields_are_refused(client, world, field, length):  # noqa: F811
    token = services.invitation_token(services.evaluation_invite(order=world.hm_order))
    body = {"answers": HM_GOOD, field: "评" * length}

    response = client.post(f"{BASE}/invitations/{token}", body, content_type="application/json")

    assert response.status_code in (400, 422)
    assert not Evaluation.objects.exists()

"""Stored XSS through an evaluation (issue 7 item 7, WX 4.1.4): the rater's
comment, enterprise name and signature and the institution's appeal reason
come back escaped on the institution's and the service center's pages."""

from __future__ import annotations

import pytest
from django.test import Client
from hostile_xss_corpus import PAYLOADS, SHORT
from test_hostile_xss import check

from onestop.evaluations import services
from onestop.evaluations.tests.conftest import HM_GOOD, world  # noqa: F401 (fixture)


@pytest.mark.clause("WX 4.1.4")
def test_evaluation_and_appeal_texts_come_back_escaped(client, world, otp_login):  # noqa: F811
    token = services.invitation_token(services.evaluation_invite(order=world.hm_order))
    evaluation = services.evaluation_submit(
        token=token,
        answers=HM_GOOD,
        comment="\n".join(PAYLOADS)[:1000],
        enterprise_name=SHORT[0],
        signer=SHORT[1],
    )
    appeal = services.appeal_lodge(
        actor=world.hm_person, evaluation=evaluation, reason="\n".join(PAYLOADS)[:1000]
    )

    institution = Client()
    institution.force_login(world.hm_person)
    check(institution.get("/evaluations/institution/"))
    staff = Client()
    otp_login(world.hm_center, client=staff)
    check(staff.get("/evaluations/manage/"))
    check(staff.get("/evaluations/manage/appeals/"))
    check(staff.get(f"/evaluations/manage/appeals/{appeal.pk}/"), shows=[PAYLOADS[0]])

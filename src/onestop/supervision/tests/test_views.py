"""Every supervision page: who may open it (visitor → login, other region or
not the target → 404), what it does, and its query count pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from onestop.demands.tests import factories as f
from onestop.supervision import services
from onestop.supervision.models import ActionDocument, ActionStatus, CorrectiveAction

from .conftest import issue, make_overdue

pytestmark = [pytest.mark.django_db, pytest.mark.clause("HM 5.1")]

STAFF_URLS = [
    reverse("supervision:actions"),
    reverse("supervision:action_new"),
    reverse("supervision:reviews"),
    reverse("supervision:review_new"),
    reverse("supervision:important_items"),
]


@pytest.mark.parametrize("url", STAFF_URLS)
def test_staff_pages_send_visitors_to_login_and_refuse_others(
    client, otp_login, url, owner, station_worker
):
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    client.force_login(owner)
    assert client.get(url).status_code == 403
    otp_login(station_worker)  # staff, but without the supervision permission
    assert client.get(url).status_code == 403


def test_target_pages_send_visitors_to_login(client, wx_supervisor, institution):
    action = issue(wx_supervisor, target=institution)
    for url in (reverse("supervision:my_actions"), action.target_url):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


# --- the supervisors' list --------------------------------------------------------------------


def test_action_list_is_region_scoped_and_filtered(
    client, otp_login, wx_supervisor, hm_supervisor, institution, station, regions
):
    overdue = make_overdue(issue(wx_supervisor, target=institution))
    to_station = issue(wx_supervisor, target=station)
    hami = f.institution(regions["650502"], "哈密市产品质量检验所")
    elsewhere = issue(hm_supervisor, target=hami)
    otp_login(wx_supervisor)

    page = client.get(reverse("supervision:actions")).content.decode()
    assert overdue.number in page
    assert to_station.number in page
    assert elsewhere.number not in page
    assert 'data-state="overdue"' in page

    only_overdue = client.get(reverse("supervision:actions"), {"state": "overdue"}).content
    assert overdue.number in only_overdue.decode()
    assert to_station.number not in only_overdue.decode()
    by_kind = client.get(reverse("supervision:actions"), {"target_kind": "station"}).content
    assert to_station.number in by_kind.decode()
    assert overdue.number not in by_kind.decode()
    ticked = client.get(reverse("supervision:actions"), {"overdue": "on"}).content.decode()
    assert overdue.number in ticked
    assert to_station.number not in ticked


def test_action_list_query_count_is_constant(
    client, otp_login, wx_supervisor, institution, station, django_assert_num_queries
):
    issue(wx_supervisor, target=institution)
    otp_login(wx_supervisor)
    url = reverse("supervision:actions")
    client.get(url)
    # session, user, 2FA device, role assignments, count, the header's current
    # region, the page (targets joined)
    with django_assert_num_queries(7) as few:
        client.get(url)
    for n in range(25):
        issue(wx_supervisor, target=station if n % 2 else institution)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('data-state="issued"') == 20  # one page
    assert "page=2" in body


# --- issuing through the form -------------------------------------------------------------------


def _form(**fields):
    return {
        "target_kind": "institution",
        "source_kind": "inspection",
        "inspection_reference": "JC-2026-021",
        "problem": "收费未公示",
        "requirement": "在服务大厅公示收费标准",
        "due_working_days": "5",
        **fields,
    }


def test_a_supervisor_issues_through_the_form(client, otp_login, wx_supervisor, institution):
    otp_login(wx_supervisor)
    assert client.get(reverse("supervision:action_new")).status_code == 200

    response = client.post(reverse("supervision:action_new"), _form(institution=institution.pk))

    action = CorrectiveAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == action.staff_url
    assert action.institution == institution
    assert action.due_on == dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    "fields",
    [
        {"institution": ""},  # no institution named
        {"due_working_days": "", "due_on": ""},  # no deadline
        {"due_on": "2026-11-30"},  # a date and working days
        {"problem": ""},
        {"source_kind": "complaint", "complaint": "TS-2026-999999"},  # unknown complaint
        {"target_kind": "staff", "staff_username": "nobody-here"},
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_stored(
    client, otp_login, wx_supervisor, institution, fields
):
    otp_login(wx_supervisor)

    response = client.post(
        reverse("supervision:action_new"), _form(**{"institution": institution.pk, **fields})
    )

    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_an_institution_of_another_region_cannot_be_chosen(
    client, otp_login, hm_supervisor, institution
):
    otp_login(hm_supervisor)

    response = client.post(reverse("supervision:action_new"), _form(institution=institution.pk))

    assert response.status_code == 400
    assert not CorrectiveAction.objects.exists()


# --- one action: the supervisor's page and moves --------------------------------------------


def test_action_page_is_404_for_other_regions(
    client, otp_login, wx_supervisor, hm_supervisor, institution
):
    action = issue(wx_supervisor, target=institution)
    otp_login(hm_supervisor)

    assert client.get(action.staff_url).status_code == 404
    cancel = reverse("supervision:action_move", kwargs={"pk": action.pk, "move": "cancel"})
    assert client.post(cancel, {"reason": "越权"}).status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.ISSUED


def test_action_page_query_count_is_constant(
    client, otp_login, wx_supervisor, institution, owner, django_assert_num_queries
):
    action = issue(wx_supervisor, target=institution)
    otp_login(wx_supervisor)
    client.get(action.staff_url)
    # session, user, 2FA device, role assignments, the action with its
    # targets, events, their files, the header's current region
    with django_assert_num_queries(8) as few:
        client.get(action.staff_url)
    for n in range(3):
        services.corrective_action_submit_evidence(
            actor=owner, action=action, evidence=f"第{n}次整改", uploads=[f.png(), f.png()]
        )
        services.corrective_action_reject_evidence(
            actor=wx_supervisor, action=action, reason="材料不全"
        )

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(action.staff_url).content.decode()
    assert body.count('data-to="rejected_evidence"') == 3
    assert body.count("/documents/") == 6


def test_the_supervisor_verifies_rejects_and_cancels_by_post(
    client, otp_login, wx_supervisor, institution, owner
):
    action = issue(wx_supervisor, target=institution)
    services.corrective_action_submit_evidence(actor=owner, action=action, evidence="已整改")
    otp_login(wx_supervisor)

    def move(name: str, data: dict[str, str]):
        url = reverse("supervision:action_move", kwargs={"pk": action.pk, "move": name})
        return client.post(url, data)

    assert move("reject", {"reason": ""}).status_code == 400
    assert move("promote", {}).status_code == 404
    assert move("verify", {"note": "核实"}).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED
    refused = move("cancel", {"reason": "撤销"})
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED


def test_moves_refuse_get(client, otp_login, wx_supervisor, institution):
    action = issue(wx_supervisor, target=institution)
    otp_login(wx_supervisor)

    url = reverse("supervision:action_move", kwargs={"pk": action.pk, "move": "cancel"})
    assert client.get(url).status_code == 405


# --- the target's pages ----------------------------------------------------------------------


def test_each_target_sees_its_own_actions(
    client, wx_supervisor, institution, station, station_worker, owner, make_user
):
    to_institution = issue(wx_supervisor, target=institution)
    to_station = issue(wx_supervisor, target=station)
    stranger = make_user("enterprise", "320281", kind="enterprise")

    client.force_login(owner)
    mine = client.get(reverse("supervision:my_actions")).content.decode()
    assert to_institution.number in mine
    assert to_station.number not in mine
    assert client.get(to_station.target_url).status_code == 404

    client.force_login(station_worker)
    mine = client.get(reverse("supervision:my_actions")).content.decode()
    assert to_station.number in mine
    assert to_institution.number not in mine

    client.force_login(stranger)
    mine = client.get(reverse("supervision:my_actions")).content.decode()
    assert to_institution.number not in mine
    assert to_station.number not in mine
    assert client.get(to_institution.target_url).status_code == 404
    response = client.post(to_institution.target_url, {"evidence": "冒充"})
    assert response.status_code == 404
    to_institution.refresh_from_db()
    assert to_institution.status == ActionStatus.ISSUED


def test_my_actions_query_count_is_constant(
    client, wx_supervisor, institution, owner, django_assert_num_queries
):
    issue(wx_supervisor, target=institution)
    client.force_login(owner)
    url = reverse("supervision:my_actions")
    client.get(url)
    # session, user, my institution, role assignments, count, the header's
    # current region, the page
    with django_assert_num_queries(7) as few:
        client.get(url)
    for _n in range(8):
        issue(wx_supervisor, target=institution)

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('data-state="issued"') == 9


def test_the_target_submits_evidence_with_a_file_and_both_sides_read_it(
    client, otp_login, wx_supervisor, hm_supervisor, institution, owner, make_user
):
    action = issue(wx_supervisor, target=institution)
    client.force_login(owner)
    assert 'id="evidence-form"' in client.get(action.target_url).content.decode()

    response = client.post(
        action.target_url, {"evidence": "已在大厅公示收费标准", "attachments": [f.png("公示.png")]}
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.EVIDENCE_SUBMITTED
    document = ActionDocument.objects.get(action=action).document
    download = document.get_absolute_url()
    assert client.get(download).status_code == 200
    otp_login(wx_supervisor)
    assert client.get(download).status_code == 200
    otp_login(hm_supervisor)
    assert client.get(download).status_code == 404
    client.force_login(make_user("enterprise", "320281", kind="enterprise"))
    assert client.get(download).status_code == 404


def test_evidence_without_text_is_refused(client, wx_supervisor, institution, owner):
    action = issue(wx_supervisor, target=institution)
    client.force_login(owner)

    response = client.post(action.target_url, {"evidence": ""})

    assert response.status_code == 400
    action.refresh_from_db()
    assert action.status == ActionStatus.ISSUED


def test_evidence_on_a_closed_action_is_refused(client, wx_supervisor, institution, owner):
    action = issue(wx_supervisor, target=institution)
    services.corrective_action_cancel(actor=wx_supervisor, action=action, reason="误发")
    client.force_login(owner)

    response = client.post(action.target_url, {"evidence": "补交"})

    assert response.status_code == 409
    assert 'id="not-open"' in response.content.decode()


def test_my_action_page_query_count_is_constant(
    client, wx_supervisor, institution, owner, django_assert_num_queries
):
    action = issue(wx_supervisor, target=institution)
    client.force_login(owner)
    client.get(action.target_url)
    # session, user, my institution, role assignments, the action, events,
    # files, the header's current region
    with django_assert_num_queries(8) as few:
        client.get(action.target_url)
    for _n in range(2):
        services.corrective_action_submit_evidence(
            actor=owner, action=action, evidence="整改", uploads=[f.png()]
        )
        services.corrective_action_reject_evidence(
            actor=wx_supervisor, action=action, reason="不全"
        )

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(action.target_url).content.decode()
    assert body.count('data-to="evidence_submitted"') == 2


# --- the public explanation --------------------------------------------------------------


def test_the_explanation_page_is_public(client, regions):
    from django.utils import translation

    with translation.override("en"):
        response = client.get(reverse("supervision:credit"))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="weights"' in body
    assert 'id="thresholds"' in body
    assert body.count('<tr><th scope="row">') == 5


def test_the_institution_page_shows_its_grade_and_links_the_explanation(
    client, institution, wx_supervisor
):
    url = reverse("institutions:detail", kwargs={"institution_id": institution.pk})
    assert 'id="credit-grade-none"' in client.get(url).content.decode()
    make_overdue(issue(wx_supervisor, target=institution))
    services.credit_grades_refresh()

    body = client.get(url).content.decode()

    assert 'data-grade="C"' in body
    assert reverse("supervision:credit") in body
    # No evaluations yet: that component says "insufficient data".
    assert body.count('class="insufficient"') == 3
    assert timezone.localdate().isoformat() in body

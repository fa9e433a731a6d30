"""Remote technical support: staff ask from the workbench, the system
administrators answer, the requester reads the reply in the inbox (WX 4.1.2 c)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidTransition, PermissionDeniedError
from onestop.monitoring import services
from onestop.monitoring.models import SupportRequest, SupportStatus
from onestop.notifications.models import Notification

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120"


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(buffer, "PNG")
    return SimpleUploadedFile("screen.png", buffer.getvalue(), content_type="image/png")


def _submit(client: Client) -> SupportRequest:
    form = client.get(
        reverse("monitoring:support_new"), {"from": "/demands/manage/?status=open"}
    ).content.decode()
    assert 'value="/demands/manage/?status=open"' in form
    response = client.post(
        reverse("monitoring:support_new"),
        {
            "subject": "需求列表打不开",
            "description": "点击“需求”后页面一直空白。",
            "page": "/demands/manage/?status=open",
            "screenshot": _png(),
        },
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 302, response.content.decode()
    return SupportRequest.objects.get()


@pytest.mark.clause("WX 4.1.2c")
def test_a_request_carries_its_context_and_the_answer_reaches_the_inbox(
    client, otp_login, staff, admin
):
    # given a service-center staff member asks for support with a screenshot
    otp_login(staff)
    support = _submit(client)
    assert support.status == SupportStatus.OPEN
    assert support.region.code == "450200"
    assert support.roles  # the role, from the assignment, not typed in
    assert support.page == "/demands/manage/?status=open"
    assert support.user_agent == BROWSER
    assert support.screenshot is not None

    # when an administrator opens it from the status page and answers
    admin_client = Client()
    otp_login(admin, client=admin_client)
    queue = admin_client.get(reverse("monitoring:status")).content.decode()
    assert "需求列表打不开" in queue
    detail = reverse("monitoring:support_detail", kwargs={"pk": support.pk})
    page = admin_client.get(detail).content.decode()
    assert BROWSER in page
    screenshot = reverse("documents:download", kwargs={"public_id": support.screenshot.public_id})
    assert screenshot in page
    assert admin_client.get(screenshot).status_code == 200
    response = admin_client.post(
        reverse("monitoring:support_answer", kwargs={"pk": support.pk}),
        {"reply": "请清除浏览器缓存后重试。"},
    )
    assert response.status_code == 302

    # then the requester finds the reply in the inbox and on the request
    support.refresh_from_db()
    assert support.status == SupportStatus.ANSWERED
    notice = Notification.objects.get(recipient=staff, kind="support_answer")
    assert notice.body == "请清除浏览器缓存后重试。"
    assert notice.url == detail
    assert "请清除浏览器缓存后重试。" in client.get(detail).content.decode()

    # and closing it is the last step
    admin_client.post(reverse("monitoring:support_close", kwargs={"pk": support.pk}))
    support.refresh_from_db()
    assert support.status == SupportStatus.CLOSED
    assert [e.to_status for e in support.events.all()] == ["open", "answered", "closed"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "monitoring.support_submit",
        "monitoring.support_answer",
        "monitoring.support_close",
    } <= actions


@pytest.mark.clause("WX 4.1.2c")
def test_others_neither_see_nor_answer_a_request(client, otp_login, staff, make_user):
    support = services.support_request_submit(requester=staff, subject="s", description="d")
    colleague = make_user("station_staff", "450200")
    otp_login(colleague)
    detail = reverse("monitoring:support_detail", kwargs={"pk": support.pk})
    assert client.get(detail).status_code == 404
    answer = reverse("monitoring:support_answer", kwargs={"pk": support.pk})
    assert client.post(answer, {"reply": "x"}).status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.support_request_answer(actor=staff, request=support, reply="myself")


def test_the_requester_lists_their_own_requests(client, otp_login, staff, make_user):
    other = make_user("center_staff", "450200")
    services.support_request_submit(requester=staff, subject="我的问题", description="d")
    services.support_request_submit(requester=other, subject="别人的问题", description="d")
    otp_login(staff)
    page = client.get(reverse("monitoring:support_mine")).content.decode()
    assert "我的问题" in page
    assert "别人的问题" not in page


def test_public_users_cannot_ask_through_the_workbench(client, make_user, regions):
    enterprise = make_user("enterprise", "450202")
    client.force_login(enterprise)
    assert client.get(reverse("monitoring:support_new")).status_code == 403
    with pytest.raises(PermissionDeniedError):
        services.support_request_submit(requester=enterprise, subject="s", description="d")


def test_a_closed_request_is_not_answered_again(staff, admin):
    support = services.support_request_submit(requester=staff, subject="s", description="d")
    services.support_request_close(actor=admin, request=support, note="重复提交")
    with pytest.raises(InvalidTransition):
        services.support_request_answer(actor=admin, request=support, reply="late")


def test_a_page_on_another_site_is_not_kept(staff):
    support = services.support_request_submit(
        requester=staff, subject="s", description="d", page="javascript:alert(1)"
    )
    assert support.page == ""


def test_an_empty_reply_is_refused(client, otp_login, staff, admin):
    support = services.support_request_submit(requester=staff, subject="s", description="d")
    otp_login(admin)
    response = client.post(
        reverse("monitoring:support_answer", kwargs={"pk": support.pk}), {"reply": ""}
    )
    assert response.status_code == 400
    support.refresh_from_db()
    assert support.status == SupportStatus.OPEN

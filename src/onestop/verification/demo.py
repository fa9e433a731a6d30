"""Demo applications in every state: approved, under review, returned,
a name change under review, and one overdue (for the workbench queue)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from onestop.accounts.models import Role, User, UserKind
from onestop.accounts.services import role_grant, user_create
from onestop.core import crypto, workdays
from onestop.core.models import SlaClock
from onestop.regions.models import Region
from onestop.verification import services
from onestop.verification.models import Application, RejectReason

DEMO_PASSWORD = "onestop-demo-2026"  # noqa: S105 - the demo's published password


def _scan(label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 300), (240, 244, 250))
    ImageDraw.Draw(image).text((20, 20), f"DEMO {label}", fill=(0, 13, 181))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"{label}.png", buffer.getvalue(), content_type="image/png")


def _person(
    username: str, name: str, kind: str, region: str, mobile: str, admin: User | None
) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_create(
            actor=admin, username=username, password=DEMO_PASSWORD, display_name=name
        )
        role_grant(
            actor=admin,
            user=user,
            role=Role.INDIVIDUAL if kind == UserKind.INDIVIDUAL else Role.ENTERPRISE,
            region=Region.objects.get(code=region),
        )
    user.kind = kind
    user.mobile = mobile
    user.mobile_index = crypto.blind_index(mobile, purpose="mobile")
    user.save(update_fields=["kind", "mobile", "mobile_index"])
    return user


def _backdate(application: Application, working_days_ago: int) -> None:
    """Pretend the application came in earlier, so the demo has an overdue one."""
    calendar = workdays.load_calendar()
    day = workdays.local_date(timezone.now())
    for _step in range(working_days_ago):
        day = calendar.previous_workday(day)
    started = dt.datetime.combine(day, dt.time(10), tzinfo=workdays.TZ)
    due = calendar.add_workdays(started, services.REVIEW_WORKING_DAYS)
    budget = calendar.working_time_between(started, due)
    Application.objects.filter(pk=application.pk).update(submitted_at=started)
    SlaClock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application), subject_id=str(application.pk)
    ).update(
        started_at=started, due_at=due, at_risk_at=calendar.add_working_time(started, budget / 2)
    )


@transaction.atomic
def verification_demo_load(*, admin: User | None, reviewer: User) -> None:
    if Application.objects.exists():
        return
    # An individual already verified, one waiting, one returned.
    verified = _person(
        "individual_lz", "赵先生", UserKind.INDIVIDUAL, "450202", "13800000011", admin
    )
    application = services.application_submit_individual(
        user=verified, real_name="赵明", id_number="11010519491231002X", id_card=_scan("id-card")
    )
    services.application_approve(reviewer=reviewer, application=application)
    waiting = _person(
        "individual_wait", "钱女士", UserKind.INDIVIDUAL, "450203", "13800000012", admin
    )
    services.application_submit_individual(
        user=waiting, real_name="钱丽", id_number="45020319900101002X", id_card=_scan("id-card")
    )
    returned = _person(
        "individual_back", "孙先生", UserKind.INDIVIDUAL, "450204", "13800000013", admin
    )
    application = services.application_submit_individual(
        user=returned, real_name="孙伟", id_number="450204198505050019", id_card=_scan("id-card")
    )
    services.application_reject(
        reviewer=reviewer,
        application=application,
        reasons=[RejectReason.SCAN_UNREADABLE],
        note="身份证背面不清晰，请重新上传。",
    )

    # A verified enterprise with a name change under review.
    owner = _person("enterprise_lz", "刘经理", UserKind.ENTERPRISE, "450205", "13800000021", admin)
    application = services.application_submit_enterprise(
        user=owner,
        details=services.EnterpriseDetails(
            name="柳州示范机械有限公司",
            uscc="91450200MA5K6L7N8N",
            legal_representative="刘强",
            address="广西柳州市柳北区示范路2号",
            region=Region.objects.get(code="450205"),
            industry="专用设备制造业",
        ),
        licence=_scan("licence"),
        qualification=_scan("qualification"),
        pledge=_scan("pledge"),
    )
    application = services.application_approve(reviewer=reviewer, application=application)
    services.application_submit_name_change(
        user=owner,
        enterprise=services.enterprise_of(application),
        new_name="柳州示范智能装备有限公司",
        changed_on=timezone.localdate() - dt.timedelta(days=45),
        licence=_scan("new-licence"),
    )

    # A Wuxi enterprise whose review is overdue.
    late = _person("enterprise_jy", "周主任", UserKind.ENTERPRISE, "320281", "13800000031", admin)
    application = services.application_submit_enterprise(
        user=late,
        details=services.EnterpriseDetails(
            name="江阴示范精密机械有限公司",
            uscc="91320281MA1X2Y3W4B",
            legal_representative="周磊",
            address="江苏省江阴市澄江街道示范路1号",
            region=Region.objects.get(code="320281"),
            industry="通用设备制造业",
        ),
        licence=_scan("licence"),
        qualification=_scan("qualification"),
        pledge=_scan("pledge"),
    )
    _backdate(application, working_days_ago=5)

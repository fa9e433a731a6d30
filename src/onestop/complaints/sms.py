"""Text messages to complainants who have no account (WX 7.4.3 "结果反馈给投诉人").

A complaint registered offline for a person known only by name and phone
cannot reach an inbox: the steps they must hear about (registered,
accepted, not accepted, the outcome) go to the phone they gave, once each.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from onestop.accounts.sms_codes import InvalidMobile, mobile_normalise
from onestop.complaints.models import ComplaintEvent
from onestop.complaints.services.common import SMS_TO_OFFLINE, complainant_message
from onestop.notifications.sms import get_gateway

SMS_NOTE_MAX = 200


@transaction.atomic
def complaint_sms_deliver(*, event_id: int) -> bool:
    """Send the text about one step; False when there is nothing (more) to send.

    The event row stays locked while the gateway is called: a gateway error
    rolls the mark back and the task retries; a second run finds it marked.
    """
    event = (
        ComplaintEvent.objects.select_for_update(no_key=True, of=("self",))
        .select_related("complaint")
        .filter(pk=event_id, sms_sent_at__isnull=True)
        .first()
    )
    if event is None or event.to_status not in SMS_TO_OFFLINE:
        return False
    complaint = event.complaint
    if complaint.complainant_id is not None:
        return False
    try:
        mobile = mobile_normalise(str(complaint.complainant_phone or ""))
    except InvalidMobile:  # a landline or nothing: staff call back instead
        return False
    with translation.override(settings.LANGUAGE_CODE):
        title, body = complainant_message(complaint, event.to_status, event.note)
    text = f"【{settings.ONESTOP_PLATFORM_NAME}】{title}"
    if body:
        text = f"{text}{body[:SMS_NOTE_MAX]}"
    get_gateway().send(mobile=mobile, text=text)
    event.sms_sent_at = timezone.now()
    event.save(update_fields=["sms_sent_at"])
    return True

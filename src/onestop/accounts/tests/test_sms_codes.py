"""SMS one-time codes: limits, expiry, tries, single use (onestop.accounts.sms_codes)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from onestop.accounts import sms_codes
from onestop.accounts.models import SmsCode, SmsPurpose
from onestop.accounts.sms_codes import (
    InvalidMobile,
    SmsCodeExpired,
    SmsCodeMissing,
    SmsCodeUsed,
    SmsCodeVoided,
    SmsCodeWrong,
    SmsDailyLimit,
    SmsNotSent,
    SmsTooSoon,
    sms_code_check,
    sms_code_send,
)
from onestop.notifications.sms import MemorySmsGateway

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MOBILE = "13812345678"
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.MemorySmsGateway"
    MemorySmsGateway.outbox.clear()
    yield MemorySmsGateway.outbox
    MemorySmsGateway.outbox.clear()


@pytest.fixture
def send(django_capture_on_commit_callbacks, outbox):
    """send(mobile, purpose) -> the code that reached the phone."""

    def send_(mobile: str = MOBILE, purpose: str = SmsPurpose.REGISTER) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            sms_code_send(mobile=mobile, purpose=purpose)
        match = CODE_RE.search(outbox[-1].text)
        assert match is not None
        return match.group(1)

    return send_


def latest_row() -> SmsCode:
    return SmsCode.objects.order_by("-created_at", "-id").first()


class FailingGateway:
    texts: list[str] = []

    def send(self, *, mobile: str, text: str) -> None:
        FailingGateway.texts.append(text)
        raise ConnectionError("relay down")


@pytest.mark.clause("WX 7.1.1.2")
def test_a_code_is_sent_after_commit_and_only_its_keyed_hash_is_stored(
    django_capture_on_commit_callbacks, outbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sms_code_send(mobile=MOBILE, purpose=SmsPurpose.REGISTER)
        assert outbox == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    assert [sms.mobile for sms in outbox] == [MOBILE]
    code = CODE_RE.search(outbox[0].text).group(1)
    row = SmsCode.objects.get()
    assert row.purpose == SmsPurpose.REGISTER
    assert row.expires_at - row.created_at == dt.timedelta(minutes=5)
    assert code not in row.code_hash
    assert MOBILE not in row.mobile_index
    assert row.mobile_index == sms_codes.mobile_index(MOBILE)


def test_nothing_is_sent_when_the_caller_rolls_back(django_capture_on_commit_callbacks, outbox):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            sms_code_send(mobile=MOBILE, purpose=SmsPurpose.REGISTER)
            raise RuntimeError

    assert callbacks == []
    assert outbox == []


@pytest.mark.parametrize("mobile", ["", "1381234567", "138123456789", "12812345678", "abc"])
def test_a_number_that_is_not_a_mainland_mobile_is_refused(mobile, outbox):
    with pytest.raises(InvalidMobile):
        sms_code_send(mobile=mobile, purpose=SmsPurpose.REGISTER)

    assert not SmsCode.objects.exists()


def test_spaces_dashes_and_country_code_are_ignored(send, outbox):
    send("+86 138-1234-5678")

    assert outbox[0].mobile == MOBILE


def test_the_right_code_is_accepted_once(send):
    code = send()

    sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=code)

    with pytest.raises(SmsCodeUsed):
        sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=code)


def test_a_code_is_refused_for_another_purpose(send):
    code = send(purpose=SmsPurpose.REGISTER)

    with pytest.raises(SmsCodeMissing):
        sms_code_check(mobile=MOBILE, purpose=SmsPurpose.PASSWORD_RESET, code=code)

    sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=code)  # still good


def test_a_code_is_refused_for_another_number(send):
    code = send()

    with pytest.raises(SmsCodeMissing):
        sms_code_check(mobile="13900000000", purpose=SmsPurpose.REGISTER, code=code)


def test_a_code_works_until_five_minutes_have_passed(send):
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=SHANGHAI), tick=False) as t:
        code = send()
        t.shift(dt.timedelta(minutes=4, seconds=59))

        sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=code)


def test_an_expired_code_is_refused(send):
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=SHANGHAI), tick=False) as t:
        code = send()
        t.shift(dt.timedelta(minutes=5))

        with pytest.raises(SmsCodeExpired):
            sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=code)


def test_the_fifth_wrong_try_voids_the_code(send):
    code = send()
    wrong = "000000" if code != "000000" else "111111"

    for left in (4, 3, 2, 1):
        with pytest.raises(SmsCodeWrong) as caught:
            sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=wrong)
        assert caught.value.params == {"left": left}
    with pytest.raises(SmsCodeVoided):
        sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=wrong)

    with pytest.raises(SmsCodeVoided):  # even the right code is now refused
        sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=code)
    row = latest_row()
    assert row.attempts == 5
    assert row.voided_at is not None
    assert row.used_at is None


def test_a_new_code_replaces_the_previous_one(send):
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=SHANGHAI), tick=False) as t:
        first = send()
        second = first
        # Six random digits repeat once in a million sends: ask again until
        # they differ (well within the 10-a-day limit) instead of skipping.
        for _attempt in range(3):
            t.shift(dt.timedelta(seconds=61))
            second = send()
            if second != first:
                break
        assert second != first

        with pytest.raises(SmsCodeWrong):
            sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=first)
        sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code=second)


def test_an_unknown_number_has_no_code():
    with pytest.raises(SmsCodeMissing):
        sms_code_check(mobile=MOBILE, purpose=SmsPurpose.REGISTER, code="123456")


@pytest.mark.clause("WX 4.1.4")
def test_one_code_a_minute_per_number_whatever_the_purpose(send, outbox):
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=SHANGHAI), tick=False) as t:
        send(purpose=SmsPurpose.REGISTER)
        t.shift(dt.timedelta(seconds=30))

        with pytest.raises(SmsTooSoon) as caught:
            sms_code_send(mobile=MOBILE, purpose=SmsPurpose.PASSWORD_RESET)
        assert caught.value.status == 429
        assert caught.value.params == {"seconds": 30}

        t.shift(dt.timedelta(seconds=30))
        send(purpose=SmsPurpose.REGISTER)
    assert len(outbox) == 2


@pytest.mark.clause("WX 4.1.4")
def test_ten_codes_a_day_per_number_counted_in_shanghai_days(send, outbox):
    # 07:00 in Shanghai is 23:00 UTC the day before: the UTC day changes at
    # 08:00 Shanghai time, the Shanghai day only at midnight.
    with time_machine.travel(dt.datetime(2026, 11, 23, 7, tzinfo=SHANGHAI), tick=False) as t:
        for _n in range(10):
            send()
            t.shift(dt.timedelta(minutes=2))

        with pytest.raises(SmsDailyLimit) as caught:
            sms_code_send(mobile=MOBILE, purpose=SmsPurpose.REGISTER)
        assert caught.value.status == 429

        t.move_to(dt.datetime(2026, 11, 23, 9, tzinfo=SHANGHAI))  # a new UTC day
        with pytest.raises(SmsDailyLimit):
            sms_code_send(mobile=MOBILE, purpose=SmsPurpose.REGISTER)
        send("13900000000")  # other numbers are not affected

        t.move_to(dt.datetime(2026, 11, 24, 0, 0, 1, tzinfo=SHANGHAI))
        send()
    assert len(outbox) == 12


def test_a_gateway_failure_is_reported_and_logs_neither_code_nor_number(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.ONESTOP_SMS_GATEWAY = f"{__name__}.FailingGateway"
    FailingGateway.texts.clear()

    with caplog.at_level(logging.DEBUG), pytest.raises(SmsNotSent) as caught:
        with django_capture_on_commit_callbacks(execute=True):
            sms_code_send(mobile=MOBILE, purpose=SmsPurpose.REGISTER)

    assert caught.value.status == 503
    code = CODE_RE.search(FailingGateway.texts[0]).group(1)
    assert "138****5678" in caplog.text
    assert code not in caplog.text
    assert MOBILE not in caplog.text


def test_old_codes_are_purged_and_recent_ones_kept(db):
    import datetime as dt

    import time_machine

    from onestop.accounts.models import SmsCode
    from onestop.accounts.sms_codes import sms_code_send, sms_codes_purge

    with time_machine.travel(dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)):
        sms_code_send(mobile="13800138011", purpose="register")
    sms_code_send(mobile="13800138012", purpose="register")

    assert sms_codes_purge() == 1
    assert SmsCode.objects.count() == 1

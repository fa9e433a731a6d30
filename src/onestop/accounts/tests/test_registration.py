"""Registration and password reset services (WX 7.1.1.1, WX 7.1.1.2, HM 6.3)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.utils import timezone

from onestop.accounts import authz, selectors, sms_codes
from onestop.accounts.models import Consent, PrivacyNotice, Role, SmsCode, SmsPurpose, User
from onestop.accounts.services import (
    ConsentRequired,
    InvalidDisplayName,
    InvalidKind,
    InvalidRegion,
    MobileTaken,
    WeakPassword,
    password_reset,
    user_register,
)
from onestop.accounts.sms_codes import InvalidMobile, SmsCodeWrong, SmsTooSoon, sms_code_send
from onestop.audit.models import AuditEvent
from onestop.notifications.models import Notification
from onestop.notifications.sms import MemorySmsGateway

MOBILE = "13812345678"
PASSWORD = "Zhiliang-2026-Qi!x"
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.MemorySmsGateway"
    MemorySmsGateway.outbox.clear()
    yield MemorySmsGateway.outbox
    MemorySmsGateway.outbox.clear()


@pytest.fixture
def code_for(django_capture_on_commit_callbacks, outbox):
    """code_for(mobile, purpose) -> the code the phone received."""

    def code_for_(mobile: str = MOBILE, purpose: str = SmsPurpose.REGISTER) -> str:
        sent = len(outbox)
        with django_capture_on_commit_callbacks(execute=True):
            sms_code_send(mobile=mobile, purpose=purpose)
        assert len(outbox) == sent + 1
        return CODE_RE.search(outbox[-1].text).group(1)

    return code_for_


@pytest.fixture
def register(regions, code_for, django_capture_on_commit_callbacks):
    """register(**overrides) -> User, with a fresh code unless one is given."""

    def register_(**overrides) -> User:
        mobile = overrides.pop("mobile", MOBILE)
        fields = {
            "kind": "individual",
            "code": overrides.pop("code", None) or code_for(mobile),
            "password": PASSWORD,
            "display_name": "  李明  ",
            "region": regions["450202"],
            "consent_version": "2026-11",
        }
        fields.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return user_register(mobile=mobile, **fields)

    return register_


def wrong_code(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def age_codes() -> None:
    """Make the codes sent so far two minutes old, so the next one is allowed."""
    SmsCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))


@pytest.mark.clause("WX 7.1.1.1")
@pytest.mark.parametrize("kind", ["individual", "enterprise"])
def test_registering_creates_the_user_with_role_consent_audit_and_welcome(register, regions, kind):
    user = register(kind=kind)

    user.refresh_from_db()
    assert re.fullmatch(r"u[a-z0-9]{10}", user.username)
    assert user.kind == kind
    assert user.display_name == "李明"
    assert user.mobile == MOBILE
    assert user.check_password(PASSWORD)
    assert authz.roles(user) == {Role(kind)}
    assert authz.assignments(user)[0].region == regions["450202"]
    consent = Consent.objects.get(user=user)
    assert consent.notice.version == "2026-11"
    event = AuditEvent.objects.get(action="accounts.register")
    assert event.object_id == str(user.pk)
    assert event.actor_id == user.pk
    assert event.region == regions["450202"]
    assert MOBILE not in str(event.changes)
    assert Notification.objects.filter(recipient=user, kind="accounts.welcome").exists()
    assert SmsCode.objects.get().used_at is not None


@pytest.mark.clause("WX 7.1.1.2")
def test_the_code_is_checked_and_used_once(register, code_for):
    code = code_for()
    register(code=code)

    with pytest.raises(sms_codes.SmsCodeUsed):
        register(code=code, mobile=MOBILE)


@pytest.mark.clause("HM 6.3")
def test_the_mobile_number_is_stored_encrypted_and_found_by_its_blind_index(register):
    user = register()

    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, mobile_index FROM accounts_user WHERE id = %s", [user.pk])
        raw_mobile, raw_index = cursor.fetchone()
    assert MOBILE not in raw_mobile
    assert MOBILE not in raw_index
    assert raw_index == sms_codes.mobile_index(MOBILE)
    assert selectors.user_by_mobile(mobile="+86 138 1234 5678") == user
    assert user.masked_mobile == "138****5678"


def test_user_by_mobile_is_none_for_unknown_or_malformed_numbers(register):
    register()

    assert selectors.user_by_mobile(mobile="13900000000") is None
    assert selectors.user_by_mobile(mobile="not a number") is None


@pytest.mark.clause("WX 7.1.1.1")
def test_a_registered_number_is_refused_and_the_code_stays_usable(register, code_for, regions):
    register()
    age_codes()
    code = code_for()

    with pytest.raises(MobileTaken) as caught:
        register(code=code, display_name="另一个人")

    assert caught.value.status == 409
    assert User.objects.count() == 1
    latest = SmsCode.objects.order_by("-created_at", "-id").first()
    assert latest.used_at is None  # refused registrations do not use up the code


def test_a_wrong_code_is_counted_although_registration_fails(register, code_for):
    code = code_for()

    with pytest.raises(SmsCodeWrong):
        register(code=wrong_code(code))

    assert not User.objects.exists()
    assert SmsCode.objects.get().attempts == 1


@pytest.mark.parametrize("mobile", ["1381234567", "02012345678", "138 1234 567x"])
def test_a_malformed_mobile_is_refused(regions, mobile):
    with pytest.raises(InvalidMobile):
        user_register(
            kind="individual",
            mobile=mobile,
            code="123456",
            password=PASSWORD,
            display_name="李明",
            region=regions["450202"],
            consent_version="2026-11",
        )

    assert not User.objects.exists()


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "李明<b>", "a>b", "李", " 李 ", "长" * 31, ""]
)
def test_a_display_name_with_markup_or_of_bad_length_is_refused_and_nothing_stored(
    register, code_for, name
):
    code = code_for()

    with pytest.raises(InvalidDisplayName):
        register(code=code, display_name=name)

    assert not User.objects.exists()
    assert not AuditEvent.objects.filter(action="accounts.register").exists()
    assert SmsCode.objects.get().used_at is None


@pytest.mark.parametrize("version", ["", "2025-01", " "])
def test_registration_needs_consent_to_the_current_notice(register, code_for, version):
    code = code_for()

    with pytest.raises(ConsentRequired):
        register(code=code, consent_version=version)

    assert not User.objects.exists()
    assert not Consent.objects.exists()


def test_consent_to_a_superseded_notice_is_refused(register, code_for):
    PrivacyNotice.objects.create(
        version="2027-01", text="新版告知书", published_at=timezone.now() - dt.timedelta(hours=1)
    )
    code = code_for()

    with pytest.raises(ConsentRequired) as caught:
        register(code=code, consent_version="2026-11")

    assert "2027-01" in caught.value.message
    user = register(code=code, consent_version="2027-01")
    assert Consent.objects.get(user=user).notice.version == "2027-01"


def test_a_weak_password_is_refused(register, code_for):
    code = code_for()

    with pytest.raises(WeakPassword) as caught:
        register(code=code, password="12345678")

    assert caught.value.messages
    assert not User.objects.exists()


def test_only_individual_and_enterprise_accounts_can_register(register, code_for):
    code = code_for()

    for kind in ("staff", "sysadmin", ""):
        with pytest.raises(InvalidKind):
            register(code=code, kind=kind)


def test_the_region_must_be_a_city_or_district(register, code_for, regions):
    code = code_for()

    with pytest.raises(InvalidRegion):
        register(code=code, region=regions["450000"])


# Password reset


@pytest.mark.clause("WX 4.1.4")
def test_a_password_is_reset_with_a_code_and_audited(register, code_for, outbox):
    user = register()
    age_codes()
    code = code_for(purpose=SmsPurpose.PASSWORD_RESET)

    password_reset(mobile=MOBILE, code=code, new_password="Neue-Passwort-2026#")

    user.refresh_from_db()
    assert user.check_password("Neue-Passwort-2026#")
    assert AuditEvent.objects.filter(action="accounts.password_reset", actor_id=user.pk).exists()


@pytest.mark.clause("HM 6.3")
def test_asking_for_a_reset_code_does_not_reveal_whether_a_number_is_registered(
    register, django_capture_on_commit_callbacks, outbox
):
    register()
    age_codes()
    outbox.clear()
    stranger = "13900005678"

    answers = []
    for mobile in (MOBILE, stranger):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(sms_code_send(mobile=mobile, purpose=SmsPurpose.PASSWORD_RESET))
    # Only the registered number gets a text ...
    assert [sms.mobile for sms in outbox] == [MOBILE]
    # ... but both answers, limits and failures look alike.
    assert answers == [None, None]
    for mobile in (MOBILE, stranger):
        with pytest.raises(SmsTooSoon):
            sms_code_send(mobile=mobile, purpose=SmsPurpose.PASSWORD_RESET)
    errors = []
    for mobile in (MOBILE, stranger):
        with pytest.raises(SmsCodeWrong) as caught:
            password_reset(mobile=mobile, code="abcdef", new_password="Neue-Passwort-2026#")
        errors.append((type(caught.value), caught.value.message))
    assert errors[0] == errors[1]


def test_a_weak_new_password_does_not_use_up_the_code(register, code_for):
    register()
    age_codes()
    code = code_for(purpose=SmsPurpose.PASSWORD_RESET)

    with pytest.raises(WeakPassword):
        password_reset(mobile=MOBILE, code=code, new_password="password")

    password_reset(mobile=MOBILE, code=code, new_password="Neue-Passwort-2026#")


class FailingGateway:
    def send(self, *, mobile: str, text: str) -> None:
        raise ConnectionError("relay down")


def test_a_failed_reset_text_is_not_reported_since_that_would_reveal_the_number(
    register, settings, django_capture_on_commit_callbacks
):
    register()
    age_codes()
    settings.ONESTOP_SMS_GATEWAY = f"{__name__}.FailingGateway"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sms_code_send(mobile=MOBILE, purpose=SmsPurpose.PASSWORD_RESET)

    assert len(callbacks) == 1  # it was tried, and failed quietly

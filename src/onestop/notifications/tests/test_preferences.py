"""Each recipient's own choice of channels (issue 5 item 11): the inbox
always; SMS and e-mail for important steps unless turned off; an e-mail copy
of everything on request; essential notices whatever the settings."""

from __future__ import annotations

import pytest

from onestop.audit.models import AuditEvent
from onestop.notifications.models import Delivery, Preference
from onestop.notifications.services import notify, preference_set

pytestmark = pytest.mark.django_db


def channels(user) -> list[str]:
    return sorted(
        Delivery.objects.filter(notification__recipient=user).values_list("channel", flat=True)
    )


def test_without_settings_the_step_decides(make_user):
    user = make_user(email="a@example.invalid")
    notify(recipients=[user], kind="t", title="重要", channels_=["sms"])
    notify(recipients=[user], kind="t", title="普通")
    assert channels(user) == ["sms"]


def test_turning_sms_off_and_asking_for_every_email(make_user):
    user = make_user(email="a@example.invalid")
    preference_set(user=user, sms=False, email=True, email_all=True)
    notify(recipients=[user], kind="t", title="重要", channels_=["sms"])
    notify(recipients=[user], kind="t", title="普通")
    assert channels(user) == ["email", "email"]
    assert AuditEvent.objects.filter(action="notifications.preferences").count() == 1


def test_each_recipient_gets_their_own_channels_in_one_query(
    make_user, django_assert_max_num_queries
):
    quiet, default = make_user(), make_user()
    preference_set(user=quiet, sms=False, email=False, email_all=False)
    # preferences (one query for all), savepoint + release, the two notices, one SMS row
    with django_assert_max_num_queries(6):
        notify(recipients=[quiet, default], kind="t", title="重要", channels_=["sms"])
    assert channels(quiet) == []
    assert channels(default) == ["sms"]


def test_essential_notices_ignore_the_opt_outs(make_user):
    user = make_user()
    preference_set(user=user, sms=False, email=False, email_all=False)
    notify(recipients=[user], kind="t", title="取件码 123456", channels_=["sms"], essential=True)
    assert channels(user) == ["sms"]


def test_the_settings_page(client, make_user):
    assert client.get("/inbox/preferences/").status_code == 302
    user = make_user()
    client.force_login(user)
    page = client.get("/inbox/preferences/")
    assert page.status_code == 200
    assert 'name="sms" checked' in page.content.decode().replace('id="id_sms" ', "")
    response = client.post("/inbox/preferences/", {"email": "on"})
    assert response.status_code == 302
    saved = Preference.objects.get(user=user)
    assert (saved.sms, saved.email, saved.email_all) == (False, True, False)
    other = make_user()
    assert not Preference.objects.filter(user=other).exists()

from onestop.notifications.models import Notification


def test_inbox_lists_only_my_messages_with_constant_queries(
    client, make_user, django_assert_max_num_queries
):
    me, other = make_user(), make_user()
    for n in range(25):
        Notification.objects.create(recipient=me, kind="k", title=f"我的消息{n}")
    Notification.objects.create(recipient=other, kind="k", title="别人的消息")
    client.force_login(me)

    with django_assert_max_num_queries(6):
        response = client.get("/inbox/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "我的消息24" in body
    assert "别人的消息" not in body


def test_inbox_requires_login(client, db):
    response = client.get("/inbox/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_marking_read_by_another_user_is_404_and_changes_nothing(client, make_user):
    owner, other = make_user(), make_user()
    notification = Notification.objects.create(recipient=owner, kind="k", title="t")
    client.force_login(other)

    response = client.post(f"/inbox/{notification.pk}/read/")

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_redirects_only_to_local_links(client, make_user):
    me = make_user()
    notification = Notification.objects.create(
        recipient=me, kind="k", title="t", url="https://evil.example/"
    )
    client.force_login(me)

    response = client.post(f"/inbox/{notification.pk}/read/")

    assert response["Location"] == "/inbox/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_needs_post(client, make_user):
    me = make_user()
    notification = Notification.objects.create(recipient=me, kind="k", title="t")
    client.force_login(me)

    assert client.get(f"/inbox/{notification.pk}/read/").status_code == 405

from __future__ import annotations

from django.db.models import QuerySet

from onestop.accounts.models import User
from onestop.core.errors import NotFound
from onestop.notifications.models import Notification, Preference


def inbox_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def inbox_unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_get(*, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications; anyone else's is 'not found'."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise NotFound()
    return notification


def preference_of(*, user: User) -> Preference:
    """The user's notification settings (the defaults when never saved)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)

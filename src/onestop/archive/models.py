"""The enterprise quality archive (HM 6): who opened it, when and why.

The archive itself is not stored: it is read from the other apps' rows each
time (onestop.archive.selectors), so it can never go out of date or differ
from the records it summarises. What is stored is every opening and export
by staff, and every export by the enterprise's own people, so the enterprise
sees who used its information (HM 6.3). Rows are written only by
onestop.archive.services and never changed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import Role

# An opening lets its member of staff read the archive for this long; after
# it they state a purpose again.
OPENING_MINUTES = 30
DETAIL_MAX = 200


class Purpose(models.TextChoices):
    """Why a member of staff opens an enterprise's archive."""

    DEMAND = "demand", _("Handling a demand of the enterprise")
    ORDER = "order", _("Handling an order of the enterprise")
    COMPLAINT = "complaint", _("Handling a complaint")
    FOLLOW_UP = "follow_up", _("Follow-up visit")
    VISIT = "visit", _("Preparing or recording a station visit")
    SUPERVISION = "supervision", _("Supervision")
    EXPORT = "export", _("Export to PDF")
    OTHER = "other", _("Other (state the reason)")
    # Not offered to staff: an export by the enterprise's own people.
    OWN_COPY = "own_copy", _("The enterprise's own copy")


STAFF_PURPOSES = [(value, label) for value, label in Purpose.choices if value != Purpose.OWN_COPY]


class AccessKind(models.TextChoices):
    OPEN = "open", _("Opened")
    EXPORT = "export", _("Exported to PDF")


class ArchiveAccess(models.Model):
    """One opening or export of one enterprise's archive (HM 6.3).

    ``role`` and ``organisation`` are what the reader was at the time (the
    log keeps saying so after a transfer); the enterprise reads them in its
    access log, without any phone number.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="archive_accesses",
        verbose_name=_("enterprise"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    kind = models.CharField(_("access"), max_length=16, choices=AccessKind.choices)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    detail = models.CharField(_("reason or reference"), max_length=DETAIL_MAX, blank=True)
    # True for the enterprise's own people (their exports), False for staff.
    by_member = models.BooleanField(default=False)
    # A onestop.accounts.models.Role value (no choices here, so new roles need
    # no migration of this app).
    role = models.CharField(_("role"), max_length=32, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("archive access")
        verbose_name_plural = _("archive accesses")
        ordering = ["-at", "-id"]
        indexes = [
            # The enterprise's access log, newest first.
            models.Index(fields=["enterprise", "-at", "-id"], name="archive_access_log_idx"),
            # A member of staff's recent openings of one enterprise.
            models.Index(fields=["user", "enterprise", "-at"], name="archive_access_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.enterprise_id} by {self.user_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("An archive access is recorded once and never changed.")
        super().save(*args, **kwargs)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role in Role.values else self.role

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core.crypto import EncryptedTextField, mask_mobile


class UserKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ENTERPRISE = "enterprise", _("Enterprise")
    STAFF = "staff", _("Staff")


class User(AbstractUser):
    """A person who logs in. What they may do comes from RoleAssignment rows.

    The mobile number is stored encrypted; ``mobile_index`` (a blind index,
    onestop.core.crypto) finds a user by number and keeps numbers unique.
    Set both only through onestop.accounts.services.
    """

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    kind = models.CharField(
        _("account type"), max_length=16, choices=UserKind.choices, default=UserKind.INDIVIDUAL
    )
    mobile = EncryptedTextField(_("mobile number"), blank=True, default="")
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    mobile_index = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def masked_mobile(self) -> str:
        """The number as pages show it (138****1234); the plain one never is."""
        return mask_mobile(self.mobile) if self.mobile else ""


class Role(models.TextChoices):
    """The roles of SPEC §1 (visitors are anonymous and have no row)."""

    INDIVIDUAL = "individual", _("Individual user")
    ENTERPRISE = "enterprise", _("Enterprise user")
    INSTITUTION_STAFF = "institution_staff", _("Institution staff")
    EXPERT = "expert", _("Expert")
    STATION_STAFF = "station_staff", _("Station staff")
    CENTER_STAFF = "center_staff", _("Service-center staff")
    AUTHORITY = "authority", _("Authority (market regulation bureau)")
    SYSADMIN = "sysadmin", _("System administrator")


class RoleAssignment(models.Model):
    """One role held by one user over one region's subtree.

    ``region`` empty means the whole installation (system administrators).
    Station staff and institution staff are further scoped to one station or
    institution through ``scope_type``/``scope_id``; onestop.accounts.authz
    is the only code that reads these rows to decide access.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    scope_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scope_id = models.CharField(max_length=64, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "region", "scope_type", "scope_id"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_assignment",
            )
        ]

    def __str__(self) -> str:
        where = self.region.name if self.region_id and self.region else _("all regions")
        return f"{self.get_role_display()} @ {where}"


class SmsPurpose(models.TextChoices):
    REGISTER = "register", _("registration")
    PASSWORD_RESET = "password_reset", _("password reset")
    INVITE = "invite", _("invitation")


class SmsCode(models.Model):
    """One SMS one-time code sent to one number for one purpose.

    Only a keyed hash of the code is kept (onestop.accounts.sms_codes); the
    number is kept only as its blind index. The newest code of a number and
    purpose is the one that counts: sending a new one voids the older ones.
    """

    mobile_index = models.CharField(max_length=64)
    purpose = models.CharField(_("purpose"), max_length=16, choices=SmsPurpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [
            models.Index(fields=["mobile_index", "created_at"], name="smscode_mobile_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code {self.pk}"


class PrivacyNotice(models.Model):
    """One published version of the privacy notice (PIPL art. 17).

    The current notice is the newest one already published; a new version is
    a new row, never an edit, so every Consent points at the text the user saw.
    """

    version = models.CharField(_("version"), max_length=32, unique=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.version


class Consent(models.Model):
    """A user's acceptance of one version of the privacy notice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    notice = models.ForeignKey(
        PrivacyNotice, on_delete=models.PROTECT, related_name="consents", verbose_name=_("version")
    )
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-accepted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.notice_id}"

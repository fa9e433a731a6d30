from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")


class Enterprise(models.Model):
    """A registered enterprise (WX 7.1.1.4). Changed only through services.

    The unified social credit code is public business information (it is
    printed on the licence), so it is stored in clear and is unique.
    """

    name = models.CharField(_("enterprise name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    address = models.CharField(_("address"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    industry = models.CharField(_("industry"), max_length=100)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.PENDING,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A user acting for an enterprise; exactly one active owner per enterprise."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="one_active_membership",
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(removed_at__isnull=True, role="owner"),
                name="one_active_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise} ({self.role})"


class Invitation(models.Model):
    """The owner invites a mobile number; the person with that number accepts."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="invitations")
    mobile_index = models.CharField(max_length=64, db_index=True)
    masked_mobile = models.CharField(max_length=16)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation to {self.enterprise} for {self.masked_mobile}"


class NameChange(models.Model):
    """One name of an enterprise's history, kept for the back office (WX 7.1.1.6)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="name_changes"
    )
    old_name = models.CharField(max_length=200)
    new_name = models.CharField(max_length=200)
    changed_on = models.DateField(_("date of the change"))
    reported_at = models.DateTimeField(_("reported at"))
    late = models.BooleanField(_("reported more than one month late"), default=False)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"

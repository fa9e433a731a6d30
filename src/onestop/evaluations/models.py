"""Evaluation after service (WX 7.3, HM 5.2 with the HM Appendix A form).

Questionnaires are data (SurveyForm, versioned); a completed order gets one
Invitation (a signed link, 30 days, no login); its one submission is an
Evaluation, never changed afterwards. A bad answer opens a
RectificationCase that center staff close after calling the user back.
Changed only through onestop.evaluations.services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Clock kind: center staff call the user back within 15 working days.
CALLBACK_CLOCK = "rectification_callback"
CALLBACK_WORKING_DAYS = 15
INVITATION_DAYS = 30
COMMENT_MAX = 2000


class SurveyForm(models.Model):
    code = models.CharField(_("code"), max_length=32)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=100)
    source = models.CharField(_("source"), max_length=100, blank=True)
    # The questions, the scale and its scores (onestop.evaluations.surveys).
    definition = models.JSONField(_("definition"))
    anonymous_to_provider = models.BooleanField(_("anonymous to the institution"), default=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="survey_code_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def scale(self) -> list[dict[str, Any]]:
        return list(self.definition["scale"])

    def questions(self) -> list[dict[str, Any]]:
        """Every question with the key of its part and its subject."""
        return [
            {**question, "part": part["key"], "subject": part["subject"]}
            for part in self.definition["parts"]
            for question in part["questions"]
        ]


class Invitation(models.Model):
    """The invitation to evaluate one completed order (one per order)."""

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="evaluation_invitation"
    )
    form = models.ForeignKey(SurveyForm, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")

    def __str__(self) -> str:
        return f"invitation {self.pk} for order {self.order_id}"


class Evaluation(models.Model):
    """One submitted questionnaire; immutable (no update path)."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, related_name="evaluation"
    )
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="evaluation"
    )
    form = models.ForeignKey(SurveyForm, on_delete=models.PROTECT, related_name="evaluations")
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("institution"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rater"),
    )
    answers = models.JSONField(_("answers"))
    comment = models.TextField(_("comments or suggestions"), blank=True)
    enterprise_name = models.CharField(_("enterprise name"), max_length=100, blank=True)
    signer = models.CharField(_("person in charge (signature)"), max_length=50, blank=True)
    signed_on = models.DateField(_("date"))
    # Mean of the institution part's scale answers, 5..1.
    institution_score = models.DecimalField(
        _("institution score"), max_digits=3, decimal_places=2, null=True
    )
    bad = models.BooleanField(_("dissatisfied or not solved"), default=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["institution", "-created_at"], name="evaluation_inst_idx"),
            models.Index(fields=["region", "-created_at"], name="evaluation_region_idx"),
        ]

    def __str__(self) -> str:
        return f"evaluation of order {self.order_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("An evaluation is immutable once submitted.")
        super().save(*args, **kwargs)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Awaiting callback")
    CLOSED = "closed", _("Closed")


class CallbackMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    ONLINE = "online", _("Online message")


class RectificationCase(models.Model):
    """A bad review to follow up: callback within 15 working days, then the
    user's confirmation closes it."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="rectification"
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    # The question keys answered badly.
    reasons = models.JSONField(_("reasons"), default=list)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    callback_method = models.CharField(
        _("callback method"), max_length=16, choices=CallbackMethod.choices, blank=True
    )
    callback_outcome = models.TextField(_("callback outcome"), blank=True)
    called_back_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    user_confirmed = models.BooleanField(_("the user confirmed"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification case")
        verbose_name_plural = _("rectification cases")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status", "-opened_at"], name="rectification_queue_idx")
        ]

    def __str__(self) -> str:
        return f"rectification {self.pk} (order {self.evaluation.order.number})"

    @property
    def staff_url(self) -> str:
        return reverse("evaluations:case", kwargs={"pk": self.pk})

    @property
    def responsible_url(self) -> str:
        return self.staff_url

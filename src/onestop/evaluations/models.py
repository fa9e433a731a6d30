"""Evaluation after service (WX 7.3, HM 5.2 with the HM Appendix A form).

Questionnaires are data (SurveyForm, versioned); a completed order or a
consultation (a demand the service center answered without an order) gets one
Invitation (a signed link, 30 days, no login); its one submission is an
Evaluation, whose answers never change afterwards. A bad answer opens a
RectificationCase that center staff close after calling the user back; an
institution may appeal a review once and the center decides (an upheld appeal
takes the review out of the institution's rating and the statistics). Every
step of a case or an appeal writes one EvaluationEvent: the review's history.
Changed only through onestop.evaluations.services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Clock kind: center staff call the user back within 15 working days.
CALLBACK_CLOCK = "rectification_callback"
CALLBACK_WORKING_DAYS = 15
INVITATION_DAYS = 30
COMMENT_MAX = 2000
APPEAL_DAYS = 30


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
    """The invitation to evaluate one completed order or one consultation."""

    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_invitation",
    )
    # A consultation: a demand the service center answered without an order.
    demand = models.OneToOneField(
        "demands.Demand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation_invitation",
    )
    form = models.ForeignKey(SurveyForm, on_delete=models.PROTECT, related_name="+")
    # The keys of the questionnaire parts asked (a consultation asks only
    # about the service center); empty means every part.
    parts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False, demand__isnull=True)
                | Q(order__isnull=True, demand__isnull=False),
                name="invitation_one_subject",
            )
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk}"

    @property
    def is_consultation(self) -> bool:
        return self.demand_id is not None

    def asked_questions(self) -> list[dict[str, Any]]:
        return [q for q in self.form.questions() if not self.parts or q["part"] in self.parts]


class Evaluation(models.Model):
    """One submitted questionnaire; immutable (no update path)."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, related_name="evaluation"
    )
    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation",
    )
    demand = models.OneToOneField(
        "demands.Demand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluation",
    )
    form = models.ForeignKey(SurveyForm, on_delete=models.PROTECT, related_name="evaluations")
    # Empty for a consultation (the service center was evaluated).
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
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
    # False once the center upholds the institution's appeal: the review stays
    # on record but no longer counts in ratings and statistics.
    counted = models.BooleanField(_("counted in ratings and statistics"), default=True)
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
        return f"evaluation {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The answers never change; only the appeal decision may set
        # ``counted`` (services.appeals, through an UPDATE of that column).
        if not self._state.adding:
            raise ValueError("An evaluation is immutable once submitted.")
        super().save(*args, **kwargs)

    @property
    def subject_number(self) -> str:
        """The order's or the consultation's number."""
        if self.order is not None:
            return self.order.number
        return self.demand.number if self.demand is not None else ""


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
    # Empty when the service center itself was evaluated (a consultation).
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
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
        return f"rectification {self.pk}"

    @property
    def staff_url(self) -> str:
        return reverse("evaluations:case", kwargs={"pk": self.pk})

    @property
    def responsible_url(self) -> str:
        return self.staff_url


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the service center's decision")
    UPHELD = "upheld", _("Upheld: the review no longer counts")
    REJECTED = "rejected", _("Rejected: the review stands")


class Appeal(models.Model):
    """An institution contests one review (once); the service center decides."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="appeal", verbose_name=_("evaluation")
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    reason = models.TextField(_("grounds of the appeal"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lodged_at = models.DateTimeField(_("lodged at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decision = models.TextField(_("the service center's decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal against a review")
        verbose_name_plural = _("appeals against reviews")
        ordering = ["-lodged_at", "-id"]
        indexes = [models.Index(fields=["region", "status", "-lodged_at"], name="appeal_queue_idx")]

    def __str__(self) -> str:
        return f"appeal {self.pk} on evaluation {self.evaluation_id}"

    @property
    def staff_url(self) -> str:
        return reverse("evaluations:appeal", kwargs={"pk": self.pk})


class EventKind(models.TextChoices):
    CASE_OPENED = "case_opened", _("Rectification case opened")
    CALLED_BACK = "called_back", _("User called back")
    CASE_CLOSED = "case_closed", _("Called back; the user confirmed and the case was closed")
    APPEAL_LODGED = "appeal_lodged", _("The institution appealed the review")
    APPEAL_UPHELD = "appeal_upheld", _("Appeal upheld: the review no longer counts")
    APPEAL_REJECTED = "appeal_rejected", _("Appeal rejected: the review stands")


# Who acts in each step (the case is opened by the platform itself).
CENTER_KINDS = frozenset(
    {
        EventKind.CALLED_BACK,
        EventKind.CASE_CLOSED,
        EventKind.APPEAL_UPHELD,
        EventKind.APPEAL_REJECTED,
    }
)
CASE_KINDS = frozenset({EventKind.CASE_OPENED, EventKind.CALLED_BACK, EventKind.CASE_CLOSED})


class EvaluationEvent(models.Model):
    """One step of a review's follow-up (its rectification case or its
    appeal): who, when, what, note. One timeline per review, because a case
    and an appeal on the same review are read together (the appeal page shows
    the callback, the case page the appeal)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    # Empty for the platform's own steps (a bad review opens a case).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A default, not auto_now_add: the migration and the demo data date the
    # steps of cases and appeals that happened before events were kept.
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["evaluation", "at"], name="evaluation_event_idx")]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.kind}"

"""Credit grades of institutions (formula: onestop.supervision.credit)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"


class CreditGrade(models.Model):
    """An institution's current credit grade (onestop.supervision.credit)."""

    institution = models.OneToOneField(
        "institutions.Institution",
        on_delete=models.CASCADE,
        related_name="credit_grade",
        verbose_name=_("institution"),
    )
    grade = models.CharField(_("credit grade"), max_length=1, choices=Grade.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    # Each component's inputs, score, weight and whether data sufficed.
    components = models.JSONField(_("components"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("credit grade")
        verbose_name_plural = _("credit grades")
        indexes = [models.Index(fields=["grade"], name="credit_grade_idx")]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.grade}"

"""The search index (WX 7.2.1): one row per public thing a visitor can find.

Rows are derived data, rebuilt from the source models by
onestop.search.index; never edit them by hand. The text is stored already
segmented into Chinese words (``tokens``, space-separated), so the database
only has to match whole tokens: a GIN full-text index on PostgreSQL and an
FTS5 table on SQLite, both created in migration 0002.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocKind(models.TextChoices):
    ITEM = "item", _("Service item")
    OFFERING = "offering", _("Offering")
    INSTITUTION = "institution", _("Institution")
    EXPERT = "expert", _("Expert")
    STATION = "station", _("Station")


class SearchDocument(models.Model):
    kind = models.CharField(max_length=16, choices=DocKind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    subtitle = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    tokens = models.TextField()
    url = models.CharField(max_length=200)
    # Filters: region path ('' = everywhere), category codes and
    # qualification kinds as space-delimited lists with a leading and
    # trailing space (" metrology metrology-calibration ").
    region_path = models.CharField(max_length=64, blank=True)
    categories = models.CharField(max_length=500, blank=True)
    qualifications = models.CharField(max_length=100, blank=True)
    online = models.BooleanField(default=False)
    offline = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    rating = models.DecimalField(max_digits=3, decimal_places=2, default=0)
    # Query-independent rank, higher first (onestop.search.index.boost):
    # active, then rating, then kind. Indexed, so a broad query can take its
    # best candidates in index order instead of ranking every match.
    boost = models.PositiveIntegerField(default=0)
    # Last day the document may be matched (its covering qualification's
    # expiry); null when nothing expires.
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_document_per_object")
        ]
        indexes = [
            models.Index(fields=["region_path"], name="search_region_idx"),
            models.Index(fields=["-boost", "id"], name="search_boost_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"


class SynonymGroup(models.Model):
    """Words a search treats as the same (校准/检定, 压力表/压力计, CMA/资质认定);
    kept by the service center."""

    terms = models.CharField(_("words"), max_length=300)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return [t for t in self.terms.split() if t]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "onestop.reporting"
    verbose_name = _("Statistics, publication and annual summary")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    name = "onestop.summaries"
    verbose_name = _("Annual summaries and improvement plans")

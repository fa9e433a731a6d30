from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "onestop.core"
    verbose_name = _("Working-day calendar and SLA clocks")

    def ready(self) -> None:
        from onestop.core import pagecache

        pagecache.connect_signals()

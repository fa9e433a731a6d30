from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "onestop.evaluations"
    verbose_name = _("Service evaluations")

    def ready(self) -> None:
        from onestop.core.sla_watch import register_responsible
        from onestop.evaluations.models import CALLBACK_CLOCK
        from onestop.evaluations.selectors import callback_responsible

        # Center staff over the case's region call the user back (15 working days).
        register_responsible(CALLBACK_CLOCK, callback_responsible)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "onestop.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from onestop.documents.selectors import register_reader
        from onestop.supervision.selectors import evidence_readable_by

        # Evidence files are read by the target's side and the supervisors.
        register_reader(evidence_readable_by)

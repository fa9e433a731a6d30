from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "onestop.institutions"
    verbose_name = _("Service institutions")

    def ready(self) -> None:
        from onestop.documents.selectors import register_reader
        from onestop.institutions.selectors import scan_readable_by

        # Certificate scans are read by the institution's people and its reviewers.
        register_reader(scan_readable_by)

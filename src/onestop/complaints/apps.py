from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "onestop.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from onestop.complaints.models import INVESTIGATION_CLOCK
        from onestop.complaints.selectors import (
            institution_reads_document,
            investigation_responsible,
        )
        from onestop.core.sla_watch import register_responsible
        from onestop.documents.selectors import register_reader

        # Center staff over the complaint's region investigate and forward it
        # within 7 working days (WX 7.4.3).
        register_responsible(INVESTIGATION_CLOCK, investigation_responsible)
        # The institution reads the files of a complaint forwarded to it,
        # unless the complaint is anonymous to it.
        register_reader(institution_reads_document)

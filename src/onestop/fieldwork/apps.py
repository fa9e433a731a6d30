from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "onestop.fieldwork"
    verbose_name = _("Station fieldwork")

    def ready(self) -> None:
        from onestop.documents.selectors import register_reader
        from onestop.fieldwork.selectors import sample_document_readable

        # Sample photos and reports: the station, the institution, the user.
        register_reader(sample_document_readable)

from datetime import UTC, datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# When this process started (the status page's uptime): Django loads this
# module once per process, at start-up.
STARTED_AT = datetime.now(UTC)


class MonitoringConfig(AppConfig):
    name = "onestop.monitoring"
    verbose_name = _("Running status and technical support")

    def ready(self) -> None:
        from onestop.documents.selectors import register_reader
        from onestop.monitoring import jobs
        from onestop.monitoring.selectors import screenshot_readable_by

        # Every periodic job's start and end is recorded (WX 4.1.2 c).
        jobs.connect()
        # A support request's screenshot is read by the administrators too.
        register_reader(screenshot_readable_by)

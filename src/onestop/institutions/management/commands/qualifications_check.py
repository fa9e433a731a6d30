from typing import Any

from django.core.management.base import BaseCommand

from onestop.institutions.services import qualifications_warn_expiring


class Command(BaseCommand):
    help = (
        "Warn institutions and the service center about certificates ending within "
        "30 days (run daily)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"warned about {qualifications_warn_expiring()} certificates")

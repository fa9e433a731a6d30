from typing import Any

from django.core.management.base import BaseCommand

from onestop.accounts.sms_codes import sms_codes_purge


class Command(BaseCommand):
    help = "Delete SMS one-time codes older than two days (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"deleted {sms_codes_purge()} old codes")

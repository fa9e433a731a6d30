from typing import Any

from django.core.management.base import BaseCommand

from onestop.core.sla_watch import sla_clocks_check


class Command(BaseCommand):
    help = "Send the at-risk and breach notices of working-day clocks that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sla_clocks_check()
        self.stdout.write(f"at risk: {result.at_risk}, breached: {result.breached}")

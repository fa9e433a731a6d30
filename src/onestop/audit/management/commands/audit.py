from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.audit import chain


class Command(BaseCommand):
    help = "Audit trail tools. `audit verify` checks the hash chain from the first row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = chain.verify()
        if broken is not None:
            raise CommandError(f"{broken} ({checked} rows verified before it)")
        self.stdout.write(self.style.SUCCESS(f"audit chain intact: {checked} rows verified"))

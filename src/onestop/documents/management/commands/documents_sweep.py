from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onestop.documents.services import documents_sweep


class Command(BaseCommand):
    help = (
        "Tidy PRIVATE_MEDIA_ROOT/incoming: publish files whose document was committed, "
        "delete those of rolled-back transactions. Run hourly."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="Leave younger files alone: their transaction may still be open.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = documents_sweep(older_than=timedelta(minutes=options["older_than_minutes"]))
        self.stdout.write(f"published {result.published}, removed {result.removed}")

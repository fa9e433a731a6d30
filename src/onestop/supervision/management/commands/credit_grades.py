from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onestop.supervision.services import credit_grades_refresh


class Command(BaseCommand):
    help = (
        "Recompute the credit grades (A–E) of the service institutions from evaluations, "
        "complaints, acceptance deadlines, qualifications and corrective actions (run daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--institution",
            type=int,
            action="append",
            dest="institutions",
            help="Only this institution (by id); may be repeated.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = credit_grades_refresh(institution_ids=options.get("institutions"))
        self.stdout.write(f"credit grades written: {written}")

"""onestop gen-data --scale {xs,s,m,l}: a year of realistic data (onestop.datagen)."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from onestop.core.errors import DomainError
from onestop.datagen.run import gen_data
from onestop.datagen.scales import SCALES


class Command(BaseCommand):
    help = "Fill the current database with generated data (users, institutions, orders …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="s")
        parser.add_argument("--seed", type=int, default=20261121)
        parser.add_argument(
            "--force", action="store_true", help="Generate even if generated data is present."
        )
        parser.add_argument(
            "--i-know",
            action="store_true",
            dest="i_know",
            help="Allow it in the production profile.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = gen_data(
                scale=options["scale"],
                seed=options["seed"],
                force=options["force"],
                i_know=options["i_know"],
                out=cast(IO[str], self.stderr),  # the progress, phase by phase
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        for name, value in report.counts.items():
            self.stdout.write(f"{name:<14} {value:>10,}")
        for name, seconds in report.timings:
            self.stdout.write(f"{name:<26} {seconds:8.1f} s")
        self.stdout.write(f"{'total':<26} {report.seconds:8.1f} s")

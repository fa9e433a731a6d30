import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from onestop.core.errors import DomainError
from onestop.reporting.services import figures_rollup, figures_rollup_due


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = (
        "Count the statistics figures (HM 5.3): the days from --since to --until "
        "(default yesterday), or without --since what the nightly job would do."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="first day, YYYY-MM-DD")
        parser.add_argument("--until", help="last day, YYYY-MM-DD (default: yesterday)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["since"]:
                yesterday = timezone.localdate() - dt.timedelta(days=1)
                until = _day(options["until"]) if options["until"] else yesterday
                result = figures_rollup(start=_day(options["since"]), end=until)
            else:
                result = figures_rollup_due()
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if result.start is None:
            self.stdout.write("nothing to do: the figures are up to date")
            return
        self.stdout.write(
            f"figures {result.start} to {result.end}: {result.rows} rows in {result.seconds:.1f} s"
        )

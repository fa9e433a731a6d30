from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run the Celery worker for production (Redis): notifications, imports, "
        "and, with --beat, the periodic jobs of onestop.core.schedule."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument(
            "--beat", action="store_true", help="also run the periodic jobs (one node only)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from onestop.config.celery import app

        argv = ["worker", f"--concurrency={options['concurrency']}", "--loglevel=info"]
        if options["beat"]:
            argv.append("--beat")
        app.worker_main(argv)

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Get an installation ready to serve in one process: migrate, collect static "
        "files and, the first time, load the demo data (`scripts/run` calls it)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo data.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Uploads staged by transactions that rolled back (see documents.services).
        call_command("documents_sweep", verbosity=0)
        call_command("sms_codes_purge", verbosity=0, stdout=StringIO())
        if not options["no_demo"]:
            call_command("demo", if_empty=True, stdout=self.stdout)

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from onestop.core.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_is_loaded,
    demo_load,
    demo_second_factors,
    demo_totp_uri,
)


class Command(BaseCommand):
    help = "Load demo data (regions, one account per role) and print the demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Only load when no demo data is present."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo_is_loaded():
            self.stdout.write("Demo data already present.")
            demo_second_factors()
        else:
            demo_load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        from onestop.core.demo import DEMO_ACCOUNTS

        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            login = "/workbench/login/" if account.where == "workbench" else "/accounts/login/"
            region = account.region_code or "*"
            self.stdout.write(
                f"  {account.username:<16} {account.role.value:<18} {region:<10} {login}"
            )
        self.stdout.write(
            "\nWorkbench accounts also ask for a code from an authenticator app (TOTP)."
            "\nAdd this demo secret to the app once; it serves every workbench demo account:"
            f"\n  {DEMO_TOTP_SECRET}\n  {demo_totp_uri()}"
        )

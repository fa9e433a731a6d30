"""onestop traceability: clause → features → tests, and the coverage figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onestop.core import traceability


class Command(BaseCommand):
    help = (
        "Write docs/traceability.md from the clause tags of the tests that passed "
        "(the file a test run wrote through ONESTOP_TRACE_FILE) and print the coverage."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("results", nargs="+", help="JSON-lines files written by test runs")
        parser.add_argument("--clauses", help="clauses.tsv (default: ../shared, else docs/)")
        parser.add_argument("--out", default=str(traceability.REPO / "docs" / "traceability.md"))

    def handle(self, *args: Any, **options: Any) -> None:
        clauses_file = Path(options["clauses"]) if options["clauses"] else None
        clauses_file = clauses_file or traceability.clauses_path()
        if not clauses_file.exists():
            raise CommandError(f"No clause list at {clauses_file}.")
        lines: list[str] = []
        for name in options["results"]:
            path = Path(name)
            if not path.exists():
                raise CommandError(f"No test results at {path}: run the tests first.")
            lines += path.read_text(encoding="utf-8").splitlines()
        rows = traceability.build(
            traceability.read_clauses(clauses_file), traceability.read_results(lines)
        )
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(traceability.render(rows), encoding="utf-8")
        self.stdout.write(f"Clause traceability written to {out}")
        for item in traceability.coverage(rows):
            self.stdout.write(f"  {item}")
        missing = [row.clause.id for row in rows if not row.covered]
        if missing:
            self.stdout.write(f"  not covered: {', '.join(missing)}")

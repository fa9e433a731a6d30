from typing import Any

from django.core.management.base import BaseCommand

from onestop.search import index


class Command(BaseCommand):
    help = "Rebuild the search index from the catalog, institutions, experts and stations."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = index.rebuild()
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")

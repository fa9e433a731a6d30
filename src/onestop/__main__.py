"""The ``onestop`` command: Django's management commands with our defaults.

``onestop runserver``, ``onestop migrate``, ``onestop audit verify`` … Without
DJANGO_SETTINGS_MODULE it runs the embedded profile (SQLite, in-process tasks).
"""

import os
import sys

ALIASES = {"gen-data": "gen_data"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.config.settings.embedded")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Command names with a hyphen, as the docs write them (gen-data → gen_data).
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

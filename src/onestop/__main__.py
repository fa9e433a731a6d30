"""The ``onestop`` command: Django's management commands with our defaults.

``onestop runserver``, ``onestop migrate``, ``onestop audit verify`` … Without
DJANGO_SETTINGS_MODULE it runs the embedded profile (SQLite, in-process tasks).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.config.settings.embedded")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

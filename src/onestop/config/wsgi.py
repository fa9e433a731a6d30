import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.config.settings.embedded")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.ONESTOP_INPROCESS_SCHEDULER:
    from onestop.core import scheduler

    scheduler.start()

# The search segmenter's dictionary (about a second to load) is loaded as the
# worker starts rather than during someone's first search.
from onestop.search.text import segmenter  # noqa: E402

segmenter()

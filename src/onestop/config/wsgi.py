import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.config.settings.embedded")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.ONESTOP_INPROCESS_SCHEDULER:
    from onestop.core import scheduler

    scheduler.start()

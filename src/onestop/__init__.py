"""OneStop QI: the quality-infrastructure one-stop service platform."""

from onestop.config.celery import app as celery_app

__all__ = ["celery_app"]

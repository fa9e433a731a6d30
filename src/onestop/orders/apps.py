from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _acceptance_responsible(order: Any) -> list[Any]:
    """Who must accept or decline: the people of the institution ordered from."""
    from onestop.institutions.selectors import institution_people

    return list(institution_people(order.institution))


class OrdersConfig(AppConfig):
    name = "onestop.orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from onestop.core.sla_watch import register_responsible
        from onestop.documents.selectors import register_reader
        from onestop.orders.models import ACCEPTANCE_CLOCK
        from onestop.orders.selectors import attachment_readable_by

        register_responsible(ACCEPTANCE_CLOCK, _acceptance_responsible)
        # Attachments are read by the order's user, the institution and overseeing staff.
        register_reader(attachment_readable_by)
